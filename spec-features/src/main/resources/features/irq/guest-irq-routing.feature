# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: How the PC routes ISA interrupts to the controllers
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @acpi-5.2.12.5 @ioapic-3.2.4 @i8259a-interrupt-sequence
  Scenario: irq-routing-isa: ISA IRQ 0 is I/O APIC pin 2; the other ISA IRQs reach both controllers
    When the guest "irq-routing-isa" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.5.1 @i8259a-interrupt-sequence
  Scenario: irq-routing-virtual-wire: The 8259A's INTR through LINT0 in ExtINT mode, and LINT0's mask
    When the guest "irq-routing-virtual-wire" runs
    Then every TAP test passes
    And the exit status is 3
