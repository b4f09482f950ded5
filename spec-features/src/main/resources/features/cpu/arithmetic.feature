# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Binary and decimal arithmetic, logical instructions (SDM 1 7.3.2-7.3.5)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-7.3.2 @sdm-1-3.4.3.1 @sdm-2-add @sdm-2-adc @sdm-2-sub @sdm-2-sbb @sdm-2-inc @sdm-2-dec @sdm-2-neg @sdm-2-cmp
  Scenario: cpu-add-sub: ADD, ADC, SUB, SBB, INC, DEC, NEG, CMP and their flags
    When the guest "cpu-add-sub" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.2 @sdm-2-mul @sdm-2-imul @sdm-2-div @sdm-2-idiv @sdm-3A-6.15
  Scenario: cpu-mul-div: MUL, IMUL, DIV, IDIV and divide errors
    When the guest "cpu-mul-div" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.3 @sdm-2-daa @sdm-2-das @sdm-2-aaa @sdm-2-aas @sdm-2-aam @sdm-2-aad
  Scenario: cpu-bcd: DAA, DAS, AAA, AAS, AAM, AAD
    When the guest "cpu-bcd" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.5 @sdm-2-and @sdm-2-or @sdm-2-xor @sdm-2-not @sdm-2-test
  Scenario: cpu-logic: AND, OR, XOR, NOT, TEST and their flags
    When the guest "cpu-logic" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.2 @sdm-2-mul @sdm-2-div @sdm-2-shl @sdm-2-add
  Scenario: cpu-long-mode-arith: 64-bit MUL, DIV, shifts and immediates
    When the guest "cpu-long-mode-arith" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-daa @sdm-2-aaa @sdm-2-into @sdm-2-pusha @sdm-2-bound @sdm-3A-6.15
  Scenario: cpu-long-mode-invalid: Instructions that are invalid in 64-bit mode raise UD
    When the guest "cpu-long-mode-invalid" runs
    Then every TAP test passes
    And the exit status is 3
