# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: String and I/O instructions (SDM 1 7.3.9, 7.3.11)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-7.3.9 @sdm-2-movs @sdm-2-stos @sdm-2-lods @sdm-2-cmps @sdm-2-scas @sdm-2-rep
  Scenario: cpu-strings: MOVS, STOS, LODS, CMPS, SCAS with REP prefixes and DF
    When the guest "cpu-strings" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-7.3.11 @sdm-2-in @sdm-2-out @sdm-2-ins @sdm-2-outs @pc16550d-8.10
  Scenario: cpu-io-strings: IN, OUT, INSB and OUTSB against the COM1 scratch register
    When the guest "cpu-io-strings" runs
    Then every TAP test passes
    And the exit status is 3
