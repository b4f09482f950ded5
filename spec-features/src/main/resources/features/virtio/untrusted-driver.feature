@model
Feature: An untrusted driver gets bounded work and the specification's answer
  The guest is untrusted (docs/DESIGN.md). Whatever a driver puts in the rings, the device does
  bounded work and gives the answer of virtio 1.3 section 2.1.2: it "SHOULD set
  DEVICE_NEEDS_RESET when it enters an error state that a reset is needed" and, with DRIVER_OK
  set, "MUST send a device configuration change notification" - here ISR bit 1 and INTx#. It
  never completes a request it could not parse, never writes outside the buffers it was given
  and never throws. Checked on virtio-blk over modern virtio-pci (queue of 256 entries); the
  raw descriptors point at RAM from 0x300000 (16 MiB of RAM in all).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-blk device with a 64 KiB disk on PCI

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table @cve-2016-6490
  Scenario: A zero-length descriptor inside a request (CVE-2016-6490 class)
    QEMU CVE-2016-6490: a zero-length descriptor made virtqueue_map_desc loop or assert. The
    reference rejects zero-sized buffers as QEMU's fix does.
    When the driver initializes the device with features "VERSION_1"
    And the driver writes descriptor 0 of queue 0 as "addr 0x300000 len 16 flags NEXT next 1"
    And the driver writes descriptor 1 of queue 0 as "addr 0x300100 len 0 flags WRITE|NEXT next 2"
    And the driver writes descriptor 2 of queue 0 as "addr 0x300200 len 1 flags WRITE"
    And the driver exposes descriptor 0 on queue 0 and notifies
    Then the device reported the driver error ZERO_LENGTH
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"
    And the ISR status reads 0x02
    And the used ring of queue 0 is empty

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-drv.split-virtqueues.the-virtqueue-available-ring @cve-2016-5403
  Scenario: A driver running the available ring far ahead of the device (CVE-2016-5403 class)
    QEMU CVE-2016-5403: requests submitted without waiting for completion grew host memory
    without bound. The available idx can never be more than the queue size ahead of the device.
    When the driver initializes the device with features "VERSION_1"
    And the driver writes descriptor 0 of queue 0 as "addr 0x300000 len 16 flags NEXT next 1"
    And the driver writes descriptor 1 of queue 0 as "addr 0x300200 len 1 flags WRITE"
    And the driver sets avail idx of queue 0 to 5000 and notifies
    Then the device reported the driver error AVAIL_INDEX_JUMP
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"
    And the used ring of queue 0 is empty

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field
  Scenario: The same request exposed a queue's worth of times is served once per exposure, then no more
    When the driver initializes the device with features "VERSION_1"
    And the driver writes descriptor 0 of queue 0 as "addr 0x300000 len 16 flags NEXT next 1"
    And the driver writes descriptor 1 of queue 0 as "addr 0x300200 len 1 flags WRITE"
    And the driver sets avail idx of queue 0 to 256 and notifies
    Then the device reported no driver error
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table @virtio-1.3-drv.the-virtqueue-descriptor-table.indirect-descriptors @virtio-1.3-drv.split-virtqueues.message-framing
  Scenario Outline: Malformed chains make the device ask for a reset instead of serving them
    When the driver initializes the device with features "VERSION_1 INDIRECT_DESC"
    And the driver writes descriptor 0 of queue 0 as "<descriptor 0>"
    And the driver writes descriptor 1 of queue 0 as "<descriptor 1>"
    And the driver writes entry 0 of the table at 0x310000 for queue 0 as "<table entry 0>"
    And the driver writes entry 1 of the table at 0x310000 for queue 0 as "addr 0x300200 len 1 flags WRITE"
    And the driver exposes descriptor 0 on queue 0 and notifies
    Then the device reported the driver error <violation>
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"
    And the ISR status reads 0x02
    And the used ring of queue 0 is empty

    Examples: driver rules broken
      | descriptor 0                                  | descriptor 1                                | table entry 0                                 | violation                |
      | addr 0x300000 len 16 flags NEXT next 1        | addr 0x300200 len 1 flags NEXT next 0       | addr 0x300000 len 16 flags 0                  | CHAIN_TOO_LONG           |
      | addr 0x300000 len 16 flags NEXT next 300      | addr 0x300200 len 1 flags WRITE             | addr 0x300000 len 16 flags 0                  | NEXT_OUT_OF_RANGE        |
      | addr 0x300200 len 1 flags WRITE\|NEXT next 1  | addr 0x300000 len 16 flags 0                | addr 0x300000 len 16 flags 0                  | WRITABLE_BEFORE_READABLE |
      | addr 0x310000 len 32 flags INDIRECT\|NEXT next 1 | addr 0x300200 len 1 flags WRITE          | addr 0x300000 len 16 flags NEXT next 1        | INDIRECT_WITH_NEXT       |
      | addr 0x310000 len 24 flags INDIRECT           | addr 0x300200 len 1 flags WRITE             | addr 0x300000 len 16 flags NEXT next 1        | INDIRECT_LENGTH          |
      | addr 0x310000 len 32 flags INDIRECT           | addr 0x300200 len 1 flags WRITE             | addr 0x310000 len 32 flags INDIRECT           | NESTED_INDIRECT          |
      | addr 0x310000 len 32 flags INDIRECT           | addr 0x300200 len 1 flags WRITE             | addr 0x300000 len 16 flags NEXT next 0        | CHAIN_TOO_LONG           |
      | addr 0x310000 len 0x10000 flags INDIRECT      | addr 0x300200 len 1 flags WRITE             | addr 0x300000 len 16 flags NEXT next 1        | CHAIN_TOO_LONG           |

    Examples: buffers outside guest memory
      | descriptor 0                                  | descriptor 1                                | table entry 0                                 | violation                |
      | addr 0x1000000 len 16 flags NEXT next 1       | addr 0x300200 len 1 flags WRITE             | addr 0x300000 len 16 flags 0                  | OUTSIDE_MEMORY           |
      | addr 0x300000 len 16 flags NEXT next 1        | addr 0xFFFFFFFFFFFFFFFF len 1 flags WRITE   | addr 0x300000 len 16 flags 0                  | OUTSIDE_MEMORY           |
      | addr 0x300000 len 0xFFFFFFFF flags NEXT next 1 | addr 0x300200 len 1 flags WRITE            | addr 0x300000 len 16 flags 0                  | OUTSIDE_MEMORY           |
      | addr 0xFFFFFFFFFFFFFFF0 len 32 flags INDIRECT | addr 0x300200 len 1 flags WRITE             | addr 0x300000 len 16 flags 0                  | OUTSIDE_MEMORY           |

  @virtio-1.3-drv.the-virtqueue-descriptor-table.indirect-descriptors
  Scenario: An indirect descriptor without INDIRECT_DESC negotiated is refused
    When the driver initializes the device with features "VERSION_1"
    And the driver writes entry 0 of the table at 0x310000 for queue 0 as "addr 0x300000 len 16 flags NEXT next 1"
    And the driver writes entry 1 of the table at 0x310000 for queue 0 as "addr 0x300200 len 1 flags WRITE"
    And the driver writes descriptor 0 of queue 0 as "addr 0x310000 len 32 flags INDIRECT"
    And the driver exposes descriptor 0 on queue 0 and notifies
    Then the device reported the driver error INDIRECT_NOT_NEGOTIATED

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.split-virtqueues
  Scenario: Ring areas outside guest memory are reported at the first notification
    When the driver accepts the features "VERSION_1" and sets FEATURES_OK
    And the driver writes 0 to the common field queue_select
    And the driver writes 0xFFFFFFFF00000000 to the common field queue_desc
    And the driver writes 0xFFFFFFFF00001000 to the common field queue_driver
    And the driver writes 0xFFFFFFFF00002000 to the common field queue_device
    And the driver writes 1 to the common field queue_enable
    And the driver sets DRIVER_OK
    And the driver notifies queue 0
    Then the device reported the driver error OUTSIDE_MEMORY
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"

  @pci-6.2.2 @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field
  Scenario: With bus mastering disabled the device cannot reach its rings and asks for a reset
    When the driver initializes the device with features "VERSION_1"
    And the driver clears Bus Master in the PCI Command register
    And the driver submits a IN request for sector 0 with 512 data bytes
    Then the device reported the driver error OUTSIDE_MEMORY
    And the data buffers are untouched
    And the ISR status reads 0x02

  @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization
  Scenario: Notifications for a queue the driver never enabled are ignored
    When the driver accepts the features "VERSION_1" and sets FEATURES_OK
    And the driver sets DRIVER_OK
    And the driver notifies queue 0
    Then the device ignored 1 notifications
    And the device reported no driver error
