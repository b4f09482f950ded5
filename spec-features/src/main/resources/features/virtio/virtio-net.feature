@model
Feature: Virtio network device (virtio 1.3 section 5.1)
  A virtio-net device with MAC 52:54:00:12:34:56 over modern virtio-pci, one queue pair
  (receiveq1 = 0, transmitq1 = 1, controlq = 2) unless a scenario says otherwise, with a
  recording network on the backend side. Packets carry the 12-byte virtio_net_hdr (flags,
  gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers). Frames are written as
  key=value tokens (dst, src, type, len, vlan, udp=a:p>b:p, payload, csum=full|partial).
  Control commands are class/command/data with ack OK (0) or ERR (1).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-net device with MAC 52:54:00:12:34:56 on PCI

  @virtio-1.3-dev.network-device.device-configuration-layout
  Scenario: The configuration presents MAC, link status and MTU
    When the driver initializes the device with features "VERSION_1 NET_F_MAC NET_F_STATUS NET_F_MTU"
    Then the 4-byte device configuration field at 0x00 reads 0x12005452
    And the 2-byte device configuration field at 0x04 reads 0x5634
    And the 2-byte device configuration field at 0x06 reads 0x0001
    And the 2-byte device configuration field at 0x0A reads 1500
    And the common field num_queues reads 3

  @virtio-1.3-drv.network-device.device-configuration-layout
  Scenario: Driver writes to the read-only configuration are ignored
    When the driver initializes the device with features "VERSION_1 NET_F_MAC NET_F_MTU"
    And the driver writes 0xFFFFFFFF to the 4-byte device configuration field at 0x00
    And the driver writes 9000 to the 2-byte device configuration field at 0x0A
    Then the 4-byte device configuration field at 0x00 reads 0x12005452
    And the 2-byte device configuration field at 0x0A reads 1500

  @virtio-1.3-dev.network-device.device-configuration-layout @virtio-1.3-drv.network-device.device-configuration-layout
  Scenario: With MTU negotiated no received packet exceeds mtu plus the Ethernet header
    When the driver initializes the device with features "VERSION_1 NET_F_MTU"
    And the driver adds 2 receive buffers of 2048 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=1515"
    Then the frame was dropped for lack of buffers
    When the network delivers "dst=ff:ff:ff:ff:ff:ff len=1514"
    Then the frame was taken by the device
    And queue 0 delivered "dst=ff:ff:ff:ff:ff:ff len=1514" in 1 buffers with num_buffers 1

  @virtio-1.3-dev.network-device.device-configuration-layout
  Scenario: Packets up to the MTU are transmitted without fragmentation
    When the driver initializes the device with features "VERSION_1 NET_F_MTU"
    And the driver transmits "dst=52:54:00:00:00:99 src=52:54:00:12:34:56 len=1514" on queue 1
    Then the network received the frame as transmitted

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: A fully checksummed packet with flags 0 goes out unchanged, whatever csum_start says
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM"
    And the driver transmits "udp=10.0.0.1:1234>10.0.0.2:5678 payload=40 csum=full" on queue 1 with header flags 0 gso 0 csum 3+7
    Then the network received the frame as transmitted
    And the frame on the network has a valid UDP checksum
    And queue 1 returned 1 used buffers

  @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: With CSUM negotiated the device completes a partial checksum at csum_start + csum_offset
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM"
    And the driver transmits "udp=10.0.0.1:1234>10.0.0.2:5678 payload=41 csum=partial" on queue 1 with header flags 1 gso 0 csum 34+6
    Then the network received 1 frames from virtio-net
    And the frame on the network has a valid UDP checksum

  @virtio-1.3-dev.device-operation.packet-transmission
  Scenario: Flag bits the device does not recognize are ignored
    When the driver initializes the device with features "VERSION_1"
    And the driver transmits "dst=52:54:00:00:00:99 len=60" on queue 1 with header flags 128 gso 0 csum 0+0
    Then the network received the frame as transmitted

  @virtio-1.3-drv.device-operation.packet-transmission
  Scenario: A segmentation request without the HOST_TSO4 feature is not transmitted, and the device carries on
    When the driver initializes the device with features "VERSION_1 NET_F_CSUM"
    And the driver transmits "udp=10.0.0.1:1234>10.0.0.2:5678 payload=40" on queue 1 with header flags 1 gso 1 csum 34+6
    Then the network received 0 frames from virtio-net
    And the device has transmitted 0 and dropped 1 frames
    And the device reported no driver error
    When the driver transmits "dst=52:54:00:00:00:99 len=60" on queue 1
    Then the network received 1 frames from virtio-net

  @virtio-1.3-dev.split-virtqueues.message-framing @virtio-1.3-dev.device-operation.packet-transmission
  Scenario: Header and packet in a single descriptor are as good as in two
    When the driver initializes the device with features "VERSION_1"
    And the driver transmits "dst=52:54:00:00:00:99 len=100" on queue 1 as one descriptor with the header
    Then the network received the frame as transmitted

  @virtio-1.3-dev.device-operation.setting-up-receive-buffers @virtio-1.3-dev.device-operation.processing-of-incoming-packets @virtio-1.3-drv.device-operation.processing-of-incoming-packets
  Scenario: Without MRG_RXBUF a packet fills one buffer after the header, num_buffers 1, flags 0, GSO none
    When the driver initializes the device with features "VERSION_1"
    And the driver adds 4 receive buffers of 1526 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then the frame was taken by the device
    And queue 0 delivered "dst=ff:ff:ff:ff:ff:ff len=60" in 1 buffers with num_buffers 1
    And the device's interrupt line is asserted

  @virtio-1.3-dev.device-operation.setting-up-receive-buffers @virtio-1.3-drv.device-operation.setting-up-receive-buffers
  Scenario: Without MRG_RXBUF a packet that does not fit the next buffer is dropped and the buffer kept
    When the driver initializes the device with features "VERSION_1"
    And the driver adds 1 receive buffers of 64 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then the frame was dropped for lack of buffers
    When the network delivers "dst=ff:ff:ff:ff:ff:ff len=52"
    Then queue 0 delivered "dst=ff:ff:ff:ff:ff:ff len=52" in 1 buffers with num_buffers 1

  @virtio-1.3-dev.device-operation.processing-of-incoming-packets @virtio-1.3-dev.device-operation.setting-up-receive-buffers
  Scenario: With MRG_RXBUF a large packet spreads over buffers, all but the last filled completely
    When the driver initializes the device with features "VERSION_1 NET_F_MRG_RXBUF"
    And the driver adds 4 receive buffers of 512 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=1200"
    Then queue 0 delivered "dst=ff:ff:ff:ff:ff:ff len=1200" in 3 buffers with num_buffers 3
    And every used buffer of queue 0 but the last was filled completely

  @virtio-1.3-dev.device-operation.processing-of-incoming-packets
  Scenario: With MRG_RXBUF a packet that does not fit the available buffers takes none of them
    When the driver initializes the device with features "VERSION_1 NET_F_MRG_RXBUF"
    And the driver adds 2 receive buffers of 512 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=1200"
    Then the frame was dropped for lack of buffers
    And queue 0 returned 0 used buffers
    When the driver adds 1 receive buffers of 512 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=1200"
    Then queue 0 delivered "dst=ff:ff:ff:ff:ff:ff len=1200" in 3 buffers with num_buffers 3

  @virtio-1.3-drv.device-operation.setting-up-receive-buffers
  Scenario: With MRG_RXBUF a receive buffer smaller than the header is a driver error
    When the driver initializes the device with features "VERSION_1 NET_F_MRG_RXBUF"
    And the driver adds 1 receive buffers of 8 bytes to queue 0
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then the device reported the driver error MALFORMED_REQUEST

  @virtio-1.3-dev.device-operation.packet-transmission
  Scenario: A transmit buffer shorter than the header is a driver error
    When the driver initializes the device with features "VERSION_1"
    And the driver writes descriptor 0 of queue 1 as "addr 0x300000 len 8 flags 0"
    And the driver exposes descriptor 0 on queue 1 and notifies
    Then the device reported the driver error MALFORMED_REQUEST
    And the network received 0 frames from virtio-net

  @virtio-1.3-dev.control-virtqueue.packet-receive-filtering @virtio-1.3-drv.control-virtqueue.packet-receive-filtering
  Scenario: Promiscuous and all-multicast modes of CTRL_RX
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX"
    And the driver adds 8 receive buffers of 1526 bytes to queue 0
    And the network delivers "dst=52:54:00:00:00:77 len=60"
    Then queue 0 returned 1 used buffers
    When the driver sends the control command class 0 command 0 with data 00
    Then the control command is acknowledged with OK
    When the network delivers "dst=52:54:00:00:00:77 len=60"
    And the network delivers "dst=01:00:5e:00:00:01 len=60"
    Then queue 0 returned 0 used buffers
    When the network delivers "dst=52:54:00:12:34:56 len=60"
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then queue 0 returned 2 used buffers
    When the driver sends the control command class 0 command 1 with data 01
    And the network delivers "dst=01:00:5e:00:00:01 len=60"
    Then queue 0 returned 1 used buffers

  @virtio-1.3-dev.control-virtqueue.packet-receive-filtering @virtio-1.3-drv.control-virtqueue.packet-receive-filtering
  Scenario: The CTRL_RX_EXTRA commands need their feature and then suppress their class of packets
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX"
    And the driver sends the control command class 0 command 5 with data 01
    Then the control command is acknowledged with ERR
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX NET_F_CTRL_RX_EXTRA"
    And the driver adds 8 receive buffers of 1526 bytes to queue 0
    And the driver sends the control command class 0 command 0 with data 00
    And the driver sends the control command class 0 command 5 with data 01
    Then the control command is acknowledged with OK
    When the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then queue 0 returned 0 used buffers
    When the driver sends the control command class 0 command 1 with data 01
    And the driver sends the control command class 0 command 3 with data 01
    And the network delivers "dst=01:00:5e:00:00:01 len=60"
    Then queue 0 returned 0 used buffers
    When the driver sends the control command class 0 command 2 with data 01
    And the network delivers "dst=52:54:00:00:00:77 len=60"
    Then queue 0 returned 1 used buffers
    When the driver sends the control command class 0 command 4 with data 01
    And the network delivers "dst=52:54:00:12:34:56 len=60"
    Then queue 0 returned 0 used buffers
    When the driver sends the control command class 0 command 0 with data 02
    Then the control command is acknowledged with ERR

  @virtio-1.3-dev.control-virtqueue.setting-mac-address-filtering @virtio-1.3-drv.control-virtqueue.setting-mac-address-filtering
  Scenario: The MAC filter table starts empty and accepts the addresses set with MAC_TABLE_SET
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX"
    And the driver adds 8 receive buffers of 1526 bytes to queue 0
    And the driver sends the control command class 0 command 0 with data 00
    And the network delivers "dst=52:54:00:aa:bb:cc len=60"
    And the network delivers "dst=01:00:5e:00:00:fb len=60"
    Then queue 0 returned 0 used buffers
    When the driver sends the control command class 1 command 0 with data 01000000525400aabbcc0100000001005e0000fb
    Then the control command is acknowledged with OK
    When the network delivers "dst=52:54:00:aa:bb:cc len=60"
    And the network delivers "dst=01:00:5e:00:00:fb len=60"
    And the network delivers "dst=01:00:5e:00:00:fc len=60"
    Then queue 0 returned 2 used buffers

  @virtio-1.3-drv.control-virtqueue.setting-mac-address-filtering
  Scenario Outline: Malformed MAC commands, or MAC commands without their feature, are refused
    When the driver initializes the device with features "<features>"
    And the driver sends the control command class 1 command <command> with data <data>
    Then the control command is acknowledged with ERR

    Examples:
      | features                                          | command | data                                         |
      | VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX             | 0       | 02000000525400aabbcc0000000000000000         |
      | VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX             | 0       | 01000000525400aabbcc010000                   |
      | VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_MAC_ADDR       | 0       | 0000000000000000                             |
      | VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX             | 1       | 525400aabbcc                                 |
      | VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_MAC_ADDR       | 1       | 525400aabb                                   |

  @virtio-1.3-dev.control-virtqueue.setting-mac-address-filtering
  Scenario: MAC_ADDR_SET updates mac in the configuration before the command is used
    When the driver initializes the device with features "VERSION_1 NET_F_MAC NET_F_CTRL_VQ NET_F_CTRL_RX NET_F_CTRL_MAC_ADDR"
    And the driver adds 8 receive buffers of 1526 bytes to queue 0
    And the driver sends the control command class 0 command 0 with data 00
    And the driver reads the configuration generation
    And the driver sends the control command class 1 command 1 with data 525400abcdef
    Then the control command is acknowledged with OK
    And the 4-byte device configuration field at 0x00 reads 0xAB005452
    And the 2-byte device configuration field at 0x04 reads 0xEFCD
    And the configuration generation has changed
    When the network delivers "dst=52:54:00:ab:cd:ef len=60"
    And the network delivers "dst=52:54:00:12:34:56 len=60"
    Then queue 0 returned 1 used buffers

  @virtio-1.3-dev.control-virtqueue.vlan-filtering
  Scenario: With CTRL_VLAN only VLANs in the filter table are received
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX NET_F_CTRL_VLAN"
    And the driver adds 8 receive buffers of 1526 bytes to queue 0
    And the driver sends the control command class 0 command 0 with data 00
    And the network delivers "dst=ff:ff:ff:ff:ff:ff vlan=5 len=64"
    Then queue 0 returned 0 used buffers
    When the driver sends the control command class 2 command 0 with data 0500
    Then the control command is acknowledged with OK
    When the network delivers "dst=ff:ff:ff:ff:ff:ff vlan=5 len=64"
    And the network delivers "dst=ff:ff:ff:ff:ff:ff vlan=6 len=64"
    Then queue 0 returned 1 used buffers
    When the driver sends the control command class 2 command 1 with data 0500
    And the network delivers "dst=ff:ff:ff:ff:ff:ff vlan=5 len=64"
    Then queue 0 returned 0 used buffers
    When the driver sends the control command class 2 command 0 with data 0010
    Then the control command is acknowledged with ERR

  @virtio-1.3-dev.control-virtqueue.vlan-filtering
  Scenario: Without CTRL_VLAN negotiated every VLAN-tagged packet is accepted
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX"
    And the driver adds 8 receive buffers of 1526 bytes to queue 0
    And the driver sends the control command class 0 command 0 with data 00
    And the network delivers "dst=ff:ff:ff:ff:ff:ff vlan=5 len=64"
    And the network delivers "dst=ff:ff:ff:ff:ff:ff vlan=4095 len=64"
    Then queue 0 returned 2 used buffers

  @virtio-1.3-dev.control-virtqueue.gratuitous-packet-sending @virtio-1.3-drv.control-virtqueue.gratuitous-packet-sending
  Scenario: The device asks for an announcement and ANNOUNCE_ACK clears the request
    When the driver initializes the device with features "VERSION_1 NET_F_STATUS NET_F_CTRL_VQ NET_F_GUEST_ANNOUNCE"
    And the host asks the driver to announce itself
    Then the ISR status reads 0x02
    And the 2-byte device configuration field at 0x06 reads 0x0003
    When the driver sends the control command class 3 command 0 with data none
    Then the control command is acknowledged with OK
    And the 2-byte device configuration field at 0x06 reads 0x0001

  @virtio-1.3-drv.control-virtqueue.offloads-state-configuration
  Scenario: Receive offloads can be set only among those negotiated
    When the driver initializes the device with features "VERSION_1 NET_F_GUEST_CSUM NET_F_CTRL_VQ NET_F_CTRL_GUEST_OFFLOADS"
    And the driver sends the control command class 5 command 0 with data 0200000000000000
    Then the control command is acknowledged with OK
    When the driver sends the control command class 5 command 0 with data 8000000000000000
    Then the control command is acknowledged with ERR

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario Outline: Accepting a feature without the feature it requires is refused
    When the driver accepts the features "<accepted>" and sets FEATURES_OK
    Then the device <answer> FEATURES_OK

    Examples:
      | accepted                                                | answer  |
      | VERSION_1 NET_F_GUEST_TSO4                              | refuses |
      | VERSION_1 NET_F_GUEST_CSUM NET_F_GUEST_TSO4             | keeps   |
      | VERSION_1 NET_F_GUEST_CSUM NET_F_GUEST_ECN              | refuses |
      | VERSION_1 NET_F_GUEST_CSUM NET_F_GUEST_TSO6 NET_F_GUEST_ECN | keeps |
      | VERSION_1 NET_F_GUEST_UFO                               | refuses |
      | VERSION_1 NET_F_CTRL_RX                                 | refuses |
      | VERSION_1 NET_F_CTRL_VLAN                               | refuses |
      | VERSION_1 NET_F_GUEST_ANNOUNCE                          | refuses |
      | VERSION_1 NET_F_CTRL_MAC_ADDR                           | refuses |
      | VERSION_1 NET_F_CTRL_VQ NET_F_CTRL_RX NET_F_CTRL_VLAN   | keeps   |
      | VERSION_1 NET_F_HOST_TSO4                               | refuses |

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: The device offers no feature without the features it requires
    Then the device offers "NET_F_CSUM NET_F_GUEST_CSUM NET_F_GUEST_TSO4 NET_F_GUEST_TSO6 NET_F_GUEST_ECN NET_F_CTRL_VQ NET_F_CTRL_RX"
    And the device offers "NET_F_HOST_TSO4 NET_F_HOST_TSO6 NET_F_HOST_UFO NET_F_HOST_ECN"
    And the device does not offer "NET_F_MQ"
    When the driver writes 0 to the common field device_feature_select
    Then the common field device_feature reads 0x30BFFFAF

  @virtio-1.3-dev.network-device.device-configuration-layout @virtio-1.3-drv.pci-specific-initialization-and-device-operation.notification-of-device-configuration-changes
  Scenario: Link down is a configuration change; a link that is down carries no packets
    When the driver initializes the device with features "VERSION_1 NET_F_STATUS"
    And the driver adds 2 receive buffers of 1526 bytes to queue 0
    And the host takes the link down
    Then the ISR status reads 0x02
    And the 2-byte device configuration field at 0x06 reads 0x0000
    When the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then the frame was dropped for lack of buffers
    When the driver transmits "dst=52:54:00:00:00:99 len=60" on queue 1
    Then the network received 0 frames from virtio-net
    When the host takes the link up
    And the network delivers "dst=ff:ff:ff:ff:ff:ff len=60"
    Then queue 0 returned 1 used buffers
