# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: External interrupts: PIT, 8259A, HLT and interrupt shadows
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1. Expected behaviour comes from the SDM and the 8259A and 8254 datasheets.

  @sdm-2-hlt @sdm-2-sti @sdm-3A-6.8.3 @i8259a-icw @i8259a-ocw1 @i8259a-eoi @i8259a-ocw3 @i8254-control-word @i8254-mode-2
  Scenario: irq-pit-pic-hlt: HLT wakes on IRQ 0 from the 8254 through the 8259A; STI shadow; EOI
    When the guest "irq-pit-pic-hlt" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.8.3 @sdm-3A-6.15 @sdm-2-mov
  Scenario: exc-mov-ss-shadow: A single-step trap after MOV SS waits one more instruction
    When the guest "exc-mov-ss-shadow" runs
    Then every TAP test passes
    And the exit status is 3
