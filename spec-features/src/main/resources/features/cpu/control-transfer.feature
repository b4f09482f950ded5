# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Control transfer instructions (SDM 1 7.3.8)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-7.3.8 @sdm-2-call @sdm-2-ret @sdm-2-jmp
  Scenario: cpu-call-ret-jmp: Near CALL, RET, RET imm16 and indirect CALL/JMP
    When the guest "cpu-call-ret-jmp" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.8 @sdm-2-loop @sdm-2-jcxz
  Scenario: cpu-loop-jecxz: LOOP, LOOPE, LOOPNE and JECXZ
    When the guest "cpu-loop-jecxz" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.8 @sdm-2-enter @sdm-2-leave
  Scenario: cpu-enter-leave: ENTER and LEAVE build and release stack frames
    When the guest "cpu-enter-leave" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.8 @sdm-2-call @sdm-2-ret @sdm-2-jmp @sdm-2-iret @sdm-3A-5.8
  Scenario: cpu-far-call-jmp-iret: Far CALL, RETF, far JMP and IRET at the same privilege level
    When the guest "cpu-far-call-jmp-iret" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.8 @sdm-2-int-n @sdm-2-into @sdm-2-bound @sdm-2-iret @sdm-3A-6.12.1 @sdm-3A-6.15
  Scenario: cpu-int-into-bound: INT n, INT3, INTO, BOUND, interrupt vs trap gates
    When the guest "cpu-int-into-bound" runs
    Then every TAP test passes
    And the exit status is 3
