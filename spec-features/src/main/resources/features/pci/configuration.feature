@model
Feature: PCI configuration space: mechanism #1, ECAM and the type-0 header
  The host bridge of the reference board gives access to configuration space through
  configuration mechanism #1 (PCI Local Bus Specification 3.0, section 3.2.2.3.2: CONFIG_ADDRESS
  at 0xCF8, CONFIG_DATA at 0xCFC-0xCFF) and through ECAM (PCI Express Base Specification 4.0,
  section 7.2.2: 1 MiB per bus, 4 KiB per function; the bench maps it at 0xE0000000).
  Expected values are computed by hand from the specification and the test function's layout:
  host bridge 1B36:0008 class 06/00/00 at 00.0; test function 1B36:0005 revision 1 class 00/FF/00.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a PCI test function at 03.0

  @pci-3.2.2.3.2
  Scenario: A DWORD write to CONFIG_ADDRESS selects a register that CONFIG_DATA reads
    When the guest writes the 4-byte value 0x80001800 to port 0xCF8
    Then reading a 4-byte value from port 0xCFC gives 0x00051B36
    And reading a 2-byte value from port 0xCFE gives 0x0005
    And reading port 0xCFD gives 0x1B
    And reading a 4-byte value from port 0xCF8 gives 0x80001800

  @pci-3.2.2.3.2
  Scenario: CONFIG_ADDRESS keeps its reserved bits 30:24 and 1:0 at zero
    When the guest writes the 4-byte value 0xFFFFFFFF to port 0xCF8
    Then reading a 4-byte value from port 0xCF8 gives 0x80FFFFFC

  @pci-3.2.2.3.2
  Scenario: Only DWORD writes reach CONFIG_ADDRESS; byte accesses are ordinary I/O
    When the guest writes the 4-byte value 0x80000000 to port 0xCF8
    And the guest writes 0x12 to port 0xCF8
    And the guest writes 0x34 to port 0xCFA
    Then reading a 4-byte value from port 0xCF8 gives 0x80000000
    And reading port 0xCF9 gives 0xFF
    And reading a 4-byte value from port 0xCFC gives 0x00081B36

  @pci-3.2.2.3.2
  Scenario: With the enable bit clear, CONFIG_DATA is not a configuration access
    When the guest writes the 4-byte value 0x00001800 to port 0xCF8
    Then reading a 4-byte value from port 0xCFC gives 0xFFFFFFFF

  @pci-3.2.2.3.2 @pci-6.1
  Scenario: A function that does not exist reads as all ones (master abort)
    Then the 4-byte configuration register 0x00 of PCI function 1f.0 reads 0xFFFFFFFF
    And the 2-byte configuration register 0x00 of PCI function 03.7 reads 0xFFFF
    And the 4-byte configuration register 0x00 of PCI function 00.0 reads 0x00081B36
    And the 4-byte configuration register 0x08 of PCI function 00.0 reads 0x06000000

  @pci-express-7.2.2
  Scenario: ECAM reaches the same registers, 4 KiB per function
    Then through ECAM the 4-byte register 0x00 of PCI function 03.0 reads 0x00051B36
    And through ECAM the 1-byte register 0x3D of PCI function 03.0 reads 0x01
    And through ECAM the 4-byte register 0x00 of PCI function 00.0 reads 0x00081B36
    When through ECAM the guest writes 0x0002 to the 2-byte register 0x04 of PCI function 03.0
    Then the 2-byte configuration register 0x04 of PCI function 03.0 reads 0x0002

  @pci-express-7.2.2
  Scenario: ECAM beyond the 256 bytes of a conventional function and on empty buses reads all ones
    Then through ECAM the 4-byte register 0x100 of PCI function 03.0 reads 0xFFFFFFFF
    And reading 4 bytes at memory address 0xE0100000 gives 0xFFFFFFFF
    And reading 4 bytes at memory address 0xE0108000 gives 0xFFFFFFFF

  @pci-6.2.1
  Scenario: Identification registers are read-only
    When the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x00 of PCI function 03.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x08 of PCI function 03.0
    And the guest writes 0xFF to the 1-byte configuration register 0x0E of PCI function 03.0
    Then the 4-byte configuration register 0x00 of PCI function 03.0 reads 0x00051B36
    And the 4-byte configuration register 0x08 of PCI function 03.0 reads 0x00FF0001
    And the 1-byte configuration register 0x0E of PCI function 03.0 reads 0x00

  @pci-6.2.1
  Scenario: A device with a second function reports itself as multi-function in Header Type bit 7
    Given a PCI test function at 03.1
    Then the 1-byte configuration register 0x0E of PCI function 03.0 reads 0x80
    And the 4-byte configuration register 0x00 of PCI function 03.1 reads 0x00051B36

  @pci-6.2.2
  Scenario: The Command register implements I/O, memory, bus master, parity, SERR and interrupt disable
    When the guest writes 0xFFFF to the 2-byte configuration register 0x04 of PCI function 03.0
    Then the 2-byte configuration register 0x04 of PCI function 03.0 reads 0x0547
    When the guest writes 0x0000 to the 2-byte configuration register 0x04 of PCI function 03.0
    Then the 2-byte configuration register 0x04 of PCI function 03.0 reads 0x0000

  @pci-6.2.3
  Scenario: Error bits of the Status register are cleared by writing one, other bits are read-only
    Then the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x0010
    When the PCI test function at 03.0 records a received master abort
    Then the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x2010
    When the guest writes 0x0000 to the 2-byte configuration register 0x06 of PCI function 03.0
    Then the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x2010
    When the guest writes 0x0018 to the 2-byte configuration register 0x06 of PCI function 03.0
    Then the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x2010
    When the guest writes 0x2000 to the 2-byte configuration register 0x06 of PCI function 03.0
    Then the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x0010

  @pci-6.2.4
  Scenario: Interrupt Line and Cache Line Size are read/write, Interrupt Pin is read-only
    When the guest writes 0x0B to the 1-byte configuration register 0x3C of PCI function 03.0
    And the guest writes 0x07 to the 1-byte configuration register 0x3D of PCI function 03.0
    And the guest writes 0x10 to the 1-byte configuration register 0x0C of PCI function 03.0
    Then the 1-byte configuration register 0x3C of PCI function 03.0 reads 0x0B
    And the 1-byte configuration register 0x3D of PCI function 03.0 reads 0x01
    And the 1-byte configuration register 0x0C of PCI function 03.0 reads 0x10
    And the 4-byte configuration register 0x3C of PCI function 03.0 reads 0x0000010B

  @pci-6.7
  Scenario: Capabilities are linked from the Capabilities Pointer
    Then the 1-byte configuration register 0x34 of PCI function 03.0 reads 0x40
    And the capability list of PCI function 03.0 is "05@40 11@58"
    And the capability list of PCI function 00.0 is ""
    When the guest writes 0x00 to the 1-byte configuration register 0x34 of PCI function 03.0
    And the guest writes 0x00 to the 1-byte configuration register 0x41 of PCI function 03.0
    Then the capability list of PCI function 03.0 is "05@40 11@58"

  @pci-6.6
  Scenario: Reset returns every register to its reset value
    When the guest writes 0x0507 to the 2-byte configuration register 0x04 of PCI function 03.0
    And the guest writes 0xC100 to the 4-byte configuration register 0x10 of PCI function 03.0
    And the guest writes 0x0B to the 1-byte configuration register 0x3C of PCI function 03.0
    And the guest writes 0x0001 to the 2-byte configuration register 0x42 of PCI function 03.0
    And the PCI bus is reset
    Then the 2-byte configuration register 0x04 of PCI function 03.0 reads 0x0000
    And the 4-byte configuration register 0x10 of PCI function 03.0 reads 0x00000001
    And the 1-byte configuration register 0x3C of PCI function 03.0 reads 0x00
    And the 2-byte configuration register 0x42 of PCI function 03.0 reads 0x0184
