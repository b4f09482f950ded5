@model
Feature: virtio-net transmit segmentation: HOST_TSO4, HOST_TSO6, HOST_UFO and HOST_ECN (virtio 1.3 section 5.1.6.2)
  The device offers HOST_TSO4/TSO6/UFO/ECN and, since its backends take plain Ethernet frames,
  cuts packets that ask for segmentation itself: TCP segments of at most gso_size payload bytes
  with the headers replicated (IPv4 Identification + 1, sequence number + payload, PSH and FIN in
  the last segment only, CWR in the first only), or for UFO IP fragments of at most gso_size
  bytes of IP payload (a multiple of 8) whose reassembly is the datagram with its UDP checksum.
  Every checksum is computed by the device; the driver's seed (Linux's, with the whole packet's
  length) and hdr_len (a hint without GUEST_HDRLEN, which "the device MUST NOT rely on") are not
  used. Requests the driver must not make (a gso_type not negotiated, GSO_ECN without HOST_ECN,
  segmentation without NEEDS_CSUM) are dropped and the device carries on.
  Packets: TCP 4096 -> 80 seq 1000 flags PSH|ACK (0x18) over IPv4 (ID 0x4321) or IPv6, or UDP
  5000 -> 6000; header flags 1 = NEEDS_CSUM; gso_type TCPV4 = 1, UDP = 3, TCPV6 = 4, UDP_L4 = 5,
  ECN = 0x80. Checksums on the network are checked by sums written for the suite.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-net device with MAC 52:54:00:12:34:56 on PCI

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-drv.basic-facilities-of-a-virtio-device.feature-bits
  Scenario Outline: HOST_TSO4, TSO6 and UFO need CSUM, HOST_ECN needs TSO4 or TSO6 (section 5.1.3.1)
    When the driver accepts the features "<accepted>" and sets FEATURES_OK
    Then the device <answer> FEATURES_OK

    Examples:
      | accepted                                               | answer  |
      | VERSION_1 NET_F_HOST_TSO6                              | refuses |
      | VERSION_1 NET_F_CSUM NET_F_HOST_TSO6                   | keeps   |
      | VERSION_1 NET_F_HOST_UFO                               | refuses |
      | VERSION_1 NET_F_CSUM NET_F_HOST_UFO                    | keeps   |
      | VERSION_1 NET_F_CSUM NET_F_HOST_ECN                    | refuses |
      | VERSION_1 NET_F_CSUM NET_F_HOST_TSO4 NET_F_HOST_ECN    | keeps   |
      | VERSION_1 NET_F_HOST_TSO4 NET_F_HOST_ECN               | refuses |

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: A TSO4 packet is cut into MSS-sized segments with complete IPv4 and TCP checksums
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM NET_F_HOST_TSO4"
    And the driver transmits a TCP/IPv4 packet of 4000 payload bytes on queue 1 with gso_type TCPV4 and gso_size 1448
    Then the network frames carry TCP payloads of "1448, 1448, 1104" bytes with sequence numbers following from 1000
    And every network frame has a valid IPv4 header checksum if IPv4 and a valid TCP or UDP checksum
    And the IPv4 identifications of the network frames count up from 0x4321
    And the TCP flags of the network frames are "0x10, 0x10, 0x18"
    And the device has transmitted 3 and dropped 0 frames

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: A TSO6 packet is cut the same way, with the IPv6 payload length of each segment
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM NET_F_HOST_TSO6"
    And the driver transmits a TCP/IPv6 packet of 3000 payload bytes on queue 1 with gso_type TCPV6 and gso_size 1440
    Then the network frames carry TCP payloads of "1440, 1440, 120" bytes with sequence numbers following from 1000
    And every network frame has a valid IPv4 header checksum if IPv4 and a valid TCP or UDP checksum

  @virtio-1.3-dev.device-operation.packet-transmission
  Scenario: hdr_len is only a hint: a wrong one does not change the segments
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM NET_F_HOST_TSO4"
    And the driver transmits a TCP/IPv4 packet of 3000 payload bytes on queue 1 with gso_type TCPV4, gso_size 1460, flags 1 and hdr_len 14
    Then the network frames carry TCP payloads of "1460, 1460, 80" bytes with sequence numbers following from 1000
    And every network frame has a valid IPv4 header checksum if IPv4 and a valid TCP or UDP checksum

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: With HOST_ECN a TCP packet with CWR set keeps CWR in its first segment only
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM NET_F_HOST_TSO4 NET_F_HOST_ECN"
    And the driver transmits a TCP/IPv4 packet with CWR set of 3000 payload bytes on queue 1 with gso_type TCPV4|ECN and gso_size 1000
    Then the TCP flags of the network frames are "0x90, 0x10, 0x18"
    And every network frame has a valid IPv4 header checksum if IPv4 and a valid TCP or UDP checksum

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: A UFO datagram over IPv4 leaves as IP fragments that reassemble with a valid UDP checksum
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM NET_F_HOST_UFO"
    And the driver transmits a UDP/IPv4 packet of 3000 payload bytes on queue 1 with gso_type UDP and gso_size 1480
    Then the network frames are IP fragments of "1480, 1480, 48" payload bytes that reassemble into a datagram with a valid UDP checksum

  @virtio-1.3-dev.device-operation.packet-transmission
  Scenario: A UFO datagram over IPv6 gets a Fragment header in each piece
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM NET_F_HOST_UFO"
    And the driver transmits a UDP/IPv6 packet of 3000 payload bytes on queue 1 with gso_type UDP and gso_size 1232
    Then the network frames are IP fragments of "1232, 1232, 544" payload bytes that reassemble into a datagram with a valid UDP checksum

  @virtio-1.3-drv.device-operation.packet-transmission
  Scenario Outline: Segmentation requests the driver must not make are dropped; the device carries on
    When the driver initializes the device with features "<features>"
    And the driver transmits a <packet> packet of 3000 payload bytes on queue 1 with gso_type <gso>, gso_size 1000, flags <flags> and hdr_len 0
    Then the network received 0 frames from virtio-net
    And the device has transmitted 0 and dropped 1 frames
    And the device reported no driver error
    When the driver transmits "dst=52:54:00:00:00:99 len=60" on queue 1
    Then the network received 1 frames from virtio-net

    Examples:
      | features                                         | packet   | gso       | flags |
      | VERSION_1 NET_F_CSUM NET_F_HOST_TSO4             | TCP/IPv6 | TCPV6     | 1     |
      | VERSION_1 NET_F_CSUM NET_F_HOST_TSO4             | TCP/IPv4 | TCPV4     | 0     |
      | VERSION_1 NET_F_CSUM NET_F_HOST_TSO4             | TCP/IPv4 | TCPV4\|ECN | 1     |
      | VERSION_1 NET_F_CSUM NET_F_HOST_TSO4             | UDP/IPv4 | TCPV4     | 1     |
      | VERSION_1 NET_F_CSUM NET_F_HOST_UFO              | UDP/IPv4 | UDP_L4    | 1     |
