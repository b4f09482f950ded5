@model
Feature: PCI base address registers: sizing, decoding and mapping
  PCI Local Bus Specification 3.0, section 6.2.5.1: software sizes a BAR by writing all ones
  and reading back the writable address bits; the low bits tell I/O (bit 0 = 1) from memory,
  32-bit (type 00) from 64-bit (type 10) and the prefetchable bit. Section 6.2.2: the function
  decodes its I/O BARs only while Command bit 0 is set and its memory BARs only while bit 1 is
  set. The test function at 03.0 has BAR0 = 32 bytes I/O, BAR1 = 4 KiB 32-bit memory, BAR2/3 =
  16 KiB 64-bit prefetchable memory, BAR4 = 4 KiB MSI-X table and PBA, BAR5 unused. The bench
  routes ports 0xC000-0xFFFF and memory 0xC0000000-0xDFFFFFFF to the host bridge.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a PCI test function at 03.0

  @pci-6.2.5.1
  Scenario: BARs start at zero address with their type bits
    Then the 4-byte configuration register 0x10 of PCI function 03.0 reads 0x00000001
    And the 4-byte configuration register 0x14 of PCI function 03.0 reads 0x00000000
    And the 4-byte configuration register 0x18 of PCI function 03.0 reads 0x0000000C
    And the 4-byte configuration register 0x1C of PCI function 03.0 reads 0x00000000
    And the 4-byte configuration register 0x24 of PCI function 03.0 reads 0x00000000

  @pci-6.2.5.1
  Scenario Outline: Writing all ones to a BAR reveals its size
    When the guest writes 0xFFFFFFFF to the 4-byte configuration register <bar> of PCI function 03.0
    Then the 4-byte configuration register <bar> of PCI function 03.0 reads <readback>

    Examples:
      | bar  | readback   |
      | 0x10 | 0xFFFFFFE1 |
      | 0x14 | 0xFFFFF000 |
      | 0x18 | 0xFFFFC00C |
      | 0x1C | 0xFFFFFFFF |
      | 0x20 | 0xFFFFF000 |
      | 0x24 | 0x00000000 |

  @pci-6.2.5.2
  Scenario: An unimplemented expansion ROM BAR is read-only zero
    When the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x30 of PCI function 03.0
    Then the 4-byte configuration register 0x30 of PCI function 03.0 reads 0x00000000

  @pci-6.2.5.1 @pci-6.2.2
  Scenario: An I/O BAR is decoded only while I/O space is enabled, and moves when rewritten
    When the guest writes 0xC100 to the 4-byte configuration register 0x10 of PCI function 03.0
    Then the 4-byte configuration register 0x10 of PCI function 03.0 reads 0x0000C101
    And reading port 0xC105 gives 0xFF
    When the guest writes 0x0001 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes 0x5A to port 0xC105
    Then reading port 0xC105 gives 0x5A
    When the guest writes 0x0000 to the 2-byte configuration register 0x04 of PCI function 03.0
    Then reading port 0xC105 gives 0xFF
    When the guest writes 0xC200 to the 4-byte configuration register 0x10 of PCI function 03.0
    And the guest writes 0x0001 to the 2-byte configuration register 0x04 of PCI function 03.0
    Then reading port 0xC205 gives 0x5A
    And reading port 0xC105 gives 0xFF

  @pci-6.2.5.1 @pci-6.2.2
  Scenario: A 32-bit memory BAR is decoded only while memory space is enabled
    When the guest writes 0xC0001000 to the 4-byte configuration register 0x14 of PCI function 03.0
    And the guest writes 0x0002 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes the 4-byte value 0xCAFEF00D to memory address 0xC0001010
    Then reading 4 bytes at memory address 0xC0001010 gives 0xCAFEF00D
    And reading 2 bytes at memory address 0xC0001012 gives 0xCAFE
    When the guest writes 0x0001 to the 2-byte configuration register 0x04 of PCI function 03.0
    Then reading 4 bytes at memory address 0xC0001010 gives 0xFFFFFFFF

  @pci-6.2.5.1
  Scenario: A 64-bit BAR combines two registers into one address
    When the guest writes 0xC0010000 to the 4-byte configuration register 0x18 of PCI function 03.0
    And the guest writes 0x00000000 to the 4-byte configuration register 0x1C of PCI function 03.0
    And the guest writes 0x0002 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes the 8-byte value 0x0123456789ABCDEF to memory address 0xC0013FF8
    Then reading 8 bytes at memory address 0xC0013FF8 gives 0x0123456789ABCDEF
    And the 4-byte configuration register 0x18 of PCI function 03.0 reads 0xC001000C
    When the guest writes 0x00000001 to the 4-byte configuration register 0x1C of PCI function 03.0
    Then reading 8 bytes at memory address 0xC0013FF8 gives 0xFFFFFFFFFFFFFFFF

  @pci-6.2.5.1
  Scenario: The low address bits of a BAR below its size are read-only
    When the guest writes 0xC0001FFF to the 4-byte configuration register 0x14 of PCI function 03.0
    And the guest writes 0xC1FF to the 4-byte configuration register 0x10 of PCI function 03.0
    Then the 4-byte configuration register 0x14 of PCI function 03.0 reads 0xC0001000
    And the 4-byte configuration register 0x10 of PCI function 03.0 reads 0x0000C1E1
