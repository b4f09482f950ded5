# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Data transfer instructions (SDM 1 7.3.1)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-7.3.1 @sdm-2-mov
  Scenario: cpu-mov: MOV between registers, immediates and memory
    When the guest "cpu-mov" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.1 @sdm-2-movzx @sdm-2-movsx
  Scenario: cpu-movzx-movsx: MOVZX zero-extends, MOVSX sign-extends
    When the guest "cpu-movzx-movsx" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-3.4.1.1 @sdm-2-mov @sdm-2-movsxd @sdm-2-cmovcc
  Scenario: cpu-long-mode-operands: 64-bit mode operand sizes: zero-extension, REX registers, MOVSXD
    When the guest "cpu-long-mode-operands" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.1 @sdm-2-xchg
  Scenario: cpu-xchg: XCHG between registers and with memory
    When the guest "cpu-xchg" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.1 @sdm-2-push @sdm-2-pop @sdm-2-pusha @sdm-2-popa
  Scenario: cpu-push-pop: PUSH, POP, PUSHAD and POPAD in 32-bit code
    When the guest "cpu-push-pop" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.1 @sdm-2-cbw @sdm-2-cwd
  Scenario: cpu-cbw-cwd: CBW, CWDE, CWD, CDQ sign-extend the accumulator
    When the guest "cpu-cbw-cwd" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.1 @sdm-2-cmpxchg @sdm-2-cmpxchg8b @sdm-2-xadd
  Scenario: cpu-cmpxchg-xadd: CMPXCHG, CMPXCHG8B and XADD
    When the guest "cpu-cmpxchg-xadd" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-cmpxchg16b
  Scenario: cpu-cmpxchg16b: CMPXCHG16B per CPUID, and its alignment rule
    When the guest "cpu-cmpxchg16b" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-bswap @sdm-2-movbe
  Scenario: cpu-bswap-movbe: BSWAP, and MOVBE per CPUID
    When the guest "cpu-bswap-movbe" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-cmovcc @sdm-2-setcc @sdm-1-7.3.7
  Scenario: cpu-cmov-setcc: CMOVcc and SETcc follow the condition codes
    When the guest "cpu-cmov-setcc" runs
    Then every TAP test passes
    And the exit status is 3
