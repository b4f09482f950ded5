# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Protected mode: privilege, TSS, call gates, LDT, segments
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-3A-5.5 @sdm-3A-5.6 @sdm-3A-5.9 @sdm-3A-6.12.1.1 @sdm-1-18.5
  Scenario: mode-pm-privilege: CPL 3: privileged instructions, IOPL, DPL checks on data segments and gates
    When the guest "mode-pm-privilege" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.12.1 @sdm-3A-8.2.1 @sdm-3A-5.8.5
  Scenario: mode-pm-tss-stack-switch: An interrupt from CPL 3 switches to SS0:ESP0 of the TSS
    When the guest "mode-pm-tss-stack-switch" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-5.8.3 @sdm-3A-5.8.5 @sdm-2-call
  Scenario: mode-pm-call-gate: A far CALL through a call gate from CPL 3 to CPL 0 switches stacks
    When the guest "mode-pm-call-gate" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-3.5.1 @sdm-3A-3.4.2 @sdm-2-lldt @sdm-2-sldt
  Scenario: mode-pm-ldt: LLDT, SLDT and segments from the LDT
    When the guest "mode-pm-ldt" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.16 @sdm-2-mov @sdm-2-push @sdm-2-pop @sdm-2-lds @sdm-3A-3.4.3
  Scenario: cpu-segment-registers: MOV, PUSH, POP of segment registers, LFS, LSS, segment bases
    When the guest "cpu-segment-registers" runs
    Then every TAP test passes
    And the exit status is 3
