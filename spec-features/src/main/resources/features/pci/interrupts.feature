@model
Feature: PCI interrupts: INTx#, MSI and MSI-X
  INTx# (PCI Local Bus Specification 3.0, sections 2.2.6, 6.2.2, 6.2.3): the Interrupt Status bit
  shows the function's interrupt state; the pin is asserted only while Command.Interrupt Disable
  is 0. Pins are level-sensitive and shareable. The bench wires PIRQA-D to IRQs 16-19 with the
  rotation of the PCI-to-PCI Bridge Architecture Specification 1.2 section 9.1 as QEMU's i440FX
  board applies it: pin P of device D reaches PIRQ[(D + P - 2) mod 4], so INTA# of device 3
  reaches PIRQC (IRQ 18) and of device 4 PIRQD (IRQ 19).
  MSI (section 6.8.1) and MSI-X (section 6.8.2) send a DWORD memory write; the bench records
  them as address:data. The test function's MSI capability at 0x40 has 4 vectors, a 64-bit
  address and per-vector masking (control 0x42, address 0x44, upper 0x48, data 0x4C, mask 0x50,
  pending 0x54); its MSI-X capability at 0x58 (control 0x5A) has 8 vectors with the table at
  offset 0 and the PBA at offset 0x800 of BAR4.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a PCI test function at 03.0

  @pci-2.2.6 @pci-6.2.3 @pci-to-pci-bridge-9.1
  Scenario: INTA# of device 3 asserts PIRQC and the Interrupt Status bit
    When the PCI test function at 03.0 asserts its interrupt
    Then IRQ 18 is asserted
    And IRQ 16 is not asserted
    And the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x0018
    When the PCI test function at 03.0 deasserts its interrupt
    Then IRQ 18 is not asserted
    And the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x0010

  @pci-6.2.2 @pci-6.2.3
  Scenario: Interrupt Disable keeps the pin deasserted but not the Interrupt Status bit
    When the guest writes 0x0400 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the PCI test function at 03.0 asserts its interrupt
    Then IRQ 18 is not asserted
    And the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x0018
    When the guest writes 0x0000 to the 2-byte configuration register 0x04 of PCI function 03.0
    Then IRQ 18 is asserted

  @pci-2.2.6 @pci-to-pci-bridge-9.1
  Scenario: Functions sharing an interrupt line keep it asserted until all release it
    Given a PCI test function at 03.1
    And a PCI test function at 04.0
    When the PCI test function at 03.0 asserts its interrupt
    And the PCI test function at 03.1 asserts its interrupt
    And the PCI test function at 04.0 asserts its interrupt
    Then IRQ 18 is asserted
    And IRQ 19 is asserted
    When the PCI test function at 03.0 deasserts its interrupt
    Then IRQ 18 is asserted
    When the PCI test function at 03.1 deasserts its interrupt
    Then IRQ 18 is not asserted
    And IRQ 19 is asserted

  @pci-6.8.1
  Scenario: The MSI capability presents its capabilities and writable fields
    Then the 2-byte configuration register 0x42 of PCI function 03.0 reads 0x0184
    When the guest writes 0xFFFF to the 2-byte configuration register 0x42 of PCI function 03.0
    Then the 2-byte configuration register 0x42 of PCI function 03.0 reads 0x01F5
    When the guest writes 0xFEE00003 to the 4-byte configuration register 0x44 of PCI function 03.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x50 of PCI function 03.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x54 of PCI function 03.0
    Then the 4-byte configuration register 0x44 of PCI function 03.0 reads 0xFEE00000
    And the 4-byte configuration register 0x50 of PCI function 03.0 reads 0x0000000F
    And the 4-byte configuration register 0x54 of PCI function 03.0 reads 0x00000000

  @pci-6.8.1
  Scenario: An enabled MSI sends its message and takes over from INTx#
    When the guest writes 0xFEE00000 to the 4-byte configuration register 0x44 of PCI function 03.0
    And the guest writes 0x0041 to the 2-byte configuration register 0x4C of PCI function 03.0
    And the guest writes 0x0001 to the 2-byte configuration register 0x42 of PCI function 03.0
    And the guest writes 0x0004 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the PCI test function at 03.0 signals interrupt vector 0
    And the PCI test function at 03.0 asserts its interrupt
    Then the MSI messages delivered are "0xFEE00000:0x41"
    And IRQ 18 is not asserted

  @pci-6.8.1
  Scenario: With four messages allocated the vector number replaces the low data bits
    When the guest writes 0xFEE01000 to the 4-byte configuration register 0x44 of PCI function 03.0
    And the guest writes 0x00000000 to the 4-byte configuration register 0x48 of PCI function 03.0
    And the guest writes 0x0040 to the 2-byte configuration register 0x4C of PCI function 03.0
    And the guest writes 0x0021 to the 2-byte configuration register 0x42 of PCI function 03.0
    And the guest writes 0x0004 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the PCI test function at 03.0 signals interrupt vector 3
    And the PCI test function at 03.0 signals interrupt vector 1
    Then the MSI messages delivered are "0xFEE01000:0x43 0xFEE01000:0x41"

  @pci-6.8.1
  Scenario: A masked MSI vector sets its pending bit and is sent when unmasked
    When the guest writes 0xFEE00000 to the 4-byte configuration register 0x44 of PCI function 03.0
    And the guest writes 0x0040 to the 2-byte configuration register 0x4C of PCI function 03.0
    And the guest writes 0x0021 to the 2-byte configuration register 0x42 of PCI function 03.0
    And the guest writes 0x0004 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes 0x00000002 to the 4-byte configuration register 0x50 of PCI function 03.0
    And the PCI test function at 03.0 signals interrupt vector 1
    Then no MSI message was delivered
    And the 4-byte configuration register 0x54 of PCI function 03.0 reads 0x00000002
    When the guest writes 0x00000000 to the 4-byte configuration register 0x50 of PCI function 03.0
    Then the MSI messages delivered are "0xFEE00000:0x41"
    And the 4-byte configuration register 0x54 of PCI function 03.0 reads 0x00000000

  @pci-6.8.1 @pci-6.2.2
  Scenario: Without bus mastering the function sends no message and cannot DMA
    When the guest writes 0xFEE00000 to the 4-byte configuration register 0x44 of PCI function 03.0
    And the guest writes 0x0041 to the 2-byte configuration register 0x4C of PCI function 03.0
    And the guest writes 0x0001 to the 2-byte configuration register 0x42 of PCI function 03.0
    And the PCI test function at 03.0 signals interrupt vector 0
    Then no MSI message was delivered
    And the PCI test function at 03.0 cannot DMA to 0x1000
    When the guest writes 0x0004 to the 2-byte configuration register 0x04 of PCI function 03.0
    Then the PCI test function at 03.0 can DMA to 0x1000
    And the PCI test function at 03.0 cannot DMA to 0x2000000

  @pci-6.8.2
  Scenario: The MSI-X capability reports its table size and where table and PBA live
    Then the 2-byte configuration register 0x5A of PCI function 03.0 reads 0x0007
    And the 4-byte configuration register 0x5C of PCI function 03.0 reads 0x00000004
    And the 4-byte configuration register 0x60 of PCI function 03.0 reads 0x00000804
    When the guest writes 0xFFFF to the 2-byte configuration register 0x5A of PCI function 03.0
    Then the 2-byte configuration register 0x5A of PCI function 03.0 reads 0xC007

  @pci-6.8.2
  Scenario: MSI-X vectors start masked; a masked vector is pending until unmasked
    When the guest writes 0xC0020000 to the 4-byte configuration register 0x20 of PCI function 03.0
    And the guest writes 0x0006 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes the 4-byte value 0xFEE01000 to memory address 0xC0020010
    And the guest writes the 4-byte value 0x00000000 to memory address 0xC0020014
    And the guest writes the 4-byte value 0x00000051 to memory address 0xC0020018
    Then reading 4 bytes at memory address 0xC002001C gives 0x00000001
    When the guest writes 0x8000 to the 2-byte configuration register 0x5A of PCI function 03.0
    And the PCI test function at 03.0 signals interrupt vector 1
    Then no MSI message was delivered
    And reading 8 bytes at memory address 0xC0020800 gives 0x0000000000000002
    When the guest writes the 4-byte value 0x00000000 to memory address 0xC002001C
    Then the MSI messages delivered are "0xFEE01000:0x51"
    And reading 8 bytes at memory address 0xC0020800 gives 0x0000000000000000

  @pci-6.8.2
  Scenario: The MSI-X function mask holds every vector pending
    When the guest writes 0xC0020000 to the 4-byte configuration register 0x20 of PCI function 03.0
    And the guest writes 0x0006 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes the 8-byte value 0x00000000FEE02000 to memory address 0xC0020020
    And the guest writes the 8-byte value 0x0000000000000062 to memory address 0xC0020028
    And the guest writes 0xC000 to the 2-byte configuration register 0x5A of PCI function 03.0
    And the PCI test function at 03.0 signals interrupt vector 2
    Then no MSI message was delivered
    And reading 4 bytes at memory address 0xC0020800 gives 0x00000004
    When the guest writes 0x8000 to the 2-byte configuration register 0x5A of PCI function 03.0
    Then the MSI messages delivered are "0xFEE02000:0x62"

  @pci-6.8.2
  Scenario: Reserved Vector Control bits read as zero and the PBA ignores writes
    When the guest writes 0xC0020000 to the 4-byte configuration register 0x20 of PCI function 03.0
    And the guest writes 0x0002 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes the 4-byte value 0xFFFFFFFF to memory address 0xC002003C
    And the guest writes the 4-byte value 0xFFFFFFFF to memory address 0xC0020800
    Then reading 4 bytes at memory address 0xC002003C gives 0x00000001
    And reading 4 bytes at memory address 0xC0020800 gives 0x00000000

  @pci-6.8.2
  Scenario: An enabled MSI-X disables INTx#
    When the guest writes 0x8000 to the 2-byte configuration register 0x5A of PCI function 03.0
    And the PCI test function at 03.0 asserts its interrupt
    Then IRQ 18 is not asserted
    When the guest writes 0x0000 to the 2-byte configuration register 0x5A of PCI function 03.0
    Then IRQ 18 is asserted
