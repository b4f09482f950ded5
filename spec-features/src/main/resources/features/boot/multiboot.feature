# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The multiboot entry state (Multiboot 0.6.96 3.2, 3.3)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1. Expected values come from the Multiboot 0.6.96 specification.

  @multiboot-3.2 @multiboot-3.3
  Scenario: boot-multiboot-entry: The machine state a multiboot loader leaves at the entry point
    When the guest "boot-multiboot-entry" runs
    Then every TAP test passes
    And the exit status is 3

  @multiboot-3.2
  Scenario: boot-a20: The A20 line is enabled: 0x16F000 and 0x06F000 are different bytes
    When the guest "boot-a20" runs
    Then every TAP test passes
    And the exit status is 3
