@model
Feature: 82540EM transmit: descriptors, checksum offload and TCP segmentation
  The driver owns the transmit ring at TDBAL/TDBAH, TDLEN bytes long, and hands descriptors to
  the hardware by advancing TDT; "Hardware attempts to transmit all packets referenced by
  descriptors between head and tail" and advances TDH (8254x SDM §13.4.36-40). Legacy
  descriptors (§3.3.3) carry an address, a length, CSO, CMD (EOP 01h, IFCS 02h, IC 04h, RS 08h,
  VLE 40h, IDE 80h), CSS and Special; the TCP/IP context descriptor (§3.3.5-6) loads
  IPCSS/IPCSO/IPCSE, TUCSS/TUCSO/TUCSE, PAYLEN, TUCMD (TCP 01h, IP 02h, TSE 04h, RS 08h), HDRLEN
  and MSS; TCP/IP data descriptors (§3.3.7) carry DCMD (EOP, IFCS, TSE 04h, RS, VLE, IDE) and
  POPTS (IXSM 01h, TXSM 02h). With RS, the status byte gets DD once the descriptor is done. The
  driver's TCP frames are Ethernet + IPv4 (20 bytes, at 14) + TCP (20 bytes, at 34) + payload
  bytes counting up from 0, sent to 52:54:00:12:34:57, with IPCSS 14, IPCSO 24, IPCSE 33,
  TUCSS 34, TUCSO 50 and TUCSE 0 ("end of packet"). For TSO the driver seeds the TCP checksum
  with the pseudo-header sum without the length, as Linux does; the device adds "TCP Length =
  Payload + HDRLEN - TUCSS" per segment (§3.5). Checksums are verified by the receiver's rule of
  RFC 1071 (the sum over the covered bytes is FFFFh).

  Background:
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a transmit ring of 8 descriptors

  @e1000-sdm-3.3.3 @e1000-sdm-13.4.40 @e1000-sdm-13.4.17
  Scenario: A legacy descriptor sends one frame and reports DD
    When the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 1 frame
    And frame 1 on the network is the 60-byte frame to ff:ff:ff:ff:ff:ff
    And transmit descriptor 0 is done
    And register TDH reads 0x00000001
    # TXDW for the RS descriptor, TXQE because the ring is now empty.
    And register ICR reads 0x00000003

  @e1000-sdm-13.7
  Scenario: Transmit statistics count good packets and octets with the CRC, and clear when read
    When the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then register GPTC reads 0x00000001
    And register GPTC reads 0x00000000
    And register TPT reads 0x00000001
    And register BPTC reads 0x00000001
    # GOTCL/GOTCH count DA through CRC: 60 + 4 bytes; reading GOTCH clears the pair (§13.7.32).
    And register GOTCL reads 0x00000040
    And register GOTCH reads 0x00000000
    And register GOTCL reads 0x00000000

  @e1000-sdm-3.3.3
  Scenario: A packet in three descriptors leaves as one frame; only RS descriptors are written back
    When the driver queues a 300-byte frame to ff:ff:ff:ff:ff:ff in 3 legacy descriptors, the last with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 1 frame
    And frame 1 on the network is the 300-byte frame to ff:ff:ff:ff:ff:ff
    And transmit descriptor 0 is not done
    And transmit descriptor 1 is not done
    And transmit descriptor 2 is done
    And register TDH reads 0x00000003

  @e1000-sdm-13.4.33
  Scenario: TCTL.PSP pads short frames to 64 bytes with the CRC
    When the driver queues a 42-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then frame 1 on the network is the 42-byte frame to ff:ff:ff:ff:ff:ff padded with zeros to 60 bytes

  @e1000-sdm-13.4.33
  Scenario: Without TCTL.PSP short frames leave as they are
    When the driver clears bits 0x00000008 in register TCTL
    And the driver queues a 42-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then frame 1 on the network is the 42-byte frame to ff:ff:ff:ff:ff:ff

  @e1000-sdm-3.4 @e1000-sdm-13.4.40
  Scenario: The head follows the tail around the ring
    When the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 10 frames
    And register TDH reads 0x00000002

  @e1000-sdm-3.3.3
  Scenario: CMD.IC inserts the checksum from CSS to the end of the packet at CSO
    # The IPv4 header 4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7 sums to 2479Ch, folded
    # 479Eh, whose complement B861h is its header checksum; the zero padding adds nothing.
    When the driver queues the bytes FFFFFFFFFFFF0200000000010800450000730000400040110000C0A80001C0A800C70000000000000000000000000000000000000000000000000000 in a legacy descriptor with command 0x0F, CSO 24 and CSS 14
    And the driver rings the transmit doorbell
    Then frame 1 on the network has bytes B861 at offset 24

  @e1000-sdm-3.3.5 @e1000-sdm-3.3.6 @e1000-sdm-3.3.7
  Scenario: A context and a data descriptor insert the IPv4 and TCP checksums
    When the driver queues a TCP/IP context with TUCMD 0x0B, HDRLEN 0, MSS 0 and PAYLEN 0
    And the driver queues a TCP segment of 100 payload bytes with IP id 0x0042, sequence 0x00000001 and flags 0x18 in a data descriptor with DCMD 0x0B and POPTS 0x03
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 1 frame
    And frame 1 on the network is 154 bytes long
    And frame 1 on the network has a valid IPv4 header checksum and TCP checksum
    And frame 1 on the network has bytes 008C0042 at offset 16
    And transmit descriptor 0 is done
    And transmit descriptor 1 is done

  @e1000-sdm-3.5 @e1000-sdm-3.5.9
  Scenario: TCP segmentation cuts 2500 bytes into MSS-sized segments with updated headers
    # Segment n: IP Total Length = payload + HDRLEN - IPCSS (1000 + 54 - 14 = 1040 = 0410h, then
    # 500 + 40 = 021Ch), Identification 1234h + n, sequence 01000000h + n x 1000, and PSH (08h)
    # and FIN (01h) of the original flags 19h kept only in the last segment (§3.5.9.1-2).
    When the driver queues a TCP/IP context with TUCMD 0x07, HDRLEN 54, MSS 1000 and PAYLEN 2500
    And the driver queues a TCP segment of 2500 payload bytes with IP id 0x1234, sequence 0x01000000 and flags 0x19 in a data descriptor with DCMD 0x0F and POPTS 0x03
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 3 frames
    And frame 1 on the network is 1054 bytes long
    And frame 2 on the network is 1054 bytes long
    And frame 3 on the network is 554 bytes long
    And frame 1 on the network has bytes 04101234 at offset 16
    And frame 2 on the network has bytes 04101235 at offset 16
    And frame 3 on the network has bytes 021C1236 at offset 16
    And frame 1 on the network has bytes 01000000 at offset 38
    And frame 2 on the network has bytes 010003E8 at offset 38
    And frame 3 on the network has bytes 010007D0 at offset 38
    And frame 1 on the network has bytes 10 at offset 47
    And frame 2 on the network has bytes 10 at offset 47
    And frame 3 on the network has bytes 19 at offset 47
    And frame 1 on the network has a valid IPv4 header checksum and TCP checksum
    And frame 2 on the network has a valid IPv4 header checksum and TCP checksum
    And frame 3 on the network has a valid IPv4 header checksum and TCP checksum
    And frame 1 on the network carries payload bytes 0 to 999 of the segment
    And frame 2 on the network carries payload bytes 1000 to 1999 of the segment
    And frame 3 on the network carries payload bytes 2000 to 2499 of the segment
    And register TSCTC reads 0x00000001
    And register GPTC reads 0x00000003

  @e1000-sdm-3.3.3 @e1000-sdm-13.4.1
  Scenario: With CTRL.VME and VLE an 802.1Q tag with VET and Special is inserted after the addresses
    When the driver writes 0x00008100 to register VET
    And the driver sets bits 0x40000000 in register CTRL
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x4B and special 0x2005
    And the driver rings the transmit doorbell
    Then frame 1 on the network is 64 bytes long
    And frame 1 on the network has bytes 8100200588B5 at offset 12

  @e1000-sdm-13.4.33
  Scenario: Nothing is fetched while TCTL.EN is clear
    When the driver clears bits 0x00000002 in register TCTL
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 0 frames
    And register TDH reads 0x00000000
    When the driver sets bits 0x00000002 in register TCTL
    Then the e1000's link partner received 1 frame
