@model
Feature: Intel 8254 programmable interval timer and port 0x61
  Counters 0-2 at ports 0x40-0x42, control word at 0x43, CLK = 1.193182 MHz from the virtual clock;
  OUT0 drives IRQ 0; GATE2, the speaker enable and OUT2 are in port 0x61. Expected values are worked
  out by hand from the Intel 8254 datasheet (order no. 231164): "Control Word Format" (SC1 SC0, RW1
  RW0, M2 M1 M0, BCD), "Write Operations", "Read Operations", "Counter Latch Command", "Read-Back
  Command" (status: OUT, NULL COUNT, RW1 RW0 M2 M1 M0 BCD) and the "Mode 0" to "Mode 5"
  definitions: a count written between two CLK pulses is loaded on the next pulse, and that pulse
  does not decrement it. So after writing count N in mode 0 at pulse e, the count is N at pulse
  e+1 and OUT goes high at pulse e+1+N. Port 0x61 follows the PC/AT and PIIX/ICH (bit 0 GATE2,
  bit 1 speaker data, bit 4 refresh toggle every 18 clocks, bit 5 OUT2).

  Background:
    Given an 8254 PIT at ports 0x40-0x43 with OUT0 wired to IRQ 0, and port 0x61

  @i8254-control-word @i8254-mode-0
  Scenario: Power-on: no counter is programmed, OUT0 is low, port 0x61 shows GATE2, speaker and OUT2 off
    Then IRQ 0 is not asserted
    And reading port 0x61 gives 0x00 under mask 0x2F
    And reading port 0x43 gives 0xFF

  @i8254-mode-0
  Scenario: Mode 0: OUT stays low for N+1 pulses after the count is written, then goes high and stays high
    When the guest writes 0x30 to port 0x43
    And the guest writes 0x64 to port 0x40
    And the guest writes 0x00 to port 0x40
    Then IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0064
    When 99 PIT clock pulses pass
    Then counter 0 latched reads 0x0001
    And IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0000
    And IRQ 0 is asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0xFFFF
    And IRQ 0 is asserted
    When 70000 PIT clock pulses pass
    Then IRQ 0 has risen 1 time

  @i8254-mode-0 @i8254-write-operations
  Scenario: Mode 0: the first byte of a new two-byte count stops counting and sets OUT low
    When the guest writes 0x30 to port 0x43
    And the guest writes 0x03 to port 0x40
    And the guest writes 0x00 to port 0x40
    And 4 PIT clock pulses pass
    Then IRQ 0 is asserted
    When the guest writes 0x05 to port 0x40
    Then IRQ 0 is not asserted
    When 2 PIT clock pulses pass
    Then counter 0 latched reads 0x0000
    When the guest writes 0x00 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0005
    When 5 PIT clock pulses pass
    Then IRQ 0 is asserted

  @i8254-mode-0 @i8254-gate
  Scenario: Mode 0: GATE low holds the count, GATE high resumes it
    When the guest writes 0xB0 to port 0x43
    And the guest writes 0x05 to port 0x42
    And the guest writes 0x00 to port 0x42
    And 10 PIT clock pulses pass
    Then counter 2 latched reads 0x0005
    And OUT2 is low
    When the guest writes 0x01 to port 0x61
    And 2 PIT clock pulses pass
    Then counter 2 latched reads 0x0003
    When the guest writes 0x00 to port 0x61
    And 5 PIT clock pulses pass
    Then counter 2 latched reads 0x0003
    When the guest writes 0x01 to port 0x61
    And 2 PIT clock pulses pass
    Then OUT2 is low
    When 1 PIT clock pulse passes
    Then OUT2 is high
    And reading port 0x61 gives 0x21 under mask 0x23

  @i8254-mode-1 @i8254-gate
  Scenario: Mode 1: a GATE rising edge starts a one-shot; OUT is low for N pulses from the next pulse
    When the guest writes 0xB2 to port 0x43
    And the guest writes 0x03 to port 0x42
    And the guest writes 0x00 to port 0x42
    And 10 PIT clock pulses pass
    Then OUT2 is high
    When the guest writes 0x01 to port 0x61
    Then OUT2 is high
    When 1 PIT clock pulse passes
    Then OUT2 is low
    And counter 2 latched reads 0x0003
    When 2 PIT clock pulses pass
    Then OUT2 is low
    When 1 PIT clock pulse passes
    Then OUT2 is high

  @i8254-mode-1 @i8254-gate
  Scenario: Mode 1 is retriggerable: a new GATE edge reloads the count and extends the pulse
    When the guest writes 0xB2 to port 0x43
    And the guest writes 0x03 to port 0x42
    And the guest writes 0x00 to port 0x42
    And the guest writes 0x01 to port 0x61
    And 3 PIT clock pulses pass
    Then OUT2 is low
    When the guest writes 0x00 to port 0x61
    And the guest writes 0x01 to port 0x61
    And 3 PIT clock pulses pass
    Then OUT2 is low
    When 1 PIT clock pulse passes
    Then OUT2 is high

  @i8254-mode-2
  Scenario: Mode 2: OUT goes low for one pulse at count 1 and the count reloads every N pulses
    When the guest writes 0x34 to port 0x43
    Then IRQ 0 is asserted
    When the guest writes 0x04 to port 0x40
    And the guest writes 0x00 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0004
    When 2 PIT clock pulses pass
    Then counter 0 latched reads 0x0002
    And IRQ 0 is asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0001
    And IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0004
    And IRQ 0 is asserted
    When 40 PIT clock pulses pass
    Then IRQ 0 has risen 12 times

  @i8254-mode-2 @i8254-read-back
  Scenario: Mode 2: a count written while counting is loaded at the end of the current period
    When the guest writes 0x34 to port 0x43
    And the guest writes 0x0A to port 0x40
    And the guest writes 0x00 to port 0x40
    And 4 PIT clock pulses pass
    And the guest writes 0x04 to port 0x40
    And the guest writes 0x00 to port 0x40
    Then counter 0 latched reads 0x0007
    When the guest writes 0xE2 to port 0x43
    Then reading port 0x40 gives 0xF4
    When 6 PIT clock pulses pass
    Then counter 0 latched reads 0x0001
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0004
    When the guest writes 0xE2 to port 0x43
    Then reading port 0x40 gives 0xB4
    When 3 PIT clock pulses pass
    Then IRQ 0 is not asserted

  @i8254-mode-2
  Scenario: Mode 2 with count 0 divides by 65536
    When the guest writes 0x34 to port 0x43
    And the guest writes 0x00 to port 0x40
    And the guest writes 0x00 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0000
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0xFFFF
    When 65534 PIT clock pulses pass
    Then IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then IRQ 0 is asserted

  @i8254-mode-3
  Scenario: Mode 3 with an even count: N/2 pulses high, N/2 low, the count falls by two
    When the guest writes 0x36 to port 0x43
    And the guest writes 0x0A to port 0x40
    And the guest writes 0x00 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x000A
    And IRQ 0 is asserted
    When 4 PIT clock pulses pass
    Then counter 0 latched reads 0x0002
    And IRQ 0 is asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x000A
    And IRQ 0 is not asserted
    When 4 PIT clock pulses pass
    Then IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then IRQ 0 is asserted
    When 100 PIT clock pulses pass
    Then IRQ 0 has risen 12 times

  @i8254-mode-3
  Scenario: Mode 3 with an odd count: (N+1)/2 pulses high, (N-1)/2 low
    When the guest writes 0x36 to port 0x43
    And the guest writes 0x05 to port 0x40
    And the guest writes 0x00 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0004
    When 2 PIT clock pulses pass
    Then counter 0 latched reads 0x0000
    And IRQ 0 is asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0004
    And IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0002
    And IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then IRQ 0 is asserted

  @i8254-mode-3 @i8254-gate
  Scenario: Mode 3: GATE low forces OUT high; GATE high reloads on the next pulse
    When the guest writes 0x01 to port 0x61
    And the guest writes 0xB6 to port 0x43
    And the guest writes 0x0A to port 0x42
    And the guest writes 0x00 to port 0x42
    And 7 PIT clock pulses pass
    Then OUT2 is low
    When the guest writes 0x00 to port 0x61
    Then OUT2 is high
    When 5 PIT clock pulses pass
    Then OUT2 is high
    When the guest writes 0x01 to port 0x61
    And 1 PIT clock pulse passes
    Then counter 2 latched reads 0x000A
    When 4 PIT clock pulses pass
    Then OUT2 is high
    When 1 PIT clock pulse passes
    Then OUT2 is low

  @i8254-mode-4
  Scenario: Mode 4: OUT strobes low for one pulse when the count reaches 0, once
    When the guest writes 0x38 to port 0x43
    And the guest writes 0x03 to port 0x40
    And the guest writes 0x00 to port 0x40
    Then IRQ 0 is asserted
    When 3 PIT clock pulses pass
    Then IRQ 0 is asserted
    When 1 PIT clock pulse passes
    Then IRQ 0 is not asserted
    When 1 PIT clock pulse passes
    Then IRQ 0 is asserted
    When 70000 PIT clock pulses pass
    Then IRQ 0 has risen 2 times

  @i8254-mode-5 @i8254-gate
  Scenario: Mode 5: a GATE rising edge starts the count; OUT strobes low at 0
    When the guest writes 0xBA to port 0x43
    And the guest writes 0x02 to port 0x42
    And the guest writes 0x00 to port 0x42
    And 5 PIT clock pulses pass
    Then OUT2 is high
    When the guest writes 0x01 to port 0x61
    And 2 PIT clock pulses pass
    Then OUT2 is high
    When 1 PIT clock pulse passes
    Then OUT2 is low
    When 1 PIT clock pulse passes
    Then OUT2 is high

  @i8254-counter-latch
  Scenario: A latched count holds until read; a second latch before the read is ignored
    When the guest writes 0x30 to port 0x43
    And the guest writes 0x00 to port 0x40
    And the guest writes 0x10 to port 0x40
    And 1 PIT clock pulse passes
    And the guest writes 0x00 to port 0x43
    And 100 PIT clock pulses pass
    And the guest writes 0x00 to port 0x43
    Then reading port 0x40 gives 0x00
    And reading port 0x40 gives 0x10
    And counter 0 latched reads 0x0F9C

  @i8254-read-back
  Scenario: Read-back status reports OUT, NULL COUNT and the programmed mode
    When the guest writes 0x30 to port 0x43
    And the guest writes 0xE2 to port 0x43
    Then reading port 0x40 gives 0x70
    When the guest writes 0x34 to port 0x43
    And the guest writes 0xE2 to port 0x43
    Then reading port 0x40 gives 0xF4
    When the guest writes 0x04 to port 0x40
    And the guest writes 0x00 to port 0x40
    And the guest writes 0xE2 to port 0x43
    Then reading port 0x40 gives 0xF4
    When 1 PIT clock pulse passes
    And the guest writes 0xC2 to port 0x43
    Then reading port 0x40 gives 0xB4
    And reading port 0x40 gives 0x04
    And reading port 0x40 gives 0x00

  @i8254-read-back
  Scenario: Read-back can latch the counts of several counters at once
    When the guest writes 0x30 to port 0x43
    And the guest writes 0x00 to port 0x40
    And the guest writes 0x01 to port 0x40
    And the guest writes 0x70 to port 0x43
    And the guest writes 0x00 to port 0x41
    And the guest writes 0x02 to port 0x41
    And 1 PIT clock pulse passes
    And the guest writes 0xD6 to port 0x43
    And 50 PIT clock pulses pass
    Then reading port 0x40 gives 0x00
    And reading port 0x40 gives 0x01
    And reading port 0x41 gives 0x00
    And reading port 0x41 gives 0x02

  @i8254-read-operations @i8254-write-operations
  Scenario: LSB-only and MSB-only access modes transfer one byte
    When the guest writes 0x10 to port 0x43
    And the guest writes 0x05 to port 0x40
    And 1 PIT clock pulse passes
    Then reading port 0x40 gives 0x05
    And reading port 0x40 gives 0x05
    When 2 PIT clock pulses pass
    Then reading port 0x40 gives 0x03
    When the guest writes 0x60 to port 0x43
    And the guest writes 0x02 to port 0x41
    And 1 PIT clock pulse passes
    Then reading port 0x41 gives 0x02
    When 1 PIT clock pulse passes
    Then reading port 0x41 gives 0x01

  @i8254-read-operations @i8254-write-operations
  Scenario: The read and write byte pointers of a word counter are independent
    When the guest writes 0x30 to port 0x43
    And the guest writes 0x34 to port 0x40
    And the guest writes 0x12 to port 0x40
    And 1 PIT clock pulse passes
    Then reading port 0x40 gives 0x34
    When the guest writes 0x78 to port 0x40
    Then reading port 0x40 gives 0x12
    When the guest writes 0x56 to port 0x40
    And 1 PIT clock pulse passes
    Then reading port 0x40 gives 0x78
    And reading port 0x40 gives 0x56

  @i8254-bcd @i8254-mode-0
  Scenario: BCD counting: 0100 counts down to 0099, 0000 means 10000 and wraps to 9999
    When the guest writes 0x31 to port 0x43
    And the guest writes 0x00 to port 0x40
    And the guest writes 0x01 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0100
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0099
    When the guest writes 0x31 to port 0x43
    And the guest writes 0x00 to port 0x40
    And the guest writes 0x00 to port 0x40
    And 1 PIT clock pulse passes
    Then counter 0 latched reads 0x0000
    When 1 PIT clock pulse passes
    Then counter 0 latched reads 0x9999

  @i8254-control-word
  Scenario: A control word stops the counter until a new count is written
    When the guest writes 0x34 to port 0x43
    And the guest writes 0x04 to port 0x40
    And the guest writes 0x00 to port 0x40
    And 10 PIT clock pulses pass
    And the guest writes 0x34 to port 0x43
    And 100 PIT clock pulses pass
    Then IRQ 0 has risen 3 times
    And IRQ 0 is asserted

  @i8254-mode-0 @i8254-gate
  Scenario: Linux-style TSC calibration: counter 2 in mode 0 gated through port 0x61, OUT2 polled in bit 5
    When the guest writes 0x01 to port 0x61
    And the guest writes 0xB0 to port 0x43
    And the guest writes 0x0B to port 0x42
    And the guest writes 0xE9 to port 0x42
    Then reading port 0x61 gives 0x00 under mask 0x20
    When 59659 PIT clock pulses pass
    Then reading port 0x61 gives 0x00 under mask 0x20
    When 1 PIT clock pulse passes
    Then reading port 0x61 gives 0x20 under mask 0x20

  @i8254-gate
  Scenario: Port 0x61 keeps bits 3 to 0, reads 0 in bits 7 and 6, and gates the speaker with OUT2
    When the guest writes 0xFF to port 0x61
    Then reading port 0x61 gives 0x0F under mask 0xCF
    When the guest writes 0xB6 to port 0x43
    And the guest writes 0x00 to port 0x42
    And the guest writes 0x00 to port 0x42
    Then the speaker is on
    When the guest writes 0x01 to port 0x61
    Then the speaker is off

  @i8254-gate
  Scenario: Port 0x61 bit 4 toggles every 18 PIT clocks (refresh request)
    Then reading port 0x61 gives 0x00 under mask 0x10
    When 18 PIT clock pulses pass
    Then reading port 0x61 gives 0x10 under mask 0x10
    When 18 PIT clock pulses pass
    Then reading port 0x61 gives 0x00 under mask 0x10

  @i8254-mode-2 @i8254-read-back
  Scenario: Saving and restoring the PIT (kvm_pit_state2 plus the counting element) is the identity
    When the guest writes 0x34 to port 0x43
    And the guest writes 0x0A to port 0x40
    And the guest writes 0x00 to port 0x40
    And 4 PIT clock pulses pass
    And the guest writes 0x04 to port 0x40
    And the guest writes 0x00 to port 0x40
    And the guest writes 0xC2 to port 0x43
    Then saving and restoring the PIT changes nothing
    And reading port 0x40 gives 0xF4
    And reading port 0x40 gives 0x07
    And reading port 0x40 gives 0x00
    When 7 PIT clock pulses pass
    Then counter 0 latched reads 0x0004
