@model
Feature: MC146818A calendar carries and 12-hour presentation
  Each scenario starts the clock at its own date (BCD, 24-hour, register A = 0x26, divider leaving
  reset at virtual time 0, so the first update cycle ends between 501 and 502 ms). Expected values
  are worked out by hand from the MC146818A datasheet, "Time, Calendar and Alarm Locations" (months
  of 28-31 days, leap years when the year is divisible by 4, 12-hour mode with PM in bit 7 and
  hours 12, 1-11) and the Gregorian calendar for the dates.

  @mc146818-time-calendar @mc146818-update-cycle
  Scenario Outline: Calendar carries at the end of a month and a year
    Given an MC146818 RTC at ports 0x70-0x71 on IRQ 8 showing "<start>"
    When 502 milliseconds of virtual time pass
    Then CMOS register 0x07 reads <date>
    And CMOS register 0x08 reads <month>
    And CMOS register 0x09 reads <year>

    Examples:
      | start               | date | month | year |
      | 2023-02-28T23:59:59 | 0x01 | 0x03  | 0x23 |
      | 2024-02-28T23:59:59 | 0x29 | 0x02  | 0x24 |
      | 2024-04-30T23:59:59 | 0x01 | 0x05  | 0x24 |
      | 2099-12-31T23:59:59 | 0x01 | 0x01  | 0x00 |

  @mc146818-time-calendar @mc146818-register-b
  Scenario Outline: 12-hour mode shows midnight and noon as 12
    Given an MC146818 RTC at ports 0x70-0x71 on IRQ 8 showing "<start>"
    When the guest writes 0x00 to CMOS register 0x0B
    Then CMOS register 0x04 reads <hours>

    Examples:
      | start               | hours |
      | 2024-01-01T00:30:00 | 0x12  |
      | 2024-01-01T11:30:00 | 0x11  |
      | 2024-01-01T12:30:00 | 0x92  |

