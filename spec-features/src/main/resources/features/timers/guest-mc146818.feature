# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The MC146818 RTC as a guest programs it (MC146818A datasheet)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @mc146818-register-a @mc146818-register-b @mc146818-register-c @mc146818-register-d @mc146818-address-map
  Scenario: timers-rtc-registers: MC146818 status registers A-D and the index port's NMI bit
    When the guest "timers-rtc-registers" runs
    Then every TAP test passes
    And the exit status is 3

  @mc146818-time-calendar @mc146818-register-b @mc146818-update-cycle
  Scenario: timers-rtc-time: MC146818 time registers in BCD and binary, 24- and 12-hour formats
    When the guest "timers-rtc-time" runs
    Then every TAP test passes
    And the exit status is 3

  @mc146818-periodic-interrupt @mc146818-interrupts @mc146818-register-c @mc146818-update-cycle @i8259a-cascade @ioapic-3.2.4
  Scenario: timers-rtc-interrupts: MC146818 periodic, update-ended and alarm interrupts on IRQ 8
    When the guest "timers-rtc-interrupts" runs
    Then every TAP test passes
    And the exit status is 3
