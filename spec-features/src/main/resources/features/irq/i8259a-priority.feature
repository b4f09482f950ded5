@model
Feature: Intel 8259A priority, end of interrupt, rotation, special mask and poll
  Both chips initialised as on the PC: ICW1 0x11, ICW2 0x20 (master) and 0x28 (slave), ICW3 0x04
  and 0x02, ICW4 0x01 (or 0x03 for automatic EOI). Expected vectors and register values are
  worked out by hand from the Intel 8259A datasheet (order no. 231468): "Fully Nested Mode",
  "End of Interrupt", "Automatic End of Interrupt Mode", "Automatic Rotation", "Specific
  Rotation", "Special Mask Mode", "Poll Command" and the OCW2/OCW3 formats. Priority: after
  initialisation IR0 is highest and IR7 lowest; a rotation makes the named IR the lowest.

  Background:
    Given the PC's cascaded 8259A interrupt controllers

  @i8259a-fully-nested
  Scenario: The higher-priority request is acknowledged first; the lower waits for the EOI
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 5
    And the device pulses IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x23
    And the PIC does not assert INTR
    And the master PIC's ISR is 0x08
    And the master PIC's IRR is 0x20
    When the guest writes 0x20 to port 0x20
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x25

  @i8259a-fully-nested @i8259a-eoi
  Scenario: A higher-priority request nests; the non-specific EOI ends the highest level first
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 5
    Then the CPU acknowledges the interrupt and gets vector 0x25
    When the device pulses IRQ 1
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x21
    And the master PIC's ISR is 0x22
    When the guest writes 0x20 to port 0x20
    Then the master PIC's ISR is 0x20
    When the guest writes 0x20 to port 0x20
    Then the master PIC's ISR is 0x00

  @i8259a-eoi @i8259a-ocw2
  Scenario: A specific EOI resets the named ISR bit
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 5
    Then the CPU acknowledges the interrupt and gets vector 0x25
    When the device pulses IRQ 1
    Then the CPU acknowledges the interrupt and gets vector 0x21
    When the guest writes 0x65 to port 0x20
    Then the master PIC's ISR is 0x02

  @i8259a-eoi @i8259a-ocw2
  Scenario: A non-specific EOI with nothing in service and the no-operation command change nothing
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x20 to port 0x20
    And the guest writes 0x40 to port 0x20
    And the device pulses IRQ 4
    Then the CPU acknowledges the interrupt and gets vector 0x24
    When the guest writes 0x40 to port 0x20
    Then the master PIC's ISR is 0x10

  @i8259a-ocw1
  Scenario: A masked request waits in IRR and interrupts when unmasked
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x10 to port 0x21
    And the device pulses IRQ 4
    Then the PIC does not assert INTR
    And the master PIC's IRR is 0x10
    When the guest writes 0x00 to port 0x21
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x24

  @i8259a-aeoi
  Scenario: In automatic EOI mode no ISR bit stays set and the same IRQ can interrupt again
    Given the PICs are initialised with vector bases 0x20 and 0x28 in automatic EOI mode
    When the device pulses IRQ 6
    Then the CPU acknowledges the interrupt and gets vector 0x26
    And the master PIC's ISR is 0x00
    When the device pulses IRQ 6
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x26

  @i8259a-rotation @i8259a-eoi
  Scenario: Rotate on non-specific EOI makes the serviced IR the lowest priority
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 3
    And the device pulses IRQ 4
    Then the CPU acknowledges the interrupt and gets vector 0x23
    When the guest writes 0xA0 to port 0x20
    And the device pulses IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x24
    When the guest writes 0xA0 to port 0x20
    Then the CPU acknowledges the interrupt and gets vector 0x23

  @i8259a-rotation @i8259a-ocw2
  Scenario: The set priority command makes IR L the lowest priority
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0xC4 to port 0x20
    And the device pulses IRQ 0
    And the device pulses IRQ 6
    Then the CPU acknowledges the interrupt and gets vector 0x26
    When the guest writes 0x20 to port 0x20
    Then the CPU acknowledges the interrupt and gets vector 0x20

  @i8259a-rotation @i8259a-eoi
  Scenario: Rotate on specific EOI ends IR L and makes it the lowest priority
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 1
    Then the CPU acknowledges the interrupt and gets vector 0x21
    When the guest writes 0xE1 to port 0x20
    Then the master PIC's ISR is 0x00
    When the device pulses IRQ 0
    And the device pulses IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x23

  @i8259a-rotation @i8259a-aeoi
  Scenario: Rotate in automatic EOI mode rotates on every acknowledge until cleared
    Given the PICs are initialised with vector bases 0x20 and 0x28 in automatic EOI mode
    When the guest writes 0x80 to port 0x20
    And the device pulses IRQ 3
    And the device pulses IRQ 4
    Then the CPU acknowledges the interrupt and gets vector 0x23
    When the device pulses IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x24
    And the CPU acknowledges the interrupt and gets vector 0x23
    When the guest writes 0x00 to port 0x20
    And the device pulses IRQ 5
    And the device pulses IRQ 0
    Then the CPU acknowledges the interrupt and gets vector 0x25
    When the device pulses IRQ 5
    Then the CPU acknowledges the interrupt and gets vector 0x25
    And the CPU acknowledges the interrupt and gets vector 0x20

  @i8259a-special-mask @i8259a-ocw3
  Scenario: Special mask mode lets lower levels interrupt while the in-service level is masked
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x23
    When the device pulses IRQ 5
    Then the PIC does not assert INTR
    When the guest writes 0x08 to port 0x21
    Then the PIC does not assert INTR
    When the guest writes 0x68 to port 0x20
    Then the PIC asserts INTR
    And the CPU acknowledges the interrupt and gets vector 0x25
    And the master PIC's ISR is 0x28
    When the guest writes 0x65 to port 0x20
    And the guest writes 0x48 to port 0x20
    And the guest writes 0x63 to port 0x20
    Then the master PIC's ISR is 0x00

  @i8259a-special-mask @i8259a-icw
  Scenario: ICW1 leaves special mask mode
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the guest writes 0x68 to port 0x20
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 3
    Then the CPU acknowledges the interrupt and gets vector 0x23
    When the guest writes 0x08 to port 0x21
    And the device pulses IRQ 5
    Then the PIC does not assert INTR

  @i8259a-poll @i8259a-ocw3
  Scenario: The poll command reads the highest request and acknowledges it
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 6
    And the device pulses IRQ 4
    And the guest writes 0x0C to port 0x20
    Then reading port 0x20 gives 0x84
    And the master PIC's ISR is 0x10
    And reading port 0x20 gives 0x40
    When the guest writes 0x0C to port 0x20
    Then reading port 0x20 gives 0x00 under mask 0x80
    When the guest writes 0x20 to port 0x20
    And the guest writes 0x0C to port 0x20
    Then reading port 0x21 gives 0x86
    And the master PIC's ISR is 0x40

  @i8259a-poll @i8259a-cascade
  Scenario: Polling the master reports the cascade input, polling the slave reports its IR
    Given the PICs are initialised with vector bases 0x20 and 0x28
    When the device pulses IRQ 13
    And the guest writes 0x0C to port 0x20
    Then reading port 0x20 gives 0x82
    When the guest writes 0x0C to port 0xA0
    Then reading port 0xA0 gives 0x85
    And the slave PIC's ISR is 0x20
    And the master PIC's ISR is 0x04
