# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Flag control, miscellaneous instructions and CPUID
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-3.4.3 @sdm-2-stc @sdm-2-clc @sdm-2-cmc @sdm-2-std @sdm-2-cld @sdm-2-lahf @sdm-2-sahf @sdm-2-pushf @sdm-2-popf
  Scenario: cpu-flag-control: STC, CLC, CMC, STD, CLD, LAHF, SAHF, PUSHFD, POPFD, ID and AC
    When the guest "cpu-flag-control" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.18 @sdm-2-lea @sdm-2-xlat @sdm-2-nop @sdm-2-ud
  Scenario: cpu-lea-xlat-nop-ud2: LEA, XLAT, NOP forms and UD2
    When the guest "cpu-lea-xlat-nop-ud2" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-cpuid
  Scenario: cpu-cpuid: CPUID leaves, vendor string and the baseline x86-64 feature bits
    When the guest "cpu-cpuid" runs
    Then every TAP test passes
    And the exit status is 3
