# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: IA-32e mode: 64-bit and compatibility mode, transitions
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-3A-2.2.1 @sdm-3A-3.2.4 @sdm-2-lea @sdm-2-iret @sdm-1-3.5.1.2
  Scenario: mode-long-64bit: 64-bit mode: EFER.LMA, RIP-relative addressing, segment bases, IRETQ
    When the guest "mode-long-64bit" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-2.2.1 @sdm-3A-5.2.1 @sdm-2-jmp
  Scenario: mode-long-compatibility: Compatibility mode: 32-bit code under IA-32e and far jumps in and out
    When the guest "mode-long-compatibility" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-10.8.5 @sdm-3A-10.8.5.4 @sdm-3A-2.2.1
  Scenario: mode-long-exit-reenter: Leaving IA-32e mode by clearing CR0.PG, and entering it again
    When the guest "mode-long-exit-reenter" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-mov-cr @sdm-3A-2.5
  Scenario: mode-long-pae-locked: In IA-32e mode, clearing CR4.PAE raises GP(0)
    When the guest "mode-long-pae-locked" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-wrmsr @sdm-3A-2.2.1
  Scenario: mode-long-lme-locked: While paging is on, WRMSR cannot change EFER.LME: GP(0)
    When the guest "mode-long-lme-locked" runs
    Then every TAP test passes
    And the exit status is 3
