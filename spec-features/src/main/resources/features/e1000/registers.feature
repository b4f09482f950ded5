@model
Feature: 82540EM PCI function and registers
  The Intel 82540EM as the "PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's
  Manual" (8254x SDM, revision 4.0) describes it. The bench puts it at PCI slot 03.0, whose INTA#
  reaches PIRQC, IRQ 18. The driver maps BAR0 (the registers) at 0xC0000000 and BAR1 (IOADDR at
  +0, IODATA at +4) at port 0xC000. Register names and offsets are those of SDM chapter 13; the
  MAC address 52:54:00:12:34:56 is 5452h 1200h 5634h as little-endian words.

  Background:
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56

  @e1000-sdm-5.2 @pci-6.2.1
  Scenario: The function identifies as an 82540EM Ethernet controller
    # Table 5-1: the 82540EM is device 100Eh of vendor 8086h; class 02h/00h is an Ethernet controller.
    Then the 4-byte configuration register 0x00 of PCI function 03.0 reads 0x100E8086
    And the 4-byte configuration register 0x08 of PCI function 03.0 reads 0x02000003
    And the 4-byte configuration register 0x2C of PCI function 03.0 reads 0x001E8086
    And the 1-byte configuration register 0x3D of PCI function 03.0 reads 0x01

  @e1000-sdm-4.1 @pci-6.2.5.1
  Scenario: BAR0 is 128 KiB of memory and BAR1 64 bytes of I/O space
    When the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x10 of PCI function 03.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x14 of PCI function 03.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x18 of PCI function 03.0
    Then the 4-byte configuration register 0x10 of PCI function 03.0 reads 0xFFFE0000
    And the 4-byte configuration register 0x14 of PCI function 03.0 reads 0xFFFFFFC1
    And the 4-byte configuration register 0x18 of PCI function 03.0 reads 0x00000000

  @e1000-sdm-13.2
  Scenario: IOADDR selects a register and IODATA reads and writes it
    Given the driver has probed the 82540EM
    When through the I/O BAR the driver writes 0x00000400 to register TDLEN
    Then register TDLEN reads 0x00000400
    And IOADDR reads 0x00003808
    When the driver writes 0x00001000 to register RDLEN
    Then through the I/O BAR register RDLEN reads 0x00001000

  @e1000-sdm-13.4.1 @e1000-sdm-5.6
  Scenario: CTRL.RST, written through the I/O BAR as the Linux driver does, resets the MAC and self-clears
    Given the driver has probed the 82540EM
    When the driver writes 0x00000800 to register TDLEN
    And the driver writes 0x00000080 to register IMS
    And the driver writes 0x00000000 to register RAH0
    And through the I/O BAR the driver writes 0x04000000 to register CTRL
    Then register CTRL reads 0x00000000 under mask 0x04000000
    And register TDLEN reads 0x00000000
    And register IMS reads 0x00000000
    # The Ethernet address is reloaded from EEPROM words 00h-02h into RAL0/RAH0 with AV (bit 31).
    And register RAL0 reads 0x12005452
    And register RAH0 reads 0x80005634

  @e1000-sdm-13.4.27 @e1000-sdm-13.4.28 @e1000-sdm-13.4.29 @e1000-sdm-13.4.30
  Scenario: Ring registers keep only their defined bits
    # RDLEN: bits 6:0 zero, LEN 19:7, 31:20 reserved; RDH/RDT: 15:0; RDTR.FPD self-clears.
    Given the driver has probed the 82540EM
    When the driver writes 0xFFFFFFFF to register RDLEN
    And the driver writes 0xFFFFFFFF to register RDH
    And the driver writes 0xFFFFFFFF to register RDT
    And the driver writes 0x80000010 to register RDTR
    Then register RDLEN reads 0x000FFF80
    And register RDH reads 0x0000FFFF
    And register RDT reads 0x0000FFFF
    And register RDTR reads 0x00000010

  @e1000-sdm-13.4.17 @e1000-sdm-13.4.19
  Scenario: ICS sets causes; reading ICR returns them and clears them
    Given the driver has probed the 82540EM
    When the driver writes 0x00000081 to register ICS
    Then register ICR reads 0x00000081
    And register ICR reads 0x00000000

  @e1000-sdm-13.4.17
  Scenario: Writing 1b to an ICR bit clears it, writing 0b leaves it
    Given the driver has probed the 82540EM
    When the driver writes 0x00000085 to register ICS
    And the driver writes 0x00000001 to register ICR
    Then register ICR reads 0x00000084

  @e1000-sdm-13.4.17
  Scenario: RXSEQ is reserved on the 82540EM and stays 0
    Given the driver has probed the 82540EM
    When the driver writes 0x00000008 to register ICS
    Then register ICR reads 0x00000000

  @e1000-sdm-13.4.17 @e1000-sdm-13.4.20 @e1000-sdm-13.4.21
  Scenario: INTA# is asserted only for causes enabled in IMS
    Given the driver has probed the 82540EM
    When the driver writes 0x00000080 to register ICS
    Then IRQ 18 is not asserted
    When the driver writes 0x00000080 to register IMS
    Then IRQ 18 is asserted
    And register IMS reads 0x00000080
    And the 2-byte configuration register 0x06 of PCI function 03.0 reads 0x0008
    When the driver writes 0x00000080 to register IMC
    Then IRQ 18 is not asserted
    And register IMS reads 0x00000000
    And register ICR reads 0x00000080

  @e1000-sdm-13.4.17
  Scenario: Reading ICR acknowledges the interrupt
    Given the driver has probed the 82540EM
    When the driver writes 0x00000084 to register IMS
    And the driver writes 0x00000080 to register ICS
    Then IRQ 18 is asserted
    When the driver reads register ICR
    Then IRQ 18 is not asserted
    And the device has asserted its interrupt 1 time

  @e1000-sdm-13.4.2 @e1000-sdm-8.6.2
  Scenario: The MAC reports the link only once the driver sets CTRL.SLU
    Given the driver has probed the 82540EM
    When the driver writes 0x00000004 to register IMS
    And 2000 microseconds of virtual time pass
    Then register STATUS reads 0x00000000 under mask 0x00000003
    And IRQ 18 is not asserted
    When the driver sets bits 0x00000040 in register CTRL
    # LU (bit 1), FD (bit 0), SPEED 10b = 1000 Mb/s (bits 7:6), ASDV 10b (bits 9:8).
    Then register STATUS reads 0x00000283
    And IRQ 18 is asserted
    And register ICR reads 0x00000004
