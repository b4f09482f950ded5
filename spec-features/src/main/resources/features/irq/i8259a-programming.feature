@model
Feature: Intel 8259A programming: ICWs, OCW1, status reads, edge and level inputs
  The PC's two cascaded 8259A PICs (master 0x20/0x21, slave 0xA0/0xA1, ELCR at 0x4D0/0x4D1).
  Expected values are worked out by hand from the Intel 8259A datasheet (order no. 231468):
  "Initialization Command Words", "Operation Command Words", "Reading the 8259A Status",
  "Interrupt Sequence" (8086 mode: vector = ICW2 bits 7..3 | IR) and "Edge and Level Triggered
  Modes"; the ELCR masks (IRQ 0, 1, 2, 8 and 13 always edge) come from the PIIX3/ICH datasheets.
  Clause tags name the datasheet headings.

  Background:
    Given the PC's cascaded 8259A interrupt controllers

  @i8259a-icw @i8259a-ocw1
  Scenario: ICW1 clears the interrupt mask register
    When the guest writes 0xFF to port 0x21
    Then reading port 0x21 gives 0xFF
    When the guest writes 0x11 to port 0x20
    And the guest writes 0x20 to port 0x21
    And the guest writes 0x04 to port 0x21
    And the guest writes 0x01 to port 0x21
    Then reading port 0x21 gives 0x00

  @i8259a-ocw1
  Scenario: OCW1 writes and reads back the mask of each chip
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0xFB to port 0x21
    And the guest writes 0x5A to port 0xA1
    Then reading port 0x21 gives 0xFB
    And reading port 0xA1 gives 0x5A
    And the master PIC's IMR is 0xFB
    And the slave PIC's IMR is 0x5A

  @i8259a-icw @i8259a-interrupt-sequence
  Scenario Outline: ICW2 bits 7..3 and the IR number form the vector
    Given the PICs are initialised with vector bases <master> and <slave>
    When the device pulses IRQ <irq>
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector <vector>

    Examples:
      | master | slave | irq | vector |
      | 0x20   | 0x28  | 0   | 0x20   |
      | 0x20   | 0x28  | 1   | 0x21   |
      | 0x20   | 0x28  | 7   | 0x27   |
      | 0x20   | 0x28  | 8   | 0x28   |
      | 0x20   | 0x28  | 12  | 0x2C   |
      | 0x20   | 0x28  | 15  | 0x2F   |
      | 0x08   | 0x70  | 0   | 0x08   |
      | 0x08   | 0x70  | 14  | 0x76   |
      | 0x27   | 0x2F  | 1   | 0x21   |
      | 0x27   | 0x2F  | 9   | 0x29   |

  @i8259a-reading-status @i8259a-ocw3
  Scenario: OCW3 selects IRR or ISR for reads at A0=0; A0=1 always reads IMR
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 3
    And the device pulses IRQ 5
    Then reading port 0x20 gives 0x28
    And the CPU acknowledges the interrupt and gets vector 0x23
    And reading port 0x20 gives 0x20
    When the guest writes 0x0B to port 0x20
    Then reading port 0x20 gives 0x08
    And reading port 0x20 gives 0x08
    And reading port 0x21 gives 0x00
    When the guest writes 0x0A to port 0x20
    Then reading port 0x20 gives 0x20

  @i8259a-icw @i8259a-edge-level
  Scenario: ICW1 resets the edge sense circuit, so a held input needs a new rising edge
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device raises IRQ 4
    Then the master PIC's IRR is 0x10
    Given the PICs are initialised with vector bases 0x20 and 0x28
    Then the master PIC's IRR is 0x00
    And the PIC does not assert INTR
    When the device raises IRQ 4
    Then the PIC does not assert INTR
    When the device lowers IRQ 4
    And the device raises IRQ 4
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x24

  @i8259a-icw @i8259a-ocw3
  Scenario: ICW1 returns the status read to IRR
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x0B to port 0x20
    And the guest writes 0x68 to port 0x20
    And the device pulses IRQ 6
    Then reading port 0x20 gives 0x00
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 6
    Then reading port 0x20 gives 0x40

  @i8259a-edge-level
  Scenario: An edge-triggered input that stays high interrupts only once
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device raises IRQ 3
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x23
    When the guest writes 0x20 to port 0x20
    Then the PIC does not assert INTR
    And the master PIC's ISR is 0x00
    When the device lowers IRQ 3
    Then the PIC does not assert INTR
    When the device raises IRQ 3
    Then the PIC asserts INTR

  @i8259a-edge-level
  Scenario: An edge latched while the input is high stays requested after the input falls
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 5
    Then the master PIC's IRR is 0x20
    And the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x25

  @i8259a-edge-level
  Scenario: A level-triggered input (ELCR) interrupts again after EOI while it stays high
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x08 to port 0x4D0
    And the device raises IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x23
    When the guest writes 0x20 to port 0x20
    Then the PIC asserts INTR
    And the master PIC's IRR is 0x08
    When the device lowers IRQ 3
    Then the PIC does not assert INTR
    And the master PIC's IRR is 0x00

  @i8259a-edge-level
  Scenario: The ELCR bits of IRQ 0, 1, 2, 8 and 13 are fixed to edge
    When the guest writes 0xFF to port 0x4D0
    And the guest writes 0xFF to port 0x4D1
    Then reading port 0x4D0 gives 0xF8
    And reading port 0x4D1 gives 0xDE
    When the guest writes 0x00 to port 0x4D0
    Then reading port 0x4D0 gives 0x00

  @i8259a-edge-level
  Scenario: Switching a pin to level mode takes its IRR bit from the input
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 5
    Then the master PIC's IRR is 0x20
    When the guest writes 0x20 to port 0x4D0
    Then the master PIC's IRR is 0x00
    And the PIC does not assert INTR

  @i8259a-interrupt-sequence @i8259a-edge-level
  Scenario: A level request that goes away before INTA gives the spurious IRQ 7 vector without ISR
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x08 to port 0x4D0
    And the device raises IRQ 3
    Then the PIC asserts INTR
    When the device lowers IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x27
    And the master PIC's ISR is 0x00

  @i8259a-interrupt-sequence @i8259a-cascade
  Scenario: A slave request that goes away before INTA gives the spurious IRQ 15 vector
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x04 to port 0x4D1
    And the device raises IRQ 10
    And the device lowers IRQ 10
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x2F
    And the master PIC's ISR is 0x04
    And the slave PIC's ISR is 0x00
    When the guest writes 0x20 to port 0x20
    Then the master PIC's ISR is 0x00
    And the PIC does not assert INTR

  @i8259a-interrupt-sequence
  Scenario: An acknowledge with nothing pending gives the spurious vector
    Given the PICs are initialised with vector bases 0x08 and 0x70
    Then the CPU acknowledges the interrupt and gets vector 0x0F
    And the master PIC's ISR is 0x00

  @i8259a-reading-status @kvm-api-4.26 @kvm-api-4.27
  Scenario: Saving and restoring both chips through the kvm_pic_state layout is the identity
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x08 to port 0x4D0
    And the device raises IRQ 3
    And the device pulses IRQ 12
    And the guest writes 0x81 to port 0x21
    And the guest writes 0x0B to port 0xA0
    Then the CPU acknowledges the interrupt and gets vector 0x2C
    And saving and restoring both PICs changes nothing
    And reading port 0xA0 gives 0x10
    And the master PIC's IRR is 0x08
