@model
Feature: Intel 8259A master/slave cascade of the PC/AT
  The slave's INT output drives master IR2 (ICW3 0x04 on the master, slave ID 2); in the INTA
  sequence the master acknowledges IR2 and the slave supplies the vector. Expected values are
  worked out by hand from the Intel 8259A datasheet (order no. 231468), "Cascade Mode",
  "Fully Nested Mode" and "Special Fully Nest Mode". Vector bases 0x20 (master), 0x28 (slave).

  Background:
    Given the PC's cascaded 8259A interrupt controllers

  @i8259a-cascade @i8259a-interrupt-sequence
  Scenario: A slave IRQ sets master IR2 and both ISR bits; each chip needs its own EOI
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 12
    Then the PIC asserts INTR
    And the master PIC's IRR is 0x04
    And the slave PIC's IRR is 0x10
    And the CPU acknowledges the interrupt and gets vector 0x2C
    And the master PIC's ISR is 0x04
    And the slave PIC's ISR is 0x10
    When the guest writes 0x20 to port 0xA0
    And the guest writes 0x20 to port 0x20
    Then the master PIC's ISR is 0x00
    And the slave PIC's ISR is 0x00

  @i8259a-cascade @i8259a-ocw1
  Scenario: Masking master IR2 masks the whole slave
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x04 to port 0x21
    And the device pulses IRQ 9
    Then the PIC does not assert INTR
    And the slave PIC's IRR is 0x02
    When the guest writes 0x00 to port 0x21
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x29

  @i8259a-cascade @i8259a-ocw1
  Scenario: A request masked on the slave does not reach the master
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x01 to port 0xA1
    And the device pulses IRQ 8
    Then the PIC does not assert INTR
    And the master PIC's IRR is 0x00

  @i8259a-cascade @i8259a-fully-nested
  Scenario: Slave IRQs rank at master IR2: below IRQ 0 and 1, above IRQ 3 to 7
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 3
    And the device pulses IRQ 8
    And the device pulses IRQ 1
    Then the CPU acknowledges the interrupt and gets vector 0x21
    When the guest writes 0x20 to port 0x20
    Then the CPU acknowledges the interrupt and gets vector 0x28
    When the guest writes 0x20 to port 0xA0
    And the guest writes 0x20 to port 0x20
    Then the CPU acknowledges the interrupt and gets vector 0x23

  @i8259a-cascade @i8259a-fully-nested
  Scenario: Within the slave, IRQ 8 outranks IRQ 15
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 15
    And the device pulses IRQ 8
    Then the CPU acknowledges the interrupt and gets vector 0x28
    When the guest writes 0x20 to port 0xA0
    And the guest writes 0x20 to port 0x20
    Then the CPU acknowledges the interrupt and gets vector 0x2F

  @i8259a-sfnm @i8259a-cascade
  Scenario: Without special fully nested mode, a higher slave request waits while the slave is in service
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 12
    Then the CPU acknowledges the interrupt and gets vector 0x2C
    When the device pulses IRQ 9
    Then the PIC does not assert INTR
    And the master PIC's IRR is 0x04

  @i8259a-sfnm @i8259a-cascade @i8259a-icw
  Scenario: In special fully nested mode (ICW4 bit 4 on the master) a higher slave request nests
    When the guest writes 0x11 to port 0x20
    And the guest writes 0x20 to port 0x21
    And the guest writes 0x04 to port 0x21
    And the guest writes 0x11 to port 0x21
    And the guest writes 0x11 to port 0xA0
    And the guest writes 0x28 to port 0xA1
    And the guest writes 0x02 to port 0xA1
    And the guest writes 0x01 to port 0xA1
    And the device pulses IRQ 12
    Then the CPU acknowledges the interrupt and gets vector 0x2C
    When the device pulses IRQ 9
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x29
    And the slave PIC's ISR is 0x12
    And the master PIC's ISR is 0x04
    When the device pulses IRQ 14
    Then the PIC does not assert INTR

  @i8259a-cascade @i8259a-edge-level
  Scenario: A level-triggered slave IRQ interrupts again after both EOIs while it stays high
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x08 to port 0x4D1
    And the device raises IRQ 11
    Then the CPU acknowledges the interrupt and gets vector 0x2B
    When the guest writes 0x20 to port 0xA0
    And the guest writes 0x20 to port 0x20
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x2B
    When the device lowers IRQ 11
    And the guest writes 0x20 to port 0xA0
    And the guest writes 0x20 to port 0x20
    Then the PIC does not assert INTR

  @i8259a-cascade @i8259a-aeoi
  Scenario: With automatic EOI on both chips a slave interrupt leaves no ISR bit
    Given the PICs are initialised with vector bases 0x20 and 0x28 in automatic EOI mode
    When the device pulses IRQ 10
    Then the CPU acknowledges the interrupt and gets vector 0x2A
    And the master PIC's ISR is 0x00
    And the slave PIC's ISR is 0x00
