@model
Feature: Local APIC registers, IA32_APIC_BASE and the xAPIC page
  Two processors, APIC IDs 0 (the BSP) and 1. Expected values are worked out by hand from the
  Intel SDM volume 3A chapter 11: register map (Table 11-1), IA32_APIC_BASE (§11.4.4), power-up
  state (§11.4.7.1), software disable (§11.4.7.2), version (§11.4.8), ESR (§11.5.3), LDR/DFR
  (§11.6.2.2), SVR (§11.9). Version 0x14 with max LVT entry 5 gives 0x00050014.

  Background:
    Given a machine with 2 CPUs and local APICs

  @sdm-3A-11.4.7.1 @sdm-3A-11.4.6 @sdm-3A-11.4.8
  Scenario: Registers have their power-up values
    Then local APIC 1 register 0x20 reads 0x01000000
    And local APIC 0 register 0x20 reads 0x00000000
    And local APIC 1 register 0x30 reads 0x00050014
    And local APIC 1 register 0x80 reads 0x00
    And local APIC 1 register 0xA0 reads 0x00
    And local APIC 1 register 0xD0 reads 0x00
    And local APIC 1 register 0xE0 reads 0xFFFFFFFF
    And local APIC 1 register 0xF0 reads 0xFF
    And local APIC 1 register 0x320 reads 0x00010000
    And local APIC 1 register 0x350 reads 0x00010000
    And local APIC 1 register 0x360 reads 0x00010000
    And local APIC 1 register 0x370 reads 0x00010000
    And local APIC 1 register 0x380 reads 0x00
    And local APIC 1 register 0x3E0 reads 0x00

  @sdm-3A-11.4.4
  Scenario: IA32_APIC_BASE holds the base, EN and the BSP flag
    Then CPU 0 reading MSR 0x1B gives 0xFEE00900
    And CPU 1 reading MSR 0x1B gives 0xFEE00800

  @sdm-3A-11.4.4
  Scenario: The BSP flag is read-only
    When CPU 1 writes 0xFEE00900 to MSR 0x1B
    Then CPU 1 reading MSR 0x1B gives 0xFEE00800

  @sdm-3A-11.4.4
  Scenario Outline: Reserved bits of IA32_APIC_BASE raise #GP
    Then CPU 0 writing <value> to MSR 0x1B raises #GP
    And CPU 0 reading MSR 0x1B gives 0xFEE00900

    Examples:
      | value              |
      | 0xFEE00901         |
      | 0xFEE00B00         |
      | 0x0004_0000_FEE00900 |

  @sdm-3A-11.4.4 @sdm-3A-11.4.1
  Scenario: The register page moves with IA32_APIC_BASE
    When CPU 0 writes 0x2A to physical address 0xFEE00080
    And CPU 0 writes 0xFED00900 to MSR 0x1B
    Then CPU 0 reading physical address 0xFED00080 gives 0x2A
    And CPU 0 reading physical address 0xFEE00080 gives 0xFFFFFFFF
    When CPU 0 writes 0x31 to physical address 0xFED00080
    Then local APIC 0 register 0x80 reads 0x31

  @sdm-3A-11.4.1
  Scenario: Narrow reads return the addressed bytes of a register
    When CPU 1 writes 0x000000AB to local APIC register 0x80
    Then CPU 1 reading 1 byte at physical address 0xFEE00080 gives 0xAB
    And CPU 1 reading 1 byte at physical address 0xFEE00033 gives 0x00
    And CPU 1 reading 2 bytes at physical address 0xFEE00032 gives 0x0005

  @sdm-3A-11.4.3 @sdm-3A-11.4.7.1
  Scenario: A global disable through IA32_APIC_BASE hides the page; re-enabling gives the power-up state
    When CPU 0 writes 0x1FF to local APIC register 0xF0
    And CPU 0 writes 0x20 to local APIC register 0x80
    And CPU 0 writes 0xFEE00100 to MSR 0x1B
    Then CPU 0 reading physical address 0xFEE000F0 gives 0xFFFFFFFF
    When CPU 0 writes 0xFEE00900 to MSR 0x1B
    Then local APIC 0 register 0xF0 reads 0xFF
    And local APIC 0 register 0x80 reads 0x00
    When CPU 0 writes 0x1FF to local APIC register 0xF0
    And CPU 0 writes 0x00040061 to local APIC register 0x300
    Then CPU 0 takes the interrupt with vector 0x61

  @sdm-3A-11.4.6
  Scenario: The xAPIC ID register holds the ID in bits 31:24
    When CPU 1 writes 0x05ABCDEF to local APIC register 0x20
    Then local APIC 1 register 0x20 reads 0x05000000

  @sdm-3A-11.8.3.1
  Scenario: TPR keeps bits 7:0 and PPR follows it while nothing is in service
    When CPU 1 writes 0x1235 to local APIC register 0x80
    Then local APIC 1 register 0x80 reads 0x35
    And local APIC 1 register 0xA0 reads 0x35

  @sdm-3A-11.6.2.2
  Scenario: LDR keeps bits 31:24; DFR keeps bits 31:28 and reads ones below
    When CPU 1 writes 0x12345678 to local APIC register 0xD0
    And CPU 1 writes 0x00000000 to local APIC register 0xE0
    Then local APIC 1 register 0xD0 reads 0x12000000
    And local APIC 1 register 0xE0 reads 0x0FFFFFFF

  @sdm-3A-11.9
  Scenario: SVR keeps the vector, the enable and the focus bits
    When CPU 1 writes 0xFFFFFFFF to local APIC register 0xF0
    Then local APIC 1 register 0xF0 reads 0x3FF

  @sdm-3A-11.4.7.2 @sdm-3A-11.9
  Scenario: While software-disabled every LVT entry stays masked
    When CPU 1 writes 0x00000030 to local APIC register 0x350
    Then local APIC 1 register 0x350 reads 0x00010030
    When CPU 1 writes 0x1FF to local APIC register 0xF0
    And CPU 1 writes 0x00000030 to local APIC register 0x350
    Then local APIC 1 register 0x350 reads 0x00000030
    When CPU 1 writes 0x0FF to local APIC register 0xF0
    Then local APIC 1 register 0x350 reads 0x00010030

  @sdm-3A-11.5.3
  Scenario: A reserved register access is an illegal register address error, latched by the next ESR write
    When CPU 1 writes 0x1FF to local APIC register 0xF0
    Then local APIC 1 register 0x40 reads 0x00
    And local APIC 1 register 0x280 reads 0x00
    When CPU 1 writes 0x0 to local APIC register 0x280
    Then local APIC 1 register 0x280 reads 0x80
    When CPU 1 writes 0x0 to local APIC register 0x280
    Then local APIC 1 register 0x280 reads 0x00

  @sdm-3A-11.5.3 @sdm-3A-11.5.2
  Scenario: Sending an illegal vector sets ESR bit 5 and raises the LVT error interrupt
    When CPU 1 writes 0x1FF to local APIC register 0xF0
    And CPU 1 writes 0x000000EE to local APIC register 0x370
    And CPU 1 writes 0x0004000A to local APIC register 0x300
    Then CPU 1 takes the interrupt with vector 0xEE
    When CPU 1 writes 0x0 to local APIC register 0x280
    Then local APIC 1 register 0x280 reads 0x20

  @sdm-3A-11.4.7.3
  Scenario: INIT resets the registers but keeps the APIC ID
    When CPU 1 writes 0x1FF to local APIC register 0xF0
    And CPU 1 writes 0x07000000 to local APIC register 0x20
    And CPU 1 writes 0x40 to local APIC register 0x80
    And CPU 1 performs INIT
    Then local APIC 1 register 0x20 reads 0x07000000
    And local APIC 1 register 0x80 reads 0x00
    And local APIC 1 register 0xF0 reads 0xFF
    And CPU 1 reading MSR 0x1B gives 0xFEE00800

  @sdm-3A-11.4.1 @sdm-3A-11.8.4
  Scenario: Saving and restoring the register page is the identity
    When CPU 1 writes 0x1FF to local APIC register 0xF0
    And CPU 1 writes 0x45 to local APIC register 0x80
    And CPU 1 writes 0x01000000 to local APIC register 0x310
    And CPU 1 writes 0x00040071 to local APIC register 0x300
    And CPU 1 writes 0x00040062 to local APIC register 0x300
    Then CPU 1 takes the interrupt with vector 0x71
    And saving and restoring local APIC 1 changes nothing
    And local APIC 1 register 0x130 reads 0x00020000
    And local APIC 1 register 0x230 reads 0x00000004
    And local APIC 1 register 0xA0 reads 0x70
