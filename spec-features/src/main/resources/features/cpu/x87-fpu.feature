# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The x87 FPU (SDM 1 chapter 8)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-8.1.5 @sdm-1-8.3.5 @sdm-1-4.8.4 @sdm-1-8.5 @sdm-2-fidiv @sdm-2-fist @sdm-2-fsqrt @sdm-2-fsub
  Scenario: cpu-x87-arithmetic: x87 arithmetic, rounding control, precision control and masked exceptions
    When the guest "cpu-x87-arithmetic" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-8.1.3.1 @sdm-1-8.3.6 @sdm-1-8.3.7 @sdm-2-fcom @sdm-2-fcomi @sdm-2-ftst @sdm-2-fxam
  Scenario: cpu-x87-compare: x87 comparisons: condition codes, EFLAGS from FCOMI, unordered, FTST, FXAM
    When the guest "cpu-x87-compare" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-8.1.2 @sdm-1-8.1.7 @sdm-1-8.1.10 @sdm-2-fninit @sdm-2-fstenv @sdm-2-ffree @sdm-2-fincstp
  Scenario: cpu-x87-stack: The x87 register stack: TOP, the tag word, FNINIT, FFREE, FINCSTP, FDECSTP
    When the guest "cpu-x87-stack" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-8.5.1.1 @sdm-1-8.1.3.3
  Scenario: cpu-x87-stack-fault: x87 stack overflow and underflow: IE with SF, C1 tells which
    When the guest "cpu-x87-stack-fault" runs
    Then every TAP test passes
    And the exit status is 3
