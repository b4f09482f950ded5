@model
Feature: Local APIC interrupt acceptance, priority, EOI and the LINT pins
  Expected vectors and register values are worked out by hand from the Intel SDM volume 3A:
  IRR/ISR/TMR (§11.8.4: bit v of the 256-bit register is bit v%32 of the word at base + 0x10 *
  (v/32)), TPR/PPR (§11.8.3.1: an IRR vector is delivered only if its class v[7:4] is above
  PPR[7:4]), EOI (§11.8.5), spurious interrupt (§11.9), illegal vectors (§11.5.2), LVT and
  LINT0/LINT1 (§11.5.1), virtual wire mode with the 8259A (§11.5.1 ExtINT; MP spec §3.6.2.2).
  Self IPIs are sent with the ICR self shorthand (0x00040000 | vector).

  Background:
    Given a machine with 2 CPUs and local APICs
    And every local APIC is software-enabled with spurious vector 0xFF

  @sdm-3A-11.8.4 @sdm-3A-11.8.3.1
  Scenario: The highest-class pending vector is delivered first; lower classes wait for the EOI
    When CPU 0 writes 0x00040041 to local APIC register 0x300
    And CPU 0 writes 0x00040082 to local APIC register 0x300
    Then local APIC 0 register 0x220 reads 0x00000002
    And local APIC 0 register 0x240 reads 0x00000004
    And CPU 0 takes the interrupt with vector 0x82
    And local APIC 0 register 0x140 reads 0x00000004
    And local APIC 0 register 0xA0 reads 0x80
    And CPU 0 has no interrupt to take
    When CPU 0 writes 0 to local APIC register 0xB0
    Then local APIC 0 register 0xA0 reads 0x00
    And CPU 0 takes the interrupt with vector 0x41

  @sdm-3A-11.8.3.1
  Scenario: A higher class nests above the one in service; the same class does not
    When CPU 0 writes 0x00040050 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x50
    When CPU 0 writes 0x00040055 to local APIC register 0x300
    Then CPU 0 has no interrupt to take
    When CPU 0 writes 0x00040060 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x60
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 has no interrupt to take
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 takes the interrupt with vector 0x55

  @sdm-3A-11.8.3.1
  Scenario: TPR blocks vectors whose class is not above it
    When CPU 0 writes 0x50 to local APIC register 0x80
    And CPU 0 writes 0x00040041 to local APIC register 0x300
    And CPU 0 writes 0x0004005F to local APIC register 0x300
    Then CPU 0 has no interrupt to take
    When CPU 0 writes 0x00040061 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x61
    When CPU 0 writes 0 to local APIC register 0xB0
    And CPU 0 writes 0x40 to local APIC register 0x80
    Then CPU 0 takes the interrupt with vector 0x5F
    And local APIC 0 register 0xA0 reads 0x50

  @sdm-3A-11.8.3.1
  Scenario Outline: PPR is TPR when TPR's class is at least the in-service class, else the in-service class
    When CPU 0 writes 0x00040064 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x64
    When CPU 0 writes <tpr> to local APIC register 0x80
    Then local APIC 0 register 0xA0 reads <ppr>

    Examples:
      | tpr  | ppr  |
      | 0x00 | 0x60 |
      | 0x35 | 0x60 |
      | 0x6F | 0x6F |
      | 0x70 | 0x70 |

  @sdm-3A-11.8.4
  Scenario: One interrupt per vector can wait in IRR while another is in service; more collapse
    When CPU 0 writes 0x00040041 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x41
    When CPU 0 writes 0x00040041 to local APIC register 0x300
    And CPU 0 writes 0x00040041 to local APIC register 0x300
    Then local APIC 0 register 0x220 reads 0x00000002
    And local APIC 0 register 0x120 reads 0x00000002
    And CPU 0 has no interrupt to take
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 takes the interrupt with vector 0x41
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 has no interrupt to take
    And local APIC 0 register 0x120 reads 0x00000000

  @sdm-3A-11.9
  Scenario: An interrupt that became undeliverable before INTA gives the spurious vector
    When CPU 0 writes 0x1F7 to local APIC register 0xF0
    And CPU 0 writes 0x00040041 to local APIC register 0x300
    And CPU 0 writes 0x40 to local APIC register 0x80
    Then CPU 0 acknowledging anyway gets vector 0xF7
    And local APIC 0 register 0x120 reads 0x00000000
    And local APIC 0 register 0x220 reads 0x00000002

  @sdm-3A-11.5.2 @sdm-3A-11.5.3
  Scenario: A local interrupt with a vector below 16 is not accepted and sets ESR bit 6
    When CPU 0 writes 0x0B to local APIC register 0x3E0
    And CPU 0 writes 0x00000005 to local APIC register 0x320
    And CPU 0 writes 10 to local APIC register 0x380
    And 10 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take
    When CPU 0 writes 0 to local APIC register 0x280
    Then local APIC 0 register 0x280 reads 0x40

  @sdm-3A-11.4.7.2
  Scenario: A software-disabled APIC drops fixed interrupts but still takes NMIs
    When CPU 1 writes 0x0FF to local APIC register 0xF0
    And CPU 0 writes 0x01000000 to local APIC register 0x310
    And CPU 0 writes 0x00000045 to local APIC register 0x300
    Then CPU 1 has no interrupt to take
    And local APIC 1 register 0x220 reads 0x00000000
    When CPU 0 writes 0x00000400 to local APIC register 0x300
    Then CPU 1 has a pending NMI

  @sdm-3A-11.4.7.2 @sdm-3A-11.8.4
  Scenario: Interrupts already pending when software-disabled are still delivered
    When CPU 1 writes 0x00040045 to local APIC register 0x300
    And CPU 1 writes 0x0FF to local APIC register 0xF0
    Then CPU 1 takes the interrupt with vector 0x45

  @sdm-3A-11.5.1
  Scenario: LINT0 programmed fixed and edge-triggered interrupts on the rising edge
    When CPU 0 writes 0x00000030 to local APIC register 0x350
    And CPU 0's LINT0 pin is driven high
    Then CPU 0 takes the interrupt with vector 0x30
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 has no interrupt to take
    When CPU 0's LINT0 pin is driven low
    And CPU 0's LINT0 pin is driven high
    Then CPU 0 takes the interrupt with vector 0x30

  @sdm-3A-11.5.1 @sdm-3A-11.8.5
  Scenario: LINT0 level-triggered sets Remote IRR until the EOI and interrupts again while high
    When CPU 0 writes 0x00008031 to local APIC register 0x350
    And CPU 0's LINT0 pin is driven high
    Then CPU 0 takes the interrupt with vector 0x31
    And local APIC 0 register 0x350 reads 0x0000C031
    And local APIC 0 register 0x190 reads 0x00020000
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 takes the interrupt with vector 0x31
    When CPU 0's LINT0 pin is driven low
    And CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 has no interrupt to take
    And local APIC 0 register 0x350 reads 0x00008031

  @sdm-3A-11.5.1
  Scenario: LINT1 programmed as NMI raises an NMI on the rising edge
    When CPU 0 writes 0x00000400 to local APIC register 0x360
    And CPU 0's LINT1 pin is driven high
    Then CPU 0 has a pending NMI
    And CPU 0 has no pending NMI

  @sdm-3A-11.5.1
  Scenario: A masked LINT pin is ignored
    When CPU 0 writes 0x00010400 to local APIC register 0x360
    And CPU 0's LINT1 pin is driven high
    Then CPU 0 has no pending NMI

  @sdm-3A-11.5.1 @i8259a-interrupt-sequence
  Scenario: Virtual wire mode: LINT0 as ExtINT passes the 8259A's INTR, the vector comes from the PIC
    Given the PC's cascaded 8259A interrupt controllers
    And the PICs are initialised with vector bases 0x20 and 0x28
    And the PIC's INTR is wired to LINT0 of every local APIC
    When CPU 0 writes 0x00000700 to local APIC register 0x350
    And the device pulses IRQ 1
    Then CPU 0 takes the interrupt with vector 0x21
    And CPU 1 has no interrupt to take
    And the master PIC's ISR is 0x02
    And local APIC 0 register 0x100 reads 0x00000000

  @sdm-3A-11.5.1
  Scenario: ExtINT is not blocked by the task priority
    Given the PC's cascaded 8259A interrupt controllers
    And the PICs are initialised with vector bases 0x20 and 0x28
    And the PIC's INTR is wired to LINT0 of every local APIC
    When CPU 0 writes 0x00000700 to local APIC register 0x350
    And CPU 0 writes 0xFF to local APIC register 0x80
    And the device pulses IRQ 4
    Then CPU 0 takes the interrupt with vector 0x24

  @sdm-3A-11.4.3
  Scenario: With the APIC globally disabled the 8259A's INTR reaches the CPU directly
    Given the PC's cascaded 8259A interrupt controllers
    And the PICs are initialised with vector bases 0x08 and 0x70
    And the PIC's INTR is wired to LINT0 of every local APIC
    When CPU 0 writes 0xFEE00100 to MSR 0x1B
    And the device pulses IRQ 0
    Then CPU 0 takes the interrupt with vector 0x08

  @sdm-3A-11.4.3
  Scenario: With the APIC globally disabled LINT1 is the NMI pin
    When CPU 1 writes 0xFEE00000 to MSR 0x1B
    And CPU 1's LINT1 pin is driven high
    Then CPU 1 has a pending NMI
