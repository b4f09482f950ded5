# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Exceptions and interrupts (SDM 3A chapter 6)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-3A-6.5 @sdm-3A-6.15 @sdm-3A-6.12.1
  Scenario: exc-faults-and-traps: Faults report the faulting instruction, traps the next one
    When the guest "exc-faults-and-traps" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-2-mov-dr @sdm-2-int1
  Scenario: exc-single-step: DB from single-stepping with TF, DR6.BS, DR7 reserved bits
    When the guest "exc-single-step" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-2-mov-dr
  Scenario: exc-hardware-breakpoints: DB from instruction and data breakpoints in DR0-DR3
    When the guest "exc-hardware-breakpoints" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-2-int1
  Scenario: exc-int1: INT1 (ICEBP, F1) raises DB as a trap
    When the guest "exc-int1" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-2-wait @sdm-2-clts @sdm-3A-2.5
  Scenario: exc-device-not-available: NM from WAIT with CR0.MP and CR0.TS, CLTS
    When the guest "exc-device-not-available" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-3A-6.13 @sdm-3A-3.4.5 @sdm-2-mov @sdm-2-iret
  Scenario: exc-segment-faults: NP, SS, GP and TS with their selector error codes
    When the guest "exc-segment-faults" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-3A-5.5 @sdm-2-mov
  Scenario: exc-segment-access-checks: Accesses through a null or read-only data segment raise GP(0)
    When the guest "exc-segment-access-checks" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-3A-6.12
  Scenario: exc-double-fault: A contributory fault while delivering another raises DF(0)
    When the guest "exc-double-fault" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-3A-2.5 @sdm-1-3.4.3.3
  Scenario: exc-alignment-check: AC at CPL 3 with CR0.AM and EFLAGS.AC, none at CPL 0
    When the guest "exc-alignment-check" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.14 @sdm-3A-6.14.2 @sdm-3A-6.14.5 @sdm-3A-6.15
  Scenario: exc-long-mode-delivery: 64-bit delivery: SS:RSP always pushed, 16-byte alignment, IST for DF
    When the guest "exc-long-mode-delivery" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-2-mov
  Scenario: exc-non-canonical-stack: A non-canonical address through SS raises SS(0), not GP
    When the guest "exc-non-canonical-stack" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-3A-6.12
  Scenario: exc-triple-fault: An exception with no usable IDT shuts the machine down (exit status 0)
    When the guest "exc-triple-fault" runs
    Then every TAP test passes
    And the exit status is 0

  @sdm-3A-2.5 @sdm-3A-6.15 @sdm-3A-9.2 @sdm-3A-13.1.3 @sdm-2-wait @sdm-2-paddb @sdm-2-fxsave
  Scenario: exc-x87-device-not-available: NM for x87, MMX, SSE and FXSAVE under CR0.TS and CR0.EM
    When the guest "exc-x87-device-not-available" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-8.6 @sdm-1-8.7 @sdm-3A-6.15 @sdm-3A-2.5 @sdm-2-wait @sdm-2-fclex
  Scenario: exc-x87-floating-point-error: MF: an unmasked x87 exception is reported at the next waiting instruction
    When the guest "exc-x87-floating-point-error" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-8.5.3 @sdm-1-4.9.2 @sdm-1-8.6 @sdm-3A-6.15
  Scenario: exc-x87-unmasked-zero-divide: An unmasked zero divide keeps the stack; the next x87 instruction raises MF
    When the guest "exc-x87-unmasked-zero-divide" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-6.15 @sdm-3A-13.1.4 @sdm-1-11.5.1 @sdm-1-11.5.3 @sdm-2-divss
  Scenario: exc-simd-floating-point: XM for an unmasked SIMD exception with CR4.OSXMMEXCPT, UD without it
    When the guest "exc-simd-floating-point" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-13.1.3 @sdm-3A-9.6 @sdm-2-ldmxcsr @sdm-2-movaps @sdm-2-fxsave
  Scenario: exc-sse-faults: UD for SSE without CR4.OSFXSR or with CR0.EM; GP for misaligned MOVAPS and FXSAVE
    When the guest "exc-sse-faults" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-10.2.3 @sdm-2-ldmxcsr @sdm-2-fxrstor
  Scenario: exc-mxcsr-reserved-bits: GP(0) when LDMXCSR or FXRSTOR would set a reserved MXCSR bit
    When the guest "exc-mxcsr-reserved-bits" runs
    Then every TAP test passes
    And the exit status is 3
