# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The I/O APIC as a guest programs it (82093AA datasheet)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @ioapic-3.0 @ioapic-3.2.1 @ioapic-3.2.2 @ioapic-3.2.3 @ioapic-3.2.4
  Scenario: irq-ioapic-registers: I/O APIC identification, version, arbitration and redirection entries
    When the guest "irq-ioapic-registers" runs
    Then every TAP test passes
    And the exit status is 3

  @ioapic-3.2.4 @sdm-3A-11.6.2.1 @sdm-3A-11.6.2.2 @sdm-3A-11.8.4 @sdm-3A-11.8.5
  Scenario: irq-ioapic-delivery: I/O APIC edge delivery, masking, destinations and delivery modes
    When the guest "irq-ioapic-delivery" runs
    Then every TAP test passes
    And the exit status is 3

  @ioapic-3.2.4 @sdm-3A-11.8.4 @sdm-3A-11.8.5
  Scenario: irq-ioapic-level: I/O APIC level-triggered delivery: Remote IRR, TMR, EOI and re-delivery
    When the guest "irq-ioapic-level" runs
    Then every TAP test passes
    And the exit status is 3
