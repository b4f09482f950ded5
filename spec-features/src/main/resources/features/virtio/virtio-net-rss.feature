@model
Feature: Virtio network device receive-side scaling and hash reporting (virtio 1.3 sections 5.1.6.4 and 5.1.6.5)
  A virtio-net device with MAC 52:54:00:12:34:56 and max_virtqueue_pairs 4: receiveq1..4 are
  virtqueues 0, 2, 4, 6, transmitq1..4 are 1, 3, 5, 7 and, with VIRTIO_NET_F_MQ or
  VIRTIO_NET_F_RSS, the control queue is 8. Configuration: rss_max_key_size at 0x11,
  rss_max_indirection_table_length at 0x12, supported_hash_types at 0x14.

  Hash types: IPv4 0x1, TCPv4 0x2, UDPv4 0x4, IPv6 0x8, TCPv6 0x10, UDPv6 0x20; hash_report
  values: NONE 0, IPv4 1, TCPv4 2, UDPv4 3, IPv6 4, TCPv6 5, UDPv6 6.

  The key and every expected hash below are the published example of Microsoft's "Verifying the
  RSS Hash Calculation" (also the Intel 82599 datasheet's RSS verification suite): key
  6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa and
    66.9.149.187:2794 > 161.142.100.80:1766       addresses 0x323e8fc2, with TCP ports 0x51ccc178
    199.92.111.2:14230 > 65.69.140.83:4739        addresses 0xd718262a, with TCP ports 0xc626b0ea
    38.27.205.30:48228 > 209.142.163.6:2217       addresses 0x82989176, with TCP ports 0xafc7327f
    153.39.163.191:44251 > 202.188.127.2:1303     addresses 0x5d1809c5, with TCP ports 0x10e828a2
    [3ffe:2501:200:1fff::7]:2794 > [3ffe:2501:200:3::1]:1766           addresses 0x2cc18cd5, with TCP 0x40207d3d
    [3ffe:501:8::260:97ff:fe40:efab]:14230 > [ff02::1]:4739            addresses 0x0f0c461c, with TCP 0xdde51bbf
  With the 4-entry indirection table "0 1 2 3" the entry is hash & 3, computed by hand:
  0x51ccc178 -> 0 (receiveq1, vq 0), 0xc626b0ea -> 2 (vq 4), 0xafc7327f -> 3 (vq 6),
  0x5d1809c5 -> 1 (vq 2), 0x40207d3d -> 1 (vq 2), 0xdde51bbf -> 3 (vq 6).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-net device with MAC 52:54:00:12:34:56 and 4 queue pairs for receive-side scaling on PCI

  @virtio-1.3-dev.network-device.device-configuration-layout @virtio-1.3-drv.network-device.device-configuration-layout
  Scenario: The device offers RSS and HASH_REPORT and describes its limits in the configuration
    Then the device offers "NET_F_RSS NET_F_HASH_REPORT NET_F_CTRL_VQ"
    And the 1-byte device configuration field at 0x11 reads 40
    And the 2-byte device configuration field at 0x12 reads 128
    And the 4-byte device configuration field at 0x14 reads 0x3F
    And the 2-byte device configuration field at 0x08 reads 4

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-drv.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: RSS requires the control queue
    When the driver accepts the features "VERSION_1 NET_F_RSS" and sets FEATURES_OK
    Then the device refuses FEATURES_OK

  @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss @virtio-1.3-drv.control-virtqueue.receive-side-scaling-rss @virtio-1.3-dev.device-operation.processing-of-incoming-packets
  Scenario: With RSS and no MQ there are max_virtqueue_pairs pairs and the indirection table picks the receive queue
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_RSS"
    And the driver posts 2 receive buffers of 1526 bytes on each of the virtqueues "0 2 4 6"
    And the driver sends RSS_CONFIG with hash types 0x3, indirection table "0 1 2 3", unclassified queue 1, max_tx_vq 4 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    Then the control command is acknowledged with OK
    When the network delivers the test packet "tcp4 66.9.149.187:2794 > 161.142.100.80:1766"
    Then virtqueue 0 received "tcp4 66.9.149.187:2794 > 161.142.100.80:1766" after a 12-byte header
    When the network delivers the test packet "tcp4 199.92.111.2:14230 > 65.69.140.83:4739"
    Then virtqueue 4 received "tcp4 199.92.111.2:14230 > 65.69.140.83:4739" after a 12-byte header
    When the network delivers the test packet "tcp4 38.27.205.30:48228 > 209.142.163.6:2217"
    Then virtqueue 6 received "tcp4 38.27.205.30:48228 > 209.142.163.6:2217" after a 12-byte header
    And virtqueues "0 2 4" received nothing

  @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss
  Scenario: A packet without a hash goes to unclassified_queue; a UDP packet under TCPv4|IPv4 is hashed by its addresses
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_RSS"
    And the driver posts 2 receive buffers of 1526 bytes on each of the virtqueues "0 2 4 6"
    And the driver sends RSS_CONFIG with hash types 0x3, indirection table "0 1 2 3", unclassified queue 3, max_tx_vq 4 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    And the network delivers the test packet "arp"
    Then virtqueue 6 received "arp" after a 12-byte header
    When the network delivers the test packet "udp4 153.39.163.191:44251 > 202.188.127.2:1303"
    Then virtqueue 2 received "udp4 153.39.163.191:44251 > 202.188.127.2:1303" after a 12-byte header
    And virtqueues "0 4 6" received nothing

  @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss @virtio-1.3-dev.device-operation.processing-of-incoming-packets @virtio-1.3-dev.device-operation.setting-up-receive-buffers
  Scenario: With HASH_REPORT the receive header is 20 bytes and carries the Toeplitz hash and its type
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_RSS NET_F_HASH_REPORT"
    And the driver posts 2 receive buffers of 1534 bytes on each of the virtqueues "0 2 4 6"
    And the driver sends RSS_CONFIG with hash types 0x3, indirection table "0 1 2 3", unclassified queue 2, max_tx_vq 4 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    Then the control command is acknowledged with OK
    When the network delivers the test packet "tcp4 66.9.149.187:2794 > 161.142.100.80:1766"
    Then virtqueue 0 received "tcp4 66.9.149.187:2794 > 161.142.100.80:1766" with hash_value 0x51ccc178 and hash_report 2
    When the network delivers the test packet "udp4 153.39.163.191:44251 > 202.188.127.2:1303"
    Then virtqueue 2 received "udp4 153.39.163.191:44251 > 202.188.127.2:1303" with hash_value 0x5d1809c5 and hash_report 1
    When the network delivers the test packet "arp"
    Then virtqueue 4 received "arp" with hash_value 0 and hash_report 0

  @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss @virtio-1.3-dev.device-operation.processing-of-incoming-packets
  Scenario: IPv6 TCP packets are hashed over both addresses and ports
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_RSS NET_F_HASH_REPORT"
    And the driver posts 2 receive buffers of 1534 bytes on each of the virtqueues "0 2 4 6"
    And the driver sends RSS_CONFIG with hash types 0x18, indirection table "0 1 2 3", unclassified queue 0, max_tx_vq 4 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    And the network delivers the test packet "tcp6 [3ffe:2501:200:1fff::7]:2794 > [3ffe:2501:200:3::1]:1766"
    Then virtqueue 2 received "tcp6 [3ffe:2501:200:1fff::7]:2794 > [3ffe:2501:200:3::1]:1766" with hash_value 0x40207d3d and hash_report 5
    When the network delivers the test packet "tcp6 [3ffe:501:8::260:97ff:fe40:efab]:14230 > [ff02::1]:4739"
    Then virtqueue 6 received "tcp6 [3ffe:501:8::260:97ff:fe40:efab]:14230 > [ff02::1]:4739" with hash_value 0xdde51bbf and hash_report 5
    When the network delivers the test packet "udp6 [3ffe:501:8::260:97ff:fe40:efab]:14230 > [ff02::1]:4739"
    Then virtqueue 0 received "udp6 [3ffe:501:8::260:97ff:fe40:efab]:14230 > [ff02::1]:4739" with hash_value 0x0f0c461c and hash_report 4

  @virtio-1.3-drv.control-virtqueue.receive-side-scaling-rss @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss
  Scenario Outline: RSS_CONFIG that breaks a driver rule is answered with ERR
    When the driver initializes the device with features "<features>"
    And the driver sends RSS_CONFIG with hash types <types>, indirection table "<table>", unclassified queue <unclassified>, max_tx_vq <tx> and key <key>
    Then the control command is acknowledged with ERR

    Examples:
      | features                                  | types | table       | unclassified | tx | key                      |
      | VERSION_1 NET_F_CTRL_VQ NET_F_MQ          | 0x3   | 0 1 2 3     | 0            | 4  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x3   | 0 1 2       | 0            | 4  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x3   | 0 1 2 4     | 0            | 4  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x3   | 0 1 2 3     | 4            | 4  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x40  | 0 1 2 3     | 0            | 4  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x3   | 0 1 2 3     | 0            | 0  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x3   | 0 1 2 3     | 0            | 5  | 6d5a56da255b0ec241672530 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_RSS         | 0x3   | 0 1 2 3     | 0            | 4  | 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728 |

  @virtio-1.3-dev.control-virtqueue.automatic-receive-steering-in-multiqueue-mode @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss
  Scenario: The last multiqueue command decides: VQ_PAIRS_SET after RSS_CONFIG returns to automatic steering
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_MQ NET_F_RSS"
    And the driver posts 2 receive buffers of 1526 bytes on each of the virtqueues "0 2 4 6"
    And the driver sends RSS_CONFIG with hash types 0x3, indirection table "0 1 2 3", unclassified queue 0, max_tx_vq 4 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    And the driver sends the control command class 4 command 0 with data 0400
    Then the control command is acknowledged with OK
    When the driver transmits the test packet "tcp4 161.142.100.80:1766 > 66.9.149.187:2794" on virtqueue 5 after a 12-byte header
    And the network delivers the test packet "tcp4 66.9.149.187:2794 > 161.142.100.80:1766"
    Then virtqueue 4 received "tcp4 66.9.149.187:2794 > 161.142.100.80:1766" after a 12-byte header
    And virtqueues "0 2 6" received nothing

  @virtio-1.3-dev.device-operation.processing-of-incoming-packets @virtio-1.3-dev.device-operation.setting-up-receive-buffers
  Scenario: HASH_CONFIG sets the reported hash on a device steering automatically
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_HASH_REPORT"
    And the driver posts 2 receive buffers of 1534 bytes on each of the virtqueues "0"
    And the network delivers the test packet "tcp4 66.9.149.187:2794 > 161.142.100.80:1766"
    Then virtqueue 0 received "tcp4 66.9.149.187:2794 > 161.142.100.80:1766" with hash_value 0 and hash_report 0
    When the driver sends HASH_CONFIG with hash types 0x7, reserved word 0 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    Then the control command is acknowledged with OK
    When the network delivers the test packet "tcp4 199.92.111.2:14230 > 65.69.140.83:4739"
    Then virtqueue 0 received "tcp4 199.92.111.2:14230 > 65.69.140.83:4739" with hash_value 0xc626b0ea and hash_report 2
    When the driver sends HASH_CONFIG with hash types 0x1, reserved word 1 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    Then the control command is acknowledged with ERR

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: With HASH_REPORT transmitted packets also follow a 20-byte header
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_HASH_REPORT"
    And the driver transmits the test packet "udp4 10.0.0.1:1234 > 10.0.0.2:5678" on virtqueue 1 after a 20-byte header
    Then the network received the test packet "udp4 10.0.0.1:1234 > 10.0.0.2:5678" unchanged

  @virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss
  Scenario: A packet whose RSS destination queue is being reset is dropped
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_RSS RING_RESET"
    And the driver posts 2 receive buffers of 1526 bytes on each of the virtqueues "0 2 4 6"
    And the driver sends RSS_CONFIG with hash types 0x3, indirection table "0 1 2 3", unclassified queue 0, max_tx_vq 4 and key 6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
    And the driver writes 4 to the common field queue_select
    And the driver writes 1 to the common field queue_reset
    And the network offers the test packet "tcp4 199.92.111.2:14230 > 65.69.140.83:4739"
    Then the device dropped the test packet
    And virtqueues "0 2 6" received nothing

  @virtio-1.3-drv.device-operation.setting-up-receive-buffers
  Scenario: With MRG_RXBUF and HASH_REPORT a receive buffer smaller than the 20-byte header is a driver error
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_MRG_RXBUF NET_F_HASH_REPORT"
    And the driver posts 1 receive buffers of 16 bytes on each of the virtqueues "0"
    And the network offers the test packet "arp"
    Then the device dropped the test packet
    And the device reported the driver error MALFORMED_REQUEST
