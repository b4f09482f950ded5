@model
Feature: 82540EM PHY through MDIC, and the link
  Software reaches the integrated PHY, PHY address 1, through MDIC (8254x SDM §13.4.7): DATA in
  bits 15:0, REGADD 20:16, PHYADD 25:21, OP 27:26 (01b write, 10b read), R (ready) bit 28,
  I (interrupt when done) bit 29, E (error) bit 30. PHY registers 0-15 are those of IEEE 802.3
  clause 22: BMCR 0, reset value 1140h (auto-negotiation enabled, full duplex, 1000 Mb/s); BMSR 1,
  7949h for this PHY's abilities (100BASE-X FD and HD, 10 Mb/s FD and HD, extended status,
  preamble suppression, auto-negotiation ability, extended capability), plus bit 5
  auto-negotiation complete and bit 2 link status, which latches low until read; the PHY
  identifier in 2 and 3, the Marvell 88E1011 value 0141h/0C2xh that the Linux driver expects
  for an 82540. Register 9 is the 1000BASE-T control; register 17 the PHY specific status
  (§13.5): speed 15:14 (10b 1000, 01b 100 Mb/s), duplex 13, resolved 11, link 10.
  "Once PHY Auto-Negotiation is complete, the PHY asserts the link indication signal. Software
  MUST set ... CTRL.SLU before the Ethernet controller recognizes the link" (§8.6.2.1); then
  STATUS reports LU, FD and SPEED (§11.1.4) and ICR.LSC is set (§13.4.17). Changes to BMCR
  speed, duplex and auto-negotiation take effect on a PHY soft reset or a restart (§11.1.3).
  The model's PHY is done negotiating 1 ms of virtual time after a reset or restart, against a
  link partner capable of every mode.

  Background:
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has probed the 82540EM

  @e1000-sdm-13.4.7
  Scenario: The PHY identifies itself as the driver expects
    Then PHY register 2 reads 0x0141 through MDIC
    And PHY register 3 reads 0x0C20 under mask 0xFFF0 through MDIC
    And PHY register 0 reads 0x1140 through MDIC

  @e1000-sdm-13.4.7
  Scenario: An access to another PHY address completes with E set
    Then an MDIC read of register 2 at PHY address 2 completes with MDIC reading 0x50000000 under mask 0x50000000
    And an MDIC read of register 2 at PHY address 1 completes with MDIC reading 0x10000141 under mask 0x5000FFFF

  @e1000-sdm-13.4.7 @e1000-sdm-13.4.17
  Scenario: MDIC with I set raises MDAC when the access completes
    When the driver writes 0x00000200 to register IMS
    # I (0x20000000), OP read (0x08000000), PHYADD 1 (0x00200000), REGADD 2 (0x00020000)
    And the driver writes 0x28220000 to register MDIC without waiting
    Then IRQ 18 is asserted
    And register MDIC reads 0x10000141 under mask 0x5000FFFF
    And register ICR reads 0x00000200

  @e1000-sdm-8.6.2 @e1000-sdm-11.1.4 @e1000-sdm-13.4.2
  Scenario: Auto-negotiation completes, the link comes up and LSC is raised
    When the driver writes 0x00000004 to register IMS
    And the driver sets bits 0x00000040 in register CTRL
    And the driver writes 0x1340 to PHY register 0 through MDIC
    Then PHY register 0 reads 0x1140 through MDIC
    And PHY register 1 reads 0x7949 through MDIC
    And register STATUS reads 0x00000000 under mask 0x00000003
    When 1000 microseconds of virtual time pass
    Then IRQ 18 is asserted
    And register ICR reads 0x00000004
    And PHY register 1 reads 0x796D through MDIC
    And PHY register 17 reads 0xAC00 through MDIC
    And PHY register 5 reads 0x4000 under mask 0x4000 through MDIC
    And register STATUS reads 0x00000283

  @e1000-sdm-8.6.2
  Scenario: Without CTRL.SLU the MAC ignores the PHY's link
    When the driver writes 0x00000004 to register IMS
    And 2000 microseconds of virtual time pass
    And the driver reads PHY register 1 through MDIC
    Then PHY register 1 reads 0x0004 under mask 0x0004 through MDIC
    And register STATUS reads 0x00000000 under mask 0x00000002
    And IRQ 18 is not asserted

  @e1000-sdm-11.1.4 @e1000-sdm-13.4.17
  Scenario: BMSR keeps a link failure latched until it is read
    Given the driver has brought up the 82540EM
    When the cable is unplugged
    And the cable is plugged in
    And 1000 microseconds of virtual time pass
    Then register ICR reads 0x00000004 under mask 0x00000004
    And PHY register 1 reads 0x0000 under mask 0x0004 through MDIC
    And PHY register 1 reads 0x0004 under mask 0x0004 through MDIC
    And register STATUS reads 0x00000002 under mask 0x00000002

  @e1000-sdm-11.1.3 @e1000-sdm-8.6.2
  Scenario: A PHY soft reset applies forced 100 Mb/s full duplex
    Given the driver has brought up the 82540EM
    # Reset (bit 15) with speed LSB (bit 13) and full duplex (bit 8), auto-negotiation off.
    When the driver writes 0xA100 to PHY register 0 through MDIC
    Then PHY register 0 reads 0x2100 through MDIC
    And register STATUS reads 0x00000000 under mask 0x00000002
    When 1000 microseconds of virtual time pass
    Then PHY register 17 reads 0x6C00 through MDIC
    And register STATUS reads 0x00000043 under mask 0x000000C3

  @e1000-sdm-11.1.3 @e1000-sdm-11.1.4
  Scenario: Advertising no 1000BASE-T negotiates 100 Mb/s full duplex
    Given the driver has brought up the 82540EM
    When the driver writes 0x0000 to PHY register 9 through MDIC
    And the driver writes 0x1340 to PHY register 0 through MDIC
    And 1000 microseconds of virtual time pass
    Then PHY register 17 reads 0x6C00 through MDIC
    And register STATUS reads 0x00000043 under mask 0x000000C3

  @e1000-sdm-13.4.1 @e1000-sdm-13.4.17
  Scenario: CTRL.PHY_RST holds the PHY in reset and the link returns after it is released
    Given the driver has brought up the 82540EM
    When the driver sets bits 0x80000000 in register CTRL
    Then register STATUS reads 0x00000000 under mask 0x00000002
    And register ICR reads 0x00000004 under mask 0x00000004
    When the driver clears bits 0x80000000 in register CTRL
    And 1000 microseconds of virtual time pass
    Then register STATUS reads 0x00000002 under mask 0x00000002
    And PHY register 0 reads 0x1140 through MDIC
