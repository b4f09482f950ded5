@model
Feature: PC16550D UART (COM1 of the guest contract)
  COM1 is a National Semiconductor PC16550D at I/O ports 0x3F8-0x3FF on IRQ 4.
  Expected values come from the datasheet (June 1995), section 8 "Registers";
  transmission takes no virtual time, so THR is always empty when the CPU looks.

  Background:
    Given a 16550A UART at port 0x3F8 wired to IRQ 4

  @pc16550d-8.0
  Scenario: Registers have their master-reset values (Table III)
    Then reading port 0x3F9 gives 0x00
    And reading port 0x3FA gives 0x01
    And reading port 0x3FB gives 0x00
    And reading port 0x3FC gives 0x00
    And reading port 0x3FD gives 0x60
    And reading port 0x3FE gives 0x00 under mask 0x0F

  @pc16550d-8.1 @pc16550d-8.3
  Scenario: The divisor latch is reached through LCR.DLAB and keeps its value
    When the guest writes 0x80 to port 0x3FB
    And the guest writes 0x01 to port 0x3F8
    And the guest writes 0x02 to port 0x3F9
    Then reading port 0x3F8 gives 0x01
    And reading port 0x3F9 gives 0x02
    When the guest writes 0x03 to port 0x3FB
    Then reading port 0x3FB gives 0x03
    And reading port 0x3F9 gives 0x00
    And the UART has transmitted nothing

  @pc16550d-8.10
  Scenario: The scratchpad register holds any byte
    When the guest writes 0xA5 to port 0x3FF
    Then reading port 0x3FF gives 0xA5

  @pc16550d-8.7
  Scenario: IER bits 4 to 7 are always zero
    When the guest writes 0xFF to port 0x3F9
    Then reading port 0x3F9 gives 0x0F

  @pc16550d-8.4
  Scenario: Transmitted bytes leave at once and LSR shows THRE and TEMT
    When the guest writes the bytes "Hello, world\n" to port 0x3F8
    Then the UART has transmitted "Hello, world\n"
    And reading port 0x3FD gives 0x60

  @pc16550d-8.4
  Scenario: A received character sets LSR.DR until it is read
    When the host sends "Z" to the UART
    Then reading port 0x3FD gives 0x61
    And reading port 0x3F8 gives 0x5A
    And reading port 0x3FD gives 0x60

  @pc16550d-8.4
  Scenario: In character mode a second character overruns the first, and reading LSR clears OE
    When the host sends "ab" to the UART
    Then reading port 0x3FD gives 0x63
    And reading port 0x3FD gives 0x61
    And reading port 0x3F8 gives 0x62

  @pc16550d-8.5 @pc16550d-8.4
  Scenario: In FIFO mode sixteen characters fit, the seventeenth overruns and is lost
    When the guest writes 0x01 to port 0x3FA
    And the host sends 17 characters to the UART
    Then reading port 0x3FD gives 0x63
    And reading port 0x3F8 gives 0x61
    When the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    And the guest reads port 0x3F8
    Then reading port 0x3F8 gives 0x70
    And reading port 0x3FD gives 0x60

  @pc16550d-8.5 @pc16550d-8.6
  Scenario: IIR bits 6 and 7 report that the FIFOs are enabled
    When the guest writes 0x01 to port 0x3FA
    Then reading port 0x3FA gives 0xC1
    When the guest writes 0x00 to port 0x3FA
    Then reading port 0x3FA gives 0x01

  @pc16550d-8.5
  Scenario: FCR bit 1 empties the receiver FIFO
    When the guest writes 0x01 to port 0x3FA
    And the host sends "abc" to the UART
    And the guest writes 0x03 to port 0x3FA
    Then reading port 0x3FD gives 0x60

  @pc16550d-8.6 @pc16550d-8.7
  Scenario: The THRE interrupt is raised on enable and cleared by reading IIR
    When the guest writes 0x08 to port 0x3FC
    And the guest writes 0x02 to port 0x3F9
    Then IRQ 4 is asserted
    And reading port 0x3FA gives 0x02
    And reading port 0x3FA gives 0x01
    And IRQ 4 is not asserted
    When the guest writes 0x41 to port 0x3F8
    Then IRQ 4 is asserted
    And the UART has transmitted "A"

  @pc16550d-8.6 @pc16550d-8.11
  Scenario Outline: The received-data interrupt fires at the FIFO trigger level
    When the guest writes 0x08 to port 0x3FC
    And the guest writes 0x01 to port 0x3F9
    And the guest writes <fcr> to port 0x3FA
    And the host sends <below> characters to the UART
    Then reading port 0x3FA gives 0xC1
    When the host sends 1 characters to the UART
    Then reading port 0x3FA gives 0xC4
    And IRQ 4 is asserted
    When the guest reads port 0x3F8
    Then reading port 0x3FA gives 0xC1

    Examples:
      | fcr  | below |
      | 0x01 | 0     |
      | 0x41 | 3     |
      | 0x81 | 7     |
      | 0xC1 | 13    |

  @pc16550d-8.6 @pc16550d-8.11
  Scenario: A character timeout is indicated after four character times of silence
    When the guest writes 0x80 to port 0x3FB
    And the guest writes 0x01 to port 0x3F8
    And the guest writes 0x00 to port 0x3F9
    And the guest writes 0x03 to port 0x3FB
    And the guest writes 0x08 to port 0x3FC
    And the guest writes 0x01 to port 0x3F9
    And the guest writes 0xC1 to port 0x3FA
    And the host sends "abc" to the UART
    And 300 microseconds of virtual time pass
    Then reading port 0x3FA gives 0xC1
    When 100 microseconds of virtual time pass
    Then reading port 0x3FA gives 0xCC
    And IRQ 4 is asserted
    When the guest reads port 0x3F8
    Then reading port 0x3FA gives 0xC1
    And IRQ 4 is not asserted

  @pc16550d-8.6
  Scenario: A receiver line status interrupt outranks received data
    When the guest writes 0x08 to port 0x3FC
    And the guest writes 0x05 to port 0x3F9
    And the host sends "ab" to the UART
    Then reading port 0x3FA gives 0x06
    And reading port 0x3FD gives 0x63
    And reading port 0x3FA gives 0x04

  @pc16550d-8.8
  Scenario: The interrupt reaches IRQ 4 only while MCR.OUT2 is set
    When the guest writes 0x02 to port 0x3F9
    Then IRQ 4 is not asserted
    When the guest writes 0x08 to port 0x3FC
    Then IRQ 4 is asserted
    When the guest writes 0x00 to port 0x3FC
    Then IRQ 4 is not asserted
    And reading port 0x3FA gives 0x02

  @pc16550d-8.8 @pc16550d-8.9
  Scenario: Loopback returns transmitted data and maps MCR outputs onto MSR inputs
    When the guest writes 0x1F to port 0x3FC
    And the guest writes 0x51 to port 0x3F8
    Then the UART has transmitted nothing
    And reading port 0x3FD gives 0x61
    And reading port 0x3F8 gives 0x51
    And reading port 0x3FE gives 0xF0 under mask 0xF0

  @pc16550d-8.9
  Scenario: Modem status delta bits record changes until MSR is read
    When the guest writes 0x10 to port 0x3FC
    And the guest reads port 0x3FE
    And the guest writes 0x13 to port 0x3FC
    Then reading port 0x3FE gives 0x33
    And reading port 0x3FE gives 0x30
    When the guest writes 0x14 to port 0x3FC
    And the guest reads port 0x3FE
    And the guest writes 0x10 to port 0x3FC
    Then reading port 0x3FE gives 0x04
