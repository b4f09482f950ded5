@model
Feature: Inter-processor interrupts through the xAPIC ICR and the APIC bus
  Four processors with APIC IDs 0-3, all software-enabled. Expected deliveries are worked out by
  hand from the Intel SDM volume 3A: ICR layout (§11.6.1: vector 7:0, delivery mode 10:8,
  destination mode 11, level 14, trigger 15, shorthand 19:18, destination in ICR high 31:24),
  physical and logical destinations with the flat and cluster models (§11.6.2.1, §11.6.2.2),
  broadcast and shorthands (§11.6.2.3), lowest-priority delivery and APR (§11.6.2.4), and
  INIT/start-up (§11.6.1, §9.4.4).

  Background:
    Given a machine with 4 CPUs and local APICs
    And every local APIC is software-enabled with spurious vector 0xFF

  @sdm-3A-11.6.1 @sdm-3A-11.6.2.1
  Scenario: A fixed IPI in physical mode reaches the APIC with that ID only
    When CPU 0 writes 0x02000000 to local APIC register 0x310
    And CPU 0 writes 0x00000051 to local APIC register 0x300
    Then CPU 2 takes the interrupt with vector 0x51
    And CPU 1 has no interrupt to take
    And CPU 0 has no interrupt to take
    And local APIC 0 register 0x300 reads 0x00000051
    And local APIC 0 register 0x310 reads 0x02000000

  @sdm-3A-11.6.2.1
  Scenario: Physical destination 0xFF is a broadcast
    When CPU 1 writes 0xFF000000 to local APIC register 0x310
    And CPU 1 writes 0x00000052 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x52
    And CPU 1 takes the interrupt with vector 0x52
    And CPU 2 takes the interrupt with vector 0x52
    And CPU 3 takes the interrupt with vector 0x52

  @sdm-3A-11.6.2.3
  Scenario: The all-excluding-self shorthand ignores the destination field
    When CPU 1 writes 0x01000000 to local APIC register 0x310
    And CPU 1 writes 0x000C0053 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x53
    And CPU 2 takes the interrupt with vector 0x53
    And CPU 3 takes the interrupt with vector 0x53
    And CPU 1 has no interrupt to take

  @sdm-3A-11.6.2.3
  Scenario: The all-including-self shorthand reaches every APIC
    When CPU 3 writes 0x00080054 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x54
    And CPU 3 takes the interrupt with vector 0x54

  @sdm-3A-11.6.2.3
  Scenario: The self shorthand reaches only the sender
    When CPU 2 writes 0x00000000 to local APIC register 0x310
    And CPU 2 writes 0x00040055 to local APIC register 0x300
    Then CPU 2 takes the interrupt with vector 0x55
    And CPU 0 has no interrupt to take

  @sdm-3A-11.6.2.2
  Scenario: Logical flat model: the destination is a bit mask over LDR bits 31:24
    When CPU 1 writes 0x02000000 to local APIC register 0xD0
    And CPU 2 writes 0x04000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 0 writes 0x06000000 to local APIC register 0x310
    And CPU 0 writes 0x00000856 to local APIC register 0x300
    Then CPU 1 takes the interrupt with vector 0x56
    And CPU 2 takes the interrupt with vector 0x56
    And CPU 3 has no interrupt to take

  @sdm-3A-11.6.2.2
  Scenario Outline: Logical cluster model: cluster in bits 7:4 must match, bits 3:0 select within it
    When CPU 1 writes 0x0FFFFFFF to local APIC register 0xE0
    And CPU 2 writes 0x0FFFFFFF to local APIC register 0xE0
    And CPU 3 writes 0x0FFFFFFF to local APIC register 0xE0
    And CPU 1 writes 0x11000000 to local APIC register 0xD0
    And CPU 2 writes 0x12000000 to local APIC register 0xD0
    And CPU 3 writes 0x21000000 to local APIC register 0xD0
    And CPU 0 writes <icr_high> to local APIC register 0x310
    And CPU 0 writes 0x00000857 to local APIC register 0x300
    Then local APIC 1 register 0x220 reads <irr1>
    And local APIC 2 register 0x220 reads <irr2>
    And local APIC 3 register 0x220 reads <irr3>

    Examples:
      | icr_high   | irr1       | irr2       | irr3       |
      | 0x13000000 | 0x00800000 | 0x00800000 | 0x00000000 |
      | 0x11000000 | 0x00800000 | 0x00000000 | 0x00000000 |
      | 0x21000000 | 0x00000000 | 0x00000000 | 0x00800000 |
      | 0x23000000 | 0x00000000 | 0x00000000 | 0x00800000 |
      | 0x31000000 | 0x00000000 | 0x00000000 | 0x00000000 |

  @sdm-3A-11.6.2.4
  Scenario: Lowest priority goes to the APIC with the lowest arbitration priority
    When CPU 1 writes 0x02000000 to local APIC register 0xD0
    And CPU 2 writes 0x04000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 1 writes 0x40 to local APIC register 0x80
    And CPU 2 writes 0x20 to local APIC register 0x80
    And CPU 3 writes 0x30 to local APIC register 0x80
    And CPU 0 writes 0x0E000000 to local APIC register 0x310
    And CPU 0 writes 0x00000961 to local APIC register 0x300
    Then CPU 2 takes the interrupt with vector 0x61
    And CPU 1 has no interrupt to take
    And CPU 3 has no interrupt to take

  @sdm-3A-11.6.2.4
  Scenario: Lowest priority ties go to the lowest APIC ID
    When CPU 2 writes 0x04000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 0 writes 0x0C000000 to local APIC register 0x310
    And CPU 0 writes 0x00000962 to local APIC register 0x300
    Then CPU 2 takes the interrupt with vector 0x62
    And CPU 3 has no interrupt to take

  @sdm-3A-11.6.2.4
  Scenario: The focus processor (vector already pending or in service) wins lowest-priority arbitration
    When CPU 2 writes 0x04000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 3 writes 0x30 to local APIC register 0x80
    And CPU 0 writes 0x03000000 to local APIC register 0x310
    And CPU 0 writes 0x00000063 to local APIC register 0x300
    Then CPU 3 takes the interrupt with vector 0x63
    When CPU 0 writes 0x0C000000 to local APIC register 0x310
    And CPU 0 writes 0x00000963 to local APIC register 0x300
    Then CPU 2 has no interrupt to take
    And local APIC 3 register 0x230 reads 0x00000008

  @sdm-3A-11.6.2.4 @sdm-3A-11.9
  Scenario: With focus checking disabled (SVR bit 9) the lowest APR wins even against the focus
    When CPU 2 writes 0x04000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 3 writes 0x3FF to local APIC register 0xF0
    And CPU 3 writes 0x30 to local APIC register 0x80
    And CPU 0 writes 0x03000000 to local APIC register 0x310
    And CPU 0 writes 0x00000063 to local APIC register 0x300
    Then CPU 3 takes the interrupt with vector 0x63
    When CPU 0 writes 0x0C000000 to local APIC register 0x310
    And CPU 0 writes 0x00000963 to local APIC register 0x300
    Then CPU 2 takes the interrupt with vector 0x63

  @sdm-3A-11.6.2.4
  Scenario Outline: APR is TPR unless a pending or in-service class is at least as high
    When CPU 1 writes <tpr> to local APIC register 0x80
    And CPU 1 writes <self_ipi> to local APIC register 0x300
    Then local APIC 1 register 0x90 reads <apr>

    Examples:
      | tpr  | self_ipi   | apr  |
      | 0x35 | 0x00040020 | 0x35 |
      | 0x35 | 0x00040034 | 0x35 |
      | 0x35 | 0x00040045 | 0x40 |
      | 0x72 | 0x00040045 | 0x72 |

  @sdm-3A-11.6.1
  Scenario: An NMI IPI ignores the vector
    When CPU 0 writes 0x01000000 to local APIC register 0x310
    And CPU 0 writes 0x00000433 to local APIC register 0x300
    Then CPU 1 has a pending NMI
    And CPU 1 has no interrupt to take

  @sdm-3A-11.6.1
  Scenario: An SMI IPI is delivered as an SMI
    When CPU 0 writes 0x03000000 to local APIC register 0x310
    And CPU 0 writes 0x00000200 to local APIC register 0x300
    Then CPU 3 has a pending SMI

  @sdm-3A-11.6.1 @sdm-3A-9.4.4
  Scenario: INIT then start-up to all excluding self, as a BSP wakes the application processors
    When CPU 0 writes 0x000C4500 to local APIC register 0x300
    Then CPU 1 has a pending INIT
    And CPU 2 has a pending INIT
    And CPU 3 has a pending INIT
    And CPU 0 has no pending INIT
    When CPU 0 writes 0x000C4608 to local APIC register 0x300
    Then CPU 1 has a pending start-up IPI with vector 0x08
    And CPU 3 has a pending start-up IPI with vector 0x08
    And CPU 0 has no pending start-up IPI

  @sdm-3A-11.6.1
  Scenario: INIT level de-assert is not supported and does nothing
    When CPU 0 writes 0x000C8500 to local APIC register 0x300
    Then CPU 1 has no pending INIT
    And CPU 2 has no pending INIT

  @sdm-3A-11.6.1 @sdm-3A-11.5.3
  Scenario: A fixed IPI with a vector below 16 is not sent and sets the sender's ESR bit 5
    When CPU 0 writes 0x000C000A to local APIC register 0x300
    Then CPU 1 has no interrupt to take
    When CPU 0 writes 0 to local APIC register 0x280
    Then local APIC 0 register 0x280 reads 0x20

  @sdm-3A-11.4.3
  Scenario: A globally disabled APIC takes no messages at all, not even INIT
    When CPU 2 writes 0xFEE00000 to MSR 0x1B
    And CPU 0 writes 0x000C4500 to local APIC register 0x300
    Then CPU 2 has no pending INIT
    And CPU 1 has a pending INIT
