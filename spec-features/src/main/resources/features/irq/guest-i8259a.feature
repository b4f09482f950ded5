# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The 8259A pair as a guest programs it (8259A datasheet)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @i8259a-icw @i8259a-ocw1 @i8259a-ocw3 @i8259a-reading-status @i8259a-poll
  Scenario: irq-i8259a-registers: ICW1-ICW4, the IMR through OCW1, IRR and ISR through OCW3, poll
    When the guest "irq-i8259a-registers" runs
    Then every TAP test passes
    And the exit status is 3

  @i8259a-fully-nested @i8259a-eoi @i8259a-ocw2 @i8259a-rotation @i8259a-special-mask @i8259a-aeoi @i8259a-poll
  Scenario: irq-i8259a-priority: Fully nested priorities, non-specific and specific EOI, rotation, special mask
    When the guest "irq-i8259a-priority" runs
    Then every TAP test passes
    And the exit status is 3

  @i8259a-edge-level @i8259a-interrupt-sequence @i8259a-cascade
  Scenario: irq-i8259a-edge-level: Edge and level triggering through the ELCR, and the spurious IRQ 15
    When the guest "irq-i8259a-edge-level" runs
    Then every TAP test passes
    And the exit status is 3

  @i8259a-interrupt-sequence @i8259a-fully-nested @i8259a-cascade @sdm-3A-11.5.1
  Scenario: irq-i8259a-interrupts: 8259A interrupts through the local APIC's LINT0 (virtual wire)
    When the guest "irq-i8259a-interrupts" runs
    Then every TAP test passes
    And the exit status is 3
