@model
Feature: The 8254's OUT0 on IRQ 0 of the 8259A
  On the PC, counter 0 of the 8254 drives IRQ 0 of the master 8259A, which is edge-triggered. In
  mode 2 OUT0 rises once per period; each rising edge latches IRR bit 0 until the CPU acknowledges
  it, so periods that pass while the request is pending collapse into one interrupt. Counts are
  hand-computed from the 8254 datasheet's "Mode 2" (count N: OUT low during the pulse at which the
  count is 1, high again when N is reloaded) and the 8259A datasheet's "Edge and Level Triggered
  Modes". 1193 clocks of 1.193182 MHz are 999.85 microseconds.

  Background:
    Given the PC's cascaded 8259A interrupt controllers
    And the PICs are initialised with vector bases 0x20 and 0x28
    And an 8254 PIT at ports 0x40-0x43 with OUT0 wired to the PIC's IRQ 0, and port 0x61

  @i8254-mode-2 @i8259a-edge-level
  Scenario: Each period of a mode 2 counter is one interrupt on vector 0x20
    When the guest writes 0x34 to port 0x43
    And the guest writes 0xA9 to port 0x40
    And the guest writes 0x04 to port 0x40
    Then the CPU acknowledges the interrupt and gets vector 0x20
    When the guest writes 0x20 to port 0x20
    And 1193 PIT clock pulses pass
    Then the PIC does not assert INTR
    When 1 PIT clock pulse passes
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x20
    When the guest writes 0x20 to port 0x20
    And 1192 PIT clock pulses pass
    Then the PIC does not assert INTR
    When 1 PIT clock pulse passes
    Then the CPU acknowledges the interrupt and gets vector 0x20

  @i8254-mode-2 @i8259a-edge-level
  Scenario: Periods that pass while the interrupt is pending collapse into one request
    When the guest writes 0x34 to port 0x43
    And the guest writes 0xA9 to port 0x40
    And the guest writes 0x04 to port 0x40
    And 10000 microseconds of virtual time pass
    Then the CPU acknowledges the interrupt and gets vector 0x20
    And the master PIC's IRR is 0x00
    When the guest writes 0x20 to port 0x20
    Then the PIC does not assert INTR
    When 1000 microseconds of virtual time pass
    Then the CPU acknowledges the interrupt and gets vector 0x20
