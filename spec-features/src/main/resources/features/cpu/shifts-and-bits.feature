# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Shift, rotate, bit and byte instructions (SDM 1 7.3.6-7.3.7)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-7.3.6 @sdm-2-shl @sdm-2-shr @sdm-2-sar
  Scenario: cpu-shifts: SHL, SHR, SAR: results, CF, OF, count masking
    When the guest "cpu-shifts" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.6 @sdm-2-rol @sdm-2-ror @sdm-2-rcl @sdm-2-rcr
  Scenario: cpu-rotates: ROL, ROR, RCL, RCR: results, CF, OF, 9-bit and 17-bit rotation
    When the guest "cpu-rotates" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.6 @sdm-2-shld @sdm-2-shrd
  Scenario: cpu-shld-shrd: SHLD and SHRD double-precision shifts
    When the guest "cpu-shld-shrd" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.7 @sdm-2-bt @sdm-2-bts @sdm-2-btr @sdm-2-btc
  Scenario: cpu-bit-test: BT, BTS, BTR, BTC on registers and bit strings in memory
    When the guest "cpu-bit-test" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.7 @sdm-2-bsf @sdm-2-bsr
  Scenario: cpu-bit-scan: BSF and BSR
    When the guest "cpu-bit-scan" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.7 @sdm-2-popcnt @sdm-2-lzcnt @sdm-2-tzcnt
  Scenario: cpu-popcnt-lzcnt-tzcnt: POPCNT, LZCNT, TZCNT per CPUID, with their documented fallbacks
    When the guest "cpu-popcnt-lzcnt-tzcnt" runs
    Then every TAP test passes
    And the exit status is 3
