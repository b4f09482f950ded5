# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The 8254 as a guest programs it (8254 datasheet, port 0x61)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @i8254-counter-latch @i8254-read-back @i8254-control-word @i8254-read-operations @i8254-mode-0
  Scenario: timers-i8254-counters: 8254 latch, read-back status and access modes
    When the guest "timers-i8254-counters" runs
    Then every TAP test passes
    And the exit status is 3

  @i8254-bcd @i8254-control-word
  Scenario: timers-i8254-bcd: 8254 BCD counting (four decades)
    When the guest "timers-i8254-bcd" runs
    Then every TAP test passes
    And the exit status is 3

  @i8254-read-back
  Scenario: timers-i8254-null-count: 8254 read-back: NULL COUNT from the control word until the count is loaded
    When the guest "timers-i8254-null-count" runs
    Then every TAP test passes
    And the exit status is 3

  @i8254-mode-0 @i8254-mode-2 @i8254-mode-3 @i8259a-interrupt-sequence
  Scenario: timers-i8254-irq0: Counter 0 on IRQ 0: one interrupt in mode 0, a train in modes 2 and 3
    When the guest "timers-i8254-irq0" runs
    Then every TAP test passes
    And the exit status is 3

  @i8254-gate @i8254-mode-0 @sdm-2-rdtsc
  Scenario: timers-i8254-port61: Counter 2 through port 0x61 as Linux calibrates the TSC with it
    When the guest "timers-i8254-port61" runs
    Then every TAP test passes
    And the exit status is 3

  @i8254-gate @i8254-mode-0 @i8254-mode-1
  Scenario: timers-i8254-gate: GATE2 in modes 0 and 1: counting suspended, one-shot triggered
    When the guest "timers-i8254-gate" runs
    Then every TAP test passes
    And the exit status is 3

  @i8254-read-operations @i8254-mode-0 @i8254-gate
  Scenario: timers-i8254-unlatched-reads: counter 2 read unlatched while counting, as Linux's quick PIT calibration reads it
    When the guest "timers-i8254-unlatched-reads" runs
    Then every TAP test passes
    And the exit status is 3
