@model
Feature: x2APIC mode: IA32_APIC_BASE transitions and the MSR interface
  Expected results are worked out by hand from the Intel SDM volume 3A §11.12: enabling
  (§11.12.1, EXTD = bit 10), the MSR map 0x800 + offset/16 and its read/write semantics (§11.12.1.2,
  Table 11-6), reserved-bit checking (§11.12.1.3), register availability (§11.12.2), state
  transitions (§11.12.5), ICR (§11.12.9), logical x2APIC ID (§11.12.10.2: cluster = ID[19:4] in
  bits 31:16, 1 << ID[3:0] in bits 15:0) and the SELF IPI register (§11.12.11). CPU 0 is the BSP,
  so its IA32_APIC_BASE reads 0xFEE00900 in xAPIC mode and 0xFEE00D00 in x2APIC mode.

  Background:
    Given a machine with 4 CPUs and local APICs

  @sdm-3A-11.12.2
  Scenario: x2APIC MSRs raise #GP while the APIC is in xAPIC mode
    Then CPU 1 reading MSR 0x802 raises #GP
    And CPU 1 writing 0x10 to MSR 0x808 raises #GP

  @sdm-3A-11.12.1 @sdm-3A-11.12.5
  Scenario: Setting EXTD enters x2APIC mode; ID, version and the derived logical ID read through MSRs
    When CPU 3 writes 0xFEE00C00 to MSR 0x1B
    Then CPU 3 reading MSR 0x1B gives 0xFEE00C00
    And CPU 3 reading MSR 0x802 gives 0x3
    And CPU 3 reading MSR 0x803 gives 0x00050014
    And CPU 3 reading MSR 0x80D gives 0x00000008
    And CPU 3 reading MSR 0x80F gives 0xFF
    And CPU 3 reading MSR 0x80E raises #GP

  @sdm-3A-11.12.2
  Scenario: In x2APIC mode the MMIO page does not decode
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    Then CPU 0 reading physical address 0xFEE00030 gives 0xFFFFFFFF

  @sdm-3A-11.12.1.2
  Scenario Outline: Read-only, write-only and absent x2APIC registers raise #GP on the wrong access
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    Then CPU 0 reading MSR <read_faults> raises #GP
    And CPU 0 writing 0 to MSR <write_faults> raises #GP

    Examples:
      | read_faults | write_faults |
      | 0x80B       | 0x802        |
      | 0x83F       | 0x803        |
      | 0x809       | 0x80A        |
      | 0x80C       | 0x80D        |
      | 0x80E       | 0x80E        |
      | 0x831       | 0x831        |
      | 0x800       | 0x839        |
      | 0x82F       | 0x810        |
      | 0x8FF       | 0x820        |

  @sdm-3A-11.12.1.3
  Scenario Outline: Non-zero writes to reserved bits raise #GP
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    Then CPU 0 writing <value> to MSR <msr> raises #GP

    Examples:
      | msr   | value              |
      | 0x808 | 0x100              |
      | 0x808 | 0x1_0000_0010      |
      | 0x80B | 0x1                |
      | 0x828 | 0x40               |
      | 0x83F | 0x140              |
      | 0x83E | 0x4                |
      | 0x832 | 0x80000            |
      | 0x837 | 0x700              |
      | 0x830 | 0x2050             |
      | 0x830 | 0x100050           |

  @sdm-3A-11.12.1.3
  Scenario: Zero writes to EOI and ESR and writes within the defined bits succeed
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 0 writes 0 to MSR 0x80B
    And CPU 0 writes 0 to MSR 0x828
    And CPU 0 writes 0x5A to MSR 0x808
    And CPU 0 writes 0x1FF to MSR 0x80F
    Then CPU 0 reading MSR 0x808 gives 0x5A
    And CPU 0 reading MSR 0x80A gives 0x5A
    And CPU 0 reading MSR 0x80F gives 0x1FF

  @sdm-3A-11.12.5
  Scenario: x2APIC to xAPIC directly is invalid; through disabled it works
    When CPU 1 writes 0xFEE00C00 to MSR 0x1B
    Then CPU 1 writing 0xFEE00800 to MSR 0x1B raises #GP
    And CPU 1 reading MSR 0x1B gives 0xFEE00C00
    When CPU 1 writes 0xFEE00000 to MSR 0x1B
    And CPU 1 writes 0xFEE00800 to MSR 0x1B
    Then CPU 1 reading MSR 0x1B gives 0xFEE00800
    And local APIC 1 register 0x20 reads 0x01000000

  @sdm-3A-11.12.5
  Scenario: Disabled to x2APIC directly is invalid, and EN=0 with EXTD=1 is the invalid state
    When CPU 1 writes 0xFEE00000 to MSR 0x1B
    Then CPU 1 writing 0xFEE00C00 to MSR 0x1B raises #GP
    And CPU 1 writing 0xFEE00400 to MSR 0x1B raises #GP
    When CPU 1 writes 0xFEE00800 to MSR 0x1B
    And CPU 1 writes 0xFEE00C00 to MSR 0x1B
    Then CPU 1 reading MSR 0x802 gives 0x1

  @sdm-3A-11.12.5
  Scenario: INIT keeps x2APIC mode and the ID but resets the other registers
    When CPU 2 writes 0xFEE00C00 to MSR 0x1B
    And CPU 2 writes 0x1FF to MSR 0x80F
    And CPU 2 writes 0x44 to MSR 0x808
    And CPU 2 performs INIT
    Then CPU 2 reading MSR 0x1B gives 0xFEE00C00
    And CPU 2 reading MSR 0x802 gives 0x2
    And CPU 2 reading MSR 0x80D gives 0x4
    And CPU 2 reading MSR 0x808 gives 0x0
    And CPU 2 reading MSR 0x80F gives 0xFF

  @sdm-3A-11.12.11
  Scenario: The SELF IPI register sends a fixed edge-triggered interrupt to the writer
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 0 writes 0x1FF to MSR 0x80F
    And CPU 0 writes 0x45 to MSR 0x83F
    Then CPU 0 takes the interrupt with vector 0x45
    And CPU 1 has no interrupt to take

  @sdm-3A-11.12.11 @sdm-3A-11.5.3
  Scenario: A SELF IPI with a vector below 16 sets ESR bit 5
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 0 writes 0x1FF to MSR 0x80F
    And CPU 0 writes 0x0E to MSR 0x83F
    And CPU 0 writes 0 to MSR 0x828
    Then CPU 0 reading MSR 0x828 gives 0x20
    And CPU 0 has no interrupt to take

  @sdm-3A-11.12.9 @sdm-3A-11.12.10
  Scenario: The 64-bit ICR carries a 32-bit physical destination
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 2 writes 0xFEE00C00 to MSR 0x1B
    And CPU 2 writes 0x1FF to MSR 0x80F
    And CPU 0 writes 0x0000000200000050 to MSR 0x830
    Then CPU 2 takes the interrupt with vector 0x50
    And CPU 0 reading MSR 0x830 gives 0x0000000200000050

  @sdm-3A-11.12.10.1
  Scenario: Logical x2APIC destinations name a cluster in bits 31:16 and members in bits 15:0
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 1 writes 0xFEE00C00 to MSR 0x1B
    And CPU 2 writes 0xFEE00C00 to MSR 0x1B
    And CPU 3 writes 0xFEE00C00 to MSR 0x1B
    And CPU 1 writes 0x1FF to MSR 0x80F
    And CPU 2 writes 0x1FF to MSR 0x80F
    And CPU 3 writes 0x1FF to MSR 0x80F
    And CPU 0 writes 0x0000000A00000858 to MSR 0x830
    Then CPU 1 takes the interrupt with vector 0x58
    And CPU 3 takes the interrupt with vector 0x58
    And CPU 2 has no interrupt to take

  @sdm-3A-11.12.10
  Scenario: Physical destination 0xFFFFFFFF is the x2APIC broadcast
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 0 writes 0x1FF to MSR 0x80F
    And CPU 1 writes 0xFEE00C00 to MSR 0x1B
    And CPU 1 writes 0x1FF to MSR 0x80F
    And CPU 0 writes 0xFFFFFFFF00000059 to MSR 0x830
    Then CPU 0 takes the interrupt with vector 0x59
    And CPU 1 takes the interrupt with vector 0x59

  @sdm-3A-11.12.1.2 @sdm-3A-11.5.4
  Scenario: The timer registers are reachable through MSRs 0x832, 0x838, 0x839 and 0x83E
    When CPU 0 writes 0xFEE00D00 to MSR 0x1B
    And CPU 0 writes 0x1FF to MSR 0x80F
    And CPU 0 writes 0xB to MSR 0x83E
    And CPU 0 writes 0x48 to MSR 0x832
    And CPU 0 writes 100 to MSR 0x838
    And 40 nanoseconds of virtual time pass
    Then CPU 0 reading MSR 0x839 gives 60
    And CPU 0 reading MSR 0x838 gives 100
    When 60 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x48
