@model
Feature: Motorola MC146818A real-time clock and CMOS RAM
  Index port 0x70 (bit 7 disables NMI), data port 0x71, interrupt on IRQ 8. The clock starts at
  Wednesday 2024-02-28 23:59:58 (day of week 4, Sunday = 1) in BCD 24-hour mode with register A
  = 0x26, as a PC BIOS leaves it, and its divider chain leaves reset at virtual time 0. Expected
  values are worked out by hand from the MC146818A datasheet: "Address Map", "Time, Calendar and
  Alarm Locations" (BCD/binary, 12-hour PM in bit 7, alarm bytes 0xC0-0xFF match anything),
  "Static CMOS RAM", "Update Cycle" (the first update begins 500 ms after the divider leaves reset
  and then every second; UIP is set 244 µs before it and the cycle takes 1984 µs, so the seconds
  change between 501 and 502 ms, UIP is set from 499.76 ms to 501.98 ms), "Periodic Interrupt
  Selection" (32.768 kHz base: RS 3 → 122.070 µs, RS 6 → 976.5625 µs, RS 15 → 500 ms, RS 1 →
  3.90625 ms) and "Registers" A-D (register C reads IRQF PF AF UF and clears them; IRQF =
  PF·PIE + AF·AIE + UF·UIE; setting SET stops updates and clears UIE; D reads VRT = 1). With
  register A = 0x26 (RS = 6) the periodic flag PF is set every 976.5625 µs whether or not PIE is
  set, so register C shows PF alongside UF and AF.

  Background:
    Given an MC146818 RTC at ports 0x70-0x71 on IRQ 8 showing "2024-02-28T23:59:58"

  @mc146818-time-calendar @mc146818-address-map
  Scenario: Time and date registers read in BCD, 24-hour mode
    Then CMOS register 0x00 reads 0x58
    And CMOS register 0x02 reads 0x59
    And CMOS register 0x04 reads 0x23
    And CMOS register 0x06 reads 0x04
    And CMOS register 0x07 reads 0x28
    And CMOS register 0x08 reads 0x02
    And CMOS register 0x09 reads 0x24
    And CMOS register 0x0A reads 0x26
    And CMOS register 0x0B reads 0x02
    And CMOS register 0x0D reads 0x80

  @mc146818-update-cycle
  Scenario: The time advances by one second at the end of each update cycle, with carries into the leap day
    When 501 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x58
    When 1 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x59
    When 999 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x59
    When 1 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x00
    And CMOS register 0x02 reads 0x00
    And CMOS register 0x04 reads 0x00
    And CMOS register 0x06 reads 0x05
    And CMOS register 0x07 reads 0x29
    And CMOS register 0x08 reads 0x02
    And CMOS register 0x09 reads 0x24

  @mc146818-time-calendar @mc146818-register-b
  Scenario Outline: Register B's DM and 24/12 bits select how the time reads
    When the guest writes <b> to CMOS register 0x0B
    Then CMOS register 0x00 reads <seconds>
    And CMOS register 0x04 reads <hours>

    Examples:
      | b    | seconds | hours |
      | 0x02 | 0x58    | 0x23  |
      | 0x06 | 0x3A    | 0x17  |
      | 0x00 | 0x58    | 0x91  |
      | 0x04 | 0x3A    | 0x8B  |

  @mc146818-register-b @mc146818-time-calendar
  Scenario: A time written in 12-hour BCD reads back in 24-hour mode
    When the guest writes 0x80 to CMOS register 0x0B
    And the guest writes 0x81 to CMOS register 0x04
    And the guest writes 0x02 to CMOS register 0x0B
    Then CMOS register 0x04 reads 0x13

  @mc146818-register-b @mc146818-update-cycle
  Scenario: SET stops updates while the time is written; clearing it resumes at the divider's phase
    When the guest writes 0x82 to CMOS register 0x0B
    And the guest writes 0x30 to CMOS register 0x00
    And the guest writes 0x15 to CMOS register 0x02
    And the guest writes 0x10 to CMOS register 0x04
    And 3000 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x30
    And CMOS register 0x02 reads 0x15
    And CMOS register 0x04 reads 0x10
    When the guest writes 0x02 to CMOS register 0x0B
    And 501 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x30
    When 1 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x31

  @mc146818-register-b
  Scenario: Setting SET clears UIE
    When the guest writes 0x12 to CMOS register 0x0B
    Then CMOS register 0x0B reads 0x12
    When the guest writes 0x92 to CMOS register 0x0B
    Then CMOS register 0x0B reads 0x82

  @mc146818-register-a @mc146818-update-cycle
  Scenario: UIP is set from 244 µs before an update until the update cycle ends
    When 499700 microseconds of virtual time pass
    Then CMOS register 0x0A reads 0x26
    When 100 microseconds of virtual time pass
    Then CMOS register 0x0A reads 0xA6
    When 2100 microseconds of virtual time pass
    Then CMOS register 0x0A reads 0xA6
    When 100 microseconds of virtual time pass
    Then CMOS register 0x0A reads 0x26
    And CMOS register 0x00 reads 0x59

  @mc146818-register-a @mc146818-register-b
  Scenario: Setting SET clears UIP
    When 499800 microseconds of virtual time pass
    And the guest writes 0x82 to CMOS register 0x0B
    Then CMOS register 0x0A reads 0x26

  @mc146818-register-a @mc146818-divider
  Scenario: A divider reset stops the clock; the first update comes 500 ms after the reset ends
    When the guest writes 0x76 to CMOS register 0x0A
    And 5000 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x58
    And CMOS register 0x0A reads 0x76
    When the guest writes 0x26 to CMOS register 0x0A
    And 501 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x58
    When 1 milliseconds of virtual time pass
    Then CMOS register 0x00 reads 0x59

  @mc146818-periodic-interrupt @mc146818-register-c
  Scenario Outline: The periodic interrupt rate follows RS in register A
    When the guest writes <a> to CMOS register 0x0A
    And the guest writes 0x42 to CMOS register 0x0B
    And <before> microseconds of virtual time pass
    Then IRQ 8 is not asserted
    When <more> microseconds of virtual time pass
    Then IRQ 8 is asserted
    And CMOS register 0x0C reads 0xC0
    And IRQ 8 is not asserted
    And CMOS register 0x0C reads 0x00

    Examples:
      | a    | before | more   |
      | 0x23 | 122    | 1      |
      | 0x26 | 976    | 1      |
      | 0x2F | 499999 | 1      |
      | 0x21 | 3906   | 1      |

  @mc146818-periodic-interrupt @mc146818-interrupts
  Scenario: IRQ 8 stays asserted until register C is read, so periods collapse into one edge
    When the guest writes 0x42 to CMOS register 0x0B
    And 10 milliseconds of virtual time pass
    Then IRQ 8 has risen 1 time
    When the guest reads port 0x71
    Then CMOS register 0x0C reads 0xC0
    When 2 milliseconds of virtual time pass
    Then IRQ 8 has risen 2 times

  @mc146818-periodic-interrupt @mc146818-register-c
  Scenario: PF is set without PIE, but IRQF and IRQ 8 stay clear
    When 2 milliseconds of virtual time pass
    Then IRQ 8 is not asserted
    And CMOS register 0x0C reads 0x40

  @mc146818-periodic-interrupt @mc146818-interrupts
  Scenario: Enabling PIE while PF is already set raises IRQ 8 at once
    When 2 milliseconds of virtual time pass
    And the guest writes 0x42 to CMOS register 0x0B
    Then IRQ 8 is asserted

  @mc146818-interrupts @mc146818-register-c
  Scenario: The update-ended interrupt comes at the end of each update cycle
    When the guest writes 0x12 to CMOS register 0x0B
    And 501 milliseconds of virtual time pass
    Then IRQ 8 is not asserted
    When 1 milliseconds of virtual time pass
    Then IRQ 8 is asserted
    And CMOS register 0x0C reads 0xD0

  @mc146818-interrupts @mc146818-time-calendar
  Scenario: The alarm interrupt comes when seconds, minutes and hours match
    When the guest writes 0x59 to CMOS register 0x01
    And the guest writes 0x59 to CMOS register 0x03
    And the guest writes 0x23 to CMOS register 0x05
    And the guest writes 0x22 to CMOS register 0x0B
    And 501 milliseconds of virtual time pass
    Then IRQ 8 is not asserted
    When 1 milliseconds of virtual time pass
    Then IRQ 8 is asserted
    And CMOS register 0x0C reads 0xF0
    When 1000 milliseconds of virtual time pass
    Then IRQ 8 is not asserted
    And CMOS register 0x0C reads 0x50

  @mc146818-interrupts @mc146818-time-calendar
  Scenario: Alarm bytes 0xC0-0xFF match any value: an alarm once a minute at second 00
    When the guest writes 0x00 to CMOS register 0x01
    And the guest writes 0xC0 to CMOS register 0x03
    And the guest writes 0xFF to CMOS register 0x05
    And the guest writes 0x22 to CMOS register 0x0B
    And 502 milliseconds of virtual time pass
    Then IRQ 8 is not asserted
    When 1000 milliseconds of virtual time pass
    Then IRQ 8 is asserted
    And CMOS register 0x0C reads 0xF0
    When 59000 milliseconds of virtual time pass
    Then IRQ 8 is not asserted
    When 1000 milliseconds of virtual time pass
    Then IRQ 8 is asserted

  @mc146818-interrupts @mc146818-update-cycle
  Scenario: An alarm second that is jumped over in one step of virtual time still fires
    When the guest writes 0x05 to CMOS register 0x01
    And the guest writes 0x00 to CMOS register 0x03
    And the guest writes 0x00 to CMOS register 0x05
    And the guest writes 0x22 to CMOS register 0x0B
    And 30000 milliseconds of virtual time pass
    Then IRQ 8 is asserted
    And CMOS register 0x00 reads 0x28

  @mc146818-time-calendar
  Scenario: The day of week is its own counter that steps at midnight
    When the guest writes 0x07 to CMOS register 0x06
    And 1502 milliseconds of virtual time pass
    Then CMOS register 0x06 reads 0x01

  @mc146818-register-c @mc146818-register-d
  Scenario: Registers C and D are read-only
    When the guest writes 0xFF to CMOS register 0x0C
    And the guest writes 0x00 to CMOS register 0x0D
    Then CMOS register 0x0C reads 0x00
    And CMOS register 0x0D reads 0x80

  @mc146818-register-a
  Scenario: UIP in register A is read-only
    When the guest writes 0xA6 to CMOS register 0x0A
    Then CMOS register 0x0A reads 0x26

  @mc146818-static-ram
  Scenario: The CMOS RAM from 0x0E to 0x7F and the alarm registers hold any byte
    When the guest writes 0x5A to CMOS register 0x0E
    And the guest writes 0xA5 to CMOS register 0x7F
    And the guest writes 0x20 to CMOS register 0x32
    And the guest writes 0xC7 to CMOS register 0x01
    Then CMOS register 0x0E reads 0x5A
    And CMOS register 0x7F reads 0xA5
    And CMOS register 0x32 reads 0x20
    And CMOS register 0x01 reads 0xC7

  @mc146818-address-map
  Scenario: Bit 7 of the index port disables NMI; the index port reads as all ones
    When the guest writes 0x8F to port 0x70
    Then NMI is disabled by the RTC index port
    And reading port 0x70 gives 0xFF
    When the guest writes 0x0F to port 0x70
    Then NMI is enabled by the RTC index port

  @mc146818-address-map
  Scenario: The index selects the register regardless of the NMI bit
    When the guest writes 0x3C to CMOS register 0x40
    And the guest writes 0xC0 to port 0x70
    Then reading port 0x71 gives 0x3C
    And NMI is disabled by the RTC index port

  @mc146818-register-c @mc146818-update-cycle
  Scenario: Saving and restoring the RTC is the identity (the alarm registers still hold 00:00:00, so AF is set at midnight)
    When the guest writes 0x52 to CMOS register 0x0B
    And the guest writes 0x44 to CMOS register 0x20
    And 1700 milliseconds of virtual time pass
    Then saving and restoring the RTC changes nothing
    And CMOS register 0x00 reads 0x00
    And CMOS register 0x0C reads 0xF0
