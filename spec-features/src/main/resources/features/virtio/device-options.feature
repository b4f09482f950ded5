@model
Feature: Device-independent features offered on request: ACCESS_PLATFORM and NOTIFICATION_DATA (virtio 1.3 sections 2.9, 4.1.5.2, 4.2.3.3, 6)
  A board may ask a device to offer VIRTIO_F_ACCESS_PLATFORM (bit 33, QEMU's iommu_platform=on)
  and VIRTIO_F_NOTIFICATION_DATA (bit 38, QEMU's notification_data=on). Without them a
  virtio-blk device's high feature word is 0x0000010D (VERSION_1, RING_PACKED, IN_ORDER,
  RING_RESET); ACCESS_PLATFORM adds bit 1 of that word (0x2) and NOTIFICATION_DATA bit 6 (0x40).
  The platform has no IOMMU: with ACCESS_PLATFORM the device's addresses are still the driver's
  physical addresses. A device offering it refuses FEATURES_OK unless the driver accepts it
  (section 6, device requirements: "MAY fail to operate further"); the legacy interfaces show
  only bits 0-31, so neither feature can be negotiated there.
  With NOTIFICATION_DATA the driver's notification is le32 { vqn:16; next_off:15; next_wrap:1 }
  (split rings: next_idx in bits 16-31), written as 32 bits to the queue's notify address or to
  QueueNotify. The device keeps it as a hint and takes buffers only as the ring shows them.
  The reference places queue 0's notify address at BAR4 + 0x3000.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19

  @virtio-1.3-dev.reserved-feature-bits @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: The options add ACCESS_PLATFORM and NOTIFICATION_DATA to the high feature word, and only on request
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "ACCESS_PLATFORM NOTIFICATION_DATA"
    When the driver writes 1 to the common field device_feature_select
    Then the common field device_feature reads 0x0000014F
    And the device offers "ACCESS_PLATFORM NOTIFICATION_DATA"

  @virtio-1.3-dev.reserved-feature-bits
  Scenario: Without options neither feature is offered
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "none"
    Then the device does not offer "ACCESS_PLATFORM NOTIFICATION_DATA"

  @virtio-1.3-dev.reserved-feature-bits @virtio-1.3-drv.reserved-feature-bits @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario Outline: A device offering ACCESS_PLATFORM refuses FEATURES_OK when the driver does not accept it
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "<options>"
    When the driver accepts the features "<accepted>" and sets FEATURES_OK
    Then the device <answer> FEATURES_OK

    Examples:
      | options                           | accepted                                    | answer  |
      | ACCESS_PLATFORM                   | VERSION_1                                   | refuses |
      | ACCESS_PLATFORM                   | VERSION_1 EVENT_IDX BLK_F_FLUSH             | refuses |
      | ACCESS_PLATFORM                   | VERSION_1 ACCESS_PLATFORM                   | keeps   |
      | ACCESS_PLATFORM NOTIFICATION_DATA | VERSION_1 NOTIFICATION_DATA                 | refuses |
      | ACCESS_PLATFORM NOTIFICATION_DATA | VERSION_1 ACCESS_PLATFORM NOTIFICATION_DATA | keeps   |
      | NOTIFICATION_DATA                 | VERSION_1                                   | keeps   |
      | none                              | VERSION_1 ACCESS_PLATFORM                   | refuses |

  @virtio-1.3-drv.reserved-feature-bits @virtio-1.3-dev.block-device.device-operation
  Scenario: With ACCESS_PLATFORM negotiated the device reaches the driver's physical addresses unchanged
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "ACCESS_PLATFORM"
    When the driver initializes the device with features "VERSION_1 ACCESS_PLATFORM"
    And the driver submits a IN request for sector 3 with 1024 data bytes
    Then the request completes with status OK and used length 1025
    And the data read matches the disk from sector 3

  @virtio-1.3-dev.reserved-feature-bits
  Scenario: The legacy interface of a transitional device shows neither option, and a legacy driver still works
    Given a transitional virtio-blk device with a 64 KiB disk on PCI offering the device options "ACCESS_PLATFORM NOTIFICATION_DATA"
    When the legacy driver initializes the device accepting 0xFFFFFFFF
    Then the legacy register host_features reads 0x38006E44
    And the legacy register guest_features reads 0x38006E44
    When the driver submits a IN request for sector 1 with 512 data bytes
    Then the request completes with status OK

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-dev.reserved-feature-bits
  Scenario: On virtio-mmio version 2 the options are in DeviceFeatures word 1, and ACCESS_PLATFORM must be accepted
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5 offering the device options "ACCESS_PLATFORM NOTIFICATION_DATA"
    When the driver writes 1 to the virtio-mmio register DeviceFeaturesSel
    Then the virtio-mmio register DeviceFeatures reads 0x0000014F
    When the virtio-mmio driver accepts the features "VERSION_1" and sets FEATURES_OK
    Then the virtio-mmio register Status reads 0x03
    When the virtio-mmio driver accepts the features "VERSION_1 ACCESS_PLATFORM" and sets FEATURES_OK
    Then the virtio-mmio register Status reads 0x0B

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-dev.reserved-feature-bits
  Scenario: The legacy virtio-mmio interface (version 1) has no feature word 1
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 1 at 0xD0000000 on IRQ 5 offering the device options "ACCESS_PLATFORM NOTIFICATION_DATA"
    When the driver writes 1 to the virtio-mmio register DeviceFeaturesSel
    Then the virtio-mmio register DeviceFeatures reads 0x00000000

  @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications @virtio-1.3-drv.supplying-buffers-to-the-device.notifying-the-device
  Scenario: With NOTIFICATION_DATA a split-ring notification carries vqn and next_idx, and the device serves the ring
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "NOTIFICATION_DATA"
    When the driver initializes the device with features "VERSION_1 NOTIFICATION_DATA"
    And the driver submits a IN request for sector 2 with 512 data bytes
    Then the request completes with status OK
    And the device kept the notification data of queue 0 as vqn 0 and next_idx 1
    When the driver submits a OUT request for sector 9 with 512 data bytes
    Then the request completes with status OK
    And the device kept the notification data of queue 0 as vqn 0 and next_idx 2

  @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications @virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring
  Scenario: Notification data naming buffers the ring does not hold is only a hint: nothing more is used, no error
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "NOTIFICATION_DATA"
    When the driver initializes the device with features "VERSION_1 NOTIFICATION_DATA"
    And the driver submits a IN request for sector 2 with 512 data bytes
    And the driver writes the 32-bit notification value 0x00280000 for queue 0 at its notify address
    Then the device kept the notification data of queue 0 as vqn 0 and next_idx 40
    And the used idx of split queue 0 is 1
    And the device reported no driver error
    When the driver writes the 32-bit notification value 0x00010007 for queue 0 at its notify address
    Then the used idx of split queue 0 is 1
    And the device reported no driver error

  @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications
  Scenario: With a packed ring the notification carries next_off and the wrap counter
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "NOTIFICATION_DATA"
    When the driver initializes the device with features "VERSION_1 RING_PACKED NOTIFICATION_DATA" and queues of 4 entries
    And the driver submits a IN request for sector 0 with 512 data bytes
    Then the request completes with status OK
    And the device kept the notification data of queue 0 as next_off 3 and next_wrap 1

  @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications
  Scenario: Offered but not negotiated, a 32-bit notify write is just a notification
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "NOTIFICATION_DATA"
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a IN request for sector 2 with 512 data bytes
    And the driver writes the 32-bit notification value 0x00050000 for queue 0 at its notify address
    Then the device kept no notification data for queue 0
    And the used idx of split queue 0 is 1

  @virtio-1.3-dev.virtio-structure-pci-capabilities.notification-structure-layout
  Scenario: With NOTIFICATION_DATA the ioeventfd route takes the 32-bit writes and matches no data
    Given a virtio-blk device with a 64 KiB disk on PCI offering the device options "NOTIFICATION_DATA"
    When the driver initializes the device with features "VERSION_1"
    Then the ioeventfd route of queue 0 takes 2-byte writes at BAR4 + 0x3000 without a datamatch
    When the driver initializes the device with features "VERSION_1 NOTIFICATION_DATA"
    Then the ioeventfd route of queue 0 takes 4-byte writes at BAR4 + 0x3000 without a datamatch

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-drv.virtio-over-mmio.mmio-device-register-layout
  Scenario: On virtio-mmio the notification data goes to QueueNotify with vqn in the low 16 bits
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5 offering the device options "NOTIFICATION_DATA"
    When the virtio-mmio driver initializes the device with features "VERSION_1 NOTIFICATION_DATA"
    And the driver submits a IN request for sector 4 with 512 data bytes
    Then the request completes with status OK
    And the device kept the notification data of queue 0 as vqn 0 and next_idx 1
    When the driver writes 0x00300000 to the virtio-mmio register QueueNotify
    Then the device kept the notification data of queue 0 as vqn 0 and next_idx 48
    And the used idx of split queue 0 is 1
