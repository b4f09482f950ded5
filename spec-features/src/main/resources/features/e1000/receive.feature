@model
Feature: 82540EM receive: descriptors, buffer sizes, filtering and statistics
  Hardware owns the receive descriptors from RDH up to RDT - 1 (8254x SDM §13.4.28-29) and writes
  each frame into their buffers, of the size RCTL.BSIZE/BSEX selects (§13.4.22: 2048, 1024, 512,
  256 bytes; with BSEX 16384, 8192, 4096), then writes back length, status (DD 01h, EOP 02h,
  VP 08h, TCPCS 20h, IPCS 40h, PIF 80h) and errors (TCPE 20h, IPE 40h, RXE 80h). The frames the
  network delivers carry no FCS; with RCTL.SECRC clear the device appends it, and CRC-32 over
  frame and FCS must leave the IEEE 802.3 residue. "Packets over 1522 bytes are oversized if
  LongPacketEnable is 0b (RCTL.LPE). If LongPacketEnable is 1b, then an incoming packet is
  considered oversized if it exceeds 16384 bytes", counting the CRC (§13.7.36). Test frames are
  the destination, source 02:00:00:00:00:01, EtherType 88B5h and bytes counting up. RCTL 8002h
  is EN and BAM with 2048-byte buffers. The driver gives the hardware 7 of the 8 descriptors
  (RDT 7), as Linux leaves one.

  Background:
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM

  @e1000-sdm-3.2 @e1000-sdm-13.4.22 @e1000-sdm-13.4.28
  Scenario: A frame for the station address lands in one buffer followed by its FCS
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers a 100-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has length 104
    And receive descriptor 0 has status 0x03 under mask 0x03
    And receive descriptor 0 has errors 0x00
    And receive buffer 0 holds the last frame followed by its FCS
    And register RDH reads 0x00000001
    And register ICR reads 0x00000080 under mask 0x00000080

  @e1000-sdm-13.7
  Scenario: Receive statistics count good packets and octets with the CRC, and clear when read
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers a 100-byte frame to 52:54:00:12:34:56
    And the network delivers a 100-byte frame to ff:ff:ff:ff:ff:ff
    Then register GPRC reads 0x00000002
    And register GPRC reads 0x00000000
    And register BPRC reads 0x00000001
    And register TPR reads 0x00000002
    And register GORCL reads 0x000000D0
    And register GORCH reads 0x00000000
    And register GORCL reads 0x00000000

  @e1000-sdm-13.4.22
  Scenario: RCTL.SECRC strips the CRC from what is stored, not from what is counted
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x04008002 and RDT 7
    When the network delivers a 100-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has length 100
    And register GORCL reads 0x00000068

  @e1000-sdm-13.4.22
  Scenario: A frame larger than one buffer spreads over several, EOP on the last
    # 256-byte buffers (BSIZE 11b); 600 bytes + 4 bytes of FCS = 256 + 256 + 92.
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00038002 and RDT 7
    When the network delivers a 600-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has length 256
    And receive descriptor 0 has status 0x01 under mask 0x03
    And receive descriptor 1 has length 256
    And receive descriptor 1 has status 0x01 under mask 0x03
    And receive descriptor 2 has length 92
    And receive descriptor 2 has status 0x03 under mask 0x03
    And receive buffer 1 holds bytes 256 to 511 of the last frame
    And register RDH reads 0x00000003
    And no receive buffer was written beyond its size

  @e1000-sdm-13.4.22
  Scenario: RCTL.BSEX with LPE takes a 9000-byte frame into one 16384-byte buffer
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x02018022 and RDT 7
    When the network delivers a 9000-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has length 9004
    And receive descriptor 0 has status 0x03 under mask 0x03

  @e1000-sdm-13.7.36 @e1000-sdm-13.4.22
  Scenario: Without RCTL.LPE a 1522-byte frame is received and a 1523-byte one is not
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers a 1518-byte frame to 52:54:00:12:34:56
    And the network delivers a 1519-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has length 1522
    And receive descriptor 1 is untouched
    And register ROC reads 0x00000001
    And register RLEC reads 0x00000001
    And register RDH reads 0x00000001

  @e1000-sdm-13.4.22 @e1000-sdm-13.7.36
  Scenario: With RCTL.LPE a 4000-byte frame spreads over two 2048-byte buffers
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008022 and RDT 7
    When the network delivers a 4000-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has length 2048
    And receive descriptor 1 has length 1956
    And receive descriptor 1 has status 0x03 under mask 0x03
    And register ROC reads 0x00000000

  @e1000-sdm-13.4.22
  Scenario: Broadcasts are received only with RCTL.BAM
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00000002 and RDT 7
    When the network delivers a 64-byte frame to ff:ff:ff:ff:ff:ff
    Then receive descriptor 0 is untouched
    And register TPR reads 0x00000001
    When the driver sets bits 0x00008000 in register RCTL
    And the network delivers a 64-byte frame to ff:ff:ff:ff:ff:ff
    Then receive descriptor 0 has status 0x03 under mask 0x03

  @e1000-sdm-13.4.22 @e1000-sdm-13.5
  Scenario: Another station's unicast is dropped unless RCTL.UPE is set
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers a 64-byte frame to 52:54:00:12:34:99
    Then receive descriptor 0 is untouched
    When the driver sets bits 0x00000008 in register RCTL
    And the network delivers a 64-byte frame to 52:54:00:12:34:99
    Then receive descriptor 0 has status 0x03 under mask 0x03

  @e1000-sdm-13.5
  Scenario: A second receive address matches only while its AV bit is set
    # 52:54:00:12:34:57: RAL1 = 12005452h, RAH1 = 5734h, AV = bit 31.
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x12005452 to register RAL1
    And the driver writes 0x00005734 to register RAH1
    And the network delivers a 64-byte frame to 52:54:00:12:34:57
    Then receive descriptor 0 is untouched
    When the driver writes 0x80005734 to register RAH1
    And the network delivers a 64-byte frame to 52:54:00:12:34:57
    Then receive descriptor 0 has status 0x03 under mask 0x03

  @e1000-sdm-13.5 @e1000-sdm-13.4.22
  Scenario: A multicast frame passes when its MTA bit is set (RCTL.MO = 00b: address bits 47:36)
    # 01:00:5e:00:00:fb: bits 47:36 = FBh << 4 | 00h >> 4 = FB0h: MTA[FB0h >> 5 = 125] at
    # 5200h + 4 x 125 = 53F4h, bit FB0h & 1Fh = 16. It passed the inexact filter: PIF.
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers a 64-byte frame to 01:00:5e:00:00:fb
    Then receive descriptor 0 is untouched
    When the driver writes 0x00010000 to register 0x53F4
    And the network delivers a 64-byte frame to 01:00:5e:00:00:fb
    Then receive descriptor 0 has status 0x83 under mask 0x83
    And register MPRC reads 0x00000001

  @e1000-sdm-13.5 @e1000-sdm-13.4.22
  Scenario: RCTL.MO = 01b hashes address bits 46:35
    # 01:00:5e:00:00:fb: bits 46:35 = (FBh << 5 | 00h >> 3) & FFFh = F60h: MTA[123] at 53ECh, bit 0.
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00009002 and RDT 7
    When the driver writes 0x00000001 to register 0x53EC
    And the network delivers a 64-byte frame to 01:00:5e:00:00:fb
    Then receive descriptor 0 has status 0x83 under mask 0x83

  @e1000-sdm-13.4.22
  Scenario: RCTL.MPE accepts every multicast
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008012 and RDT 7
    When the network delivers a 64-byte frame to 01:00:5e:00:00:fb
    Then receive descriptor 0 has status 0x03 under mask 0x83

  @e1000-sdm-13.4.22 @e1000-sdm-13.4.17
  Scenario: RXDMT0 is raised when the free descriptors fall to half the ring (RDMTS = 00b)
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers 2 64-byte frames to 52:54:00:12:34:56
    Then register ICR reads 0x00000000 under mask 0x00000010
    When the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then register ICR reads 0x00000010 under mask 0x00000010

  @e1000-sdm-13.4.17 @e1000-sdm-13.7
  Scenario: A frame that finds no free descriptor is missed: RXO, MPC and RNBC
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 2
    When the network delivers 3 64-byte frames to 52:54:00:12:34:56
    Then the NIC reported the last frame as missed
    And receive descriptor 2 is untouched
    And register ICR reads 0x00000040 under mask 0x00000040
    And register MPC reads 0x00000001
    And register RNBC reads 0x00000001
    When the driver writes 0x00000005 to register RDT
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then receive descriptor 2 has status 0x03 under mask 0x03

  @e1000-sdm-13.4.1 @e1000-sdm-3.2
  Scenario: With CTRL.VME the 802.1Q tag is stripped into the Special field
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x00008100 to register VET
    And the driver sets bits 0x40000000 in register CTRL
    And the network delivers a 104-byte frame to 52:54:00:12:34:56 tagged with VLAN TCI 0x2005
    Then receive descriptor 0 has length 104
    And receive descriptor 0 has status 0x0B under mask 0x0B
    And receive descriptor 0 has special 0x2005
    And receive buffer 0 holds the last frame without its VLAN tag

  @e1000-sdm-13.4.22 @e1000-sdm-13.5
  Scenario: With RCTL.VFE a tagged frame passes only if its VLAN's VFTA bit is set
    # VLAN 5: VFTA[5 >> 5 = 0], bit 5 = 20h.
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00048002 and RDT 7
    When the driver writes 0x00008100 to register VET
    And the network delivers a 104-byte frame to 52:54:00:12:34:56 tagged with VLAN TCI 0x0005
    Then receive descriptor 0 is untouched
    When the driver writes 0x00000020 to register VFTA
    And the network delivers a 104-byte frame to 52:54:00:12:34:56 tagged with VLAN TCI 0x0005
    Then receive descriptor 0 has status 0x03 under mask 0x0B

  @e1000-sdm-3.2
  Scenario: With RXCSUM.IPOFLD and TUOFLD the IP and TCP checksums are checked
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x04008002 and RDT 7
    When the driver writes 0x00000300 to register RXCSUM
    And the network delivers a TCP/IPv4 frame with 100 payload bytes to 52:54:00:12:34:56
    And the network delivers a TCP/IPv4 frame with 100 payload bytes to 52:54:00:12:34:56 and a TCP checksum off by one
    Then receive descriptor 0 has status 0x63 under mask 0x63
    And receive descriptor 0 has errors 0x00
    And receive descriptor 1 has status 0x63 under mask 0x63
    And receive descriptor 1 has errors 0x20
