@model
Feature: Virtio network device with several queue pairs (virtio 1.3 section 5.1.6.5.6)
  A virtio-net device with MAC 52:54:00:12:34:56 and max_virtqueue_pairs 2: receiveq1 = 0,
  transmitq1 = 1, receiveq2 = 2, transmitq2 = 3 and, once VIRTIO_NET_F_MQ is negotiated, the
  control queue at 4.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-net device with MAC 52:54:00:12:34:56 and 2 queue pairs on PCI

  @virtio-1.3-dev.network-device.device-configuration-layout
  Scenario: max_virtqueue_pairs tells how many pairs the device has
    Then the device offers "NET_F_MQ"
    And the common field num_queues reads 5
    And the 2-byte device configuration field at 0x08 reads 2

  @virtio-1.3-drv.control-virtqueue.automatic-receive-steering-in-multiqueue-mode @virtio-1.3-dev.control-virtqueue.automatic-receive-steering-in-multiqueue-mode
  Scenario: VQ_PAIRS_SET accepts 1 up to max_virtqueue_pairs
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_MQ"
    And the driver sends the control command class 4 command 0 with data 0000
    Then the control command is acknowledged with ERR
    When the driver sends the control command class 4 command 0 with data 0300
    Then the control command is acknowledged with ERR
    When the driver sends the control command class 4 command 0 with data 0200
    Then the control command is acknowledged with OK

  @virtio-1.3-dev.control-virtqueue.automatic-receive-steering-in-multiqueue-mode
  Scenario: Until VQ_PAIRS_SET packets arrive on receiveq1 only
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_MQ"
    And the driver adds 4 receive buffers of 1526 bytes to queue 0
    And the driver adds 4 receive buffers of 1526 bytes to queue 2
    And the network delivers 3 frames "udp=10.0.0.2:5678>10.0.0.1:1234 payload=20"
    Then queue 0 returned 3 used buffers
    And queue 2 returned 0 used buffers

  @virtio-1.3-dev.control-virtqueue.automatic-receive-steering-in-multiqueue-mode
  Scenario: After VQ_PAIRS_SET a flow's replies are steered to the receive queue of its transmit queue
    When the driver initializes the device with features "VERSION_1 NET_F_CTRL_VQ NET_F_MQ"
    And the driver adds 4 receive buffers of 1526 bytes to queue 0
    And the driver adds 4 receive buffers of 1526 bytes to queue 2
    And the driver sends the control command class 4 command 0 with data 0200
    And the driver transmits "udp=10.0.0.1:1234>10.0.0.2:5678 payload=20" on queue 3
    And the network delivers 2 frames "udp=10.0.0.2:5678>10.0.0.1:1234 payload=20"
    Then queue 2 returned 2 used buffers
    And queue 0 returned 0 used buffers
    When the driver sends the control command class 4 command 0 with data 0100
    And the network delivers "udp=10.0.0.2:5678>10.0.0.1:1234 payload=20"
    Then queue 0 returned 1 used buffers
    And queue 2 returned 0 used buffers
