@model
Feature: Virtio over MMIO (virtio 1.3 section 4.2)
  A virtio-blk device (64 KiB memory disk) behind a virtio-mmio register block at 0xD0000000
  with its interrupt on IRQ 5; the device configuration starts at offset 0x100. Control
  registers take 32-bit accesses. Version 2 is the current interface, version 1 the legacy one
  (section 4.2.4: GuestPageSize, QueueAlign, QueuePFN).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-drv.mmio-specific-initialization-and-device-operation.device-initialization
  Scenario: The register block identifies a version 2 virtio block device
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    Then the virtio-mmio register MagicValue reads 0x74726976
    And the virtio-mmio register Version reads 2
    And the virtio-mmio register DeviceID reads 2
    And the virtio-mmio device is found by the driver
    And the virtio-mmio register QueueNumMax reads 256
    And the virtio-mmio register QueueReady reads 0
    And the virtio-mmio register InterruptStatus reads 0
    And the virtio-mmio register SHMLenLow reads 0xFFFFFFFF
    And the 8-byte virtio-mmio configuration at 0x00 reads 128

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-drv.virtio-over-mmio.mmio-device-register-layout
  Scenario: Feature words are selected first; read-only registers ignore writes; narrow accesses to control registers do nothing
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the driver writes 0 to the virtio-mmio register DeviceFeaturesSel
    Then the virtio-mmio register DeviceFeatures reads 0x30006E44
    When the driver writes 1 to the virtio-mmio register DeviceFeaturesSel
    Then the virtio-mmio register DeviceFeatures reads 0x0000010D
    When the driver writes 0 to the virtio-mmio register MagicValue
    And the driver writes 7 to the virtio-mmio register QueueNumMax
    Then the virtio-mmio register MagicValue reads 0x74726976
    And the virtio-mmio register QueueNumMax reads 256
    And a 2-byte read of the virtio-mmio register MagicValue gives 0

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-drv.mmio-specific-initialization-and-device-operation.notifications-from-the-device
  Scenario: A used buffer sets InterruptStatus bit 0 until the driver acknowledges it
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the virtio-mmio driver initializes the device with features "VERSION_1"
    And the driver submits a IN request for sector 2 with 512 data bytes
    Then the request completes with status OK and used length 513
    And the data read matches the disk from sector 2
    And the virtio-mmio device's interrupt line is asserted
    And IRQ 5 is asserted
    When the driver handles the virtio-mmio interrupt
    Then the interrupt handler saw InterruptStatus 0x1
    And IRQ 5 is not asserted
    And the virtio-mmio register InterruptStatus reads 0

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout
  Scenario: A configuration change sets InterruptStatus bit 1 and changes ConfigGeneration
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the virtio-mmio driver initializes the device with features "VERSION_1"
    And the host resizes the disk to 64 sectors
    Then the virtio-mmio register InterruptStatus reads 0x2
    And the 8-byte virtio-mmio configuration at 0x00 reads 64
    And the virtio-mmio register ConfigGeneration reads 1
    When the driver writes 0x1 to the virtio-mmio register InterruptACK
    Then the virtio-mmio register InterruptStatus reads 0x2
    When the driver writes 0x2 to the virtio-mmio register InterruptACK
    Then the virtio-mmio device's interrupt line is not asserted

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout
  Scenario: Reset clears InterruptStatus and QueueReady, and the device does not touch a queue that is not ready
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the virtio-mmio driver initializes the device with features "VERSION_1"
    And the host resizes the disk to 64 sectors
    And the driver writes 0 to the virtio-mmio register Status
    Then the virtio-mmio register InterruptStatus reads 0
    And the virtio-mmio register QueueReady reads 0
    And the virtio-mmio register Status reads 0
    When the driver writes 0 to the virtio-mmio register QueueNotify
    Then the virtio-mmio device ignored 1 notifications

  @virtio-1.3-drv.virtio-over-mmio.mmio-device-register-layout
  Scenario: Writing 0 to QueueReady stops the queue
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the virtio-mmio driver initializes the device with features "VERSION_1"
    And the driver writes 0 to the virtio-mmio register QueueSel
    And the driver writes 0 to the virtio-mmio register QueueReady
    Then the virtio-mmio register QueueReady reads 0
    When the driver submits a IN request for sector 0 with 512 data bytes
    Then no request has completed
    And the virtio-mmio device ignored 1 notifications

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @virtio-1.3-dev.virtqueue-reset.virtqueue-reset
  Scenario: QueueReset resets a queue when VIRTIO_F_RING_RESET is negotiated
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the virtio-mmio driver initializes the device with features "VERSION_1 RING_RESET"
    And the driver writes 0 to the virtio-mmio register QueueSel
    And the driver writes 1 to the virtio-mmio register QueueReset
    Then the virtio-mmio register QueueReset reads 0
    And the virtio-mmio register QueueReady reads 0
    When the virtio-mmio driver sets up queue 0 again with 32 entries
    And the driver submits a IN request for sector 5 with 512 data bytes
    Then the request completes with status OK

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: FEATURES_OK is refused for features the device did not offer
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the driver writes 0 to the virtio-mmio register Status
    And the driver writes 3 to the virtio-mmio register Status
    And the driver writes 1 to the virtio-mmio register DriverFeaturesSel
    And the driver writes 0x00000021 to the virtio-mmio register DriverFeatures
    And the driver writes 11 to the virtio-mmio register Status
    Then the virtio-mmio register Status reads 3

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout
  Scenario: The legacy version 1 interface places the queue at a page frame
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 1 at 0xD0000000 on IRQ 5
    Then the virtio-mmio register Version reads 1
    And the virtio-mmio register DeviceFeatures reads 0x38006E44
    When the virtio-mmio driver initializes the device with features "BLK_F_FLUSH"
    Then the virtio-mmio register QueuePFN reads 0x00000100
    When the driver submits a IN request for sector 4 with 512 data bytes
    Then the request completes with status OK
    And the data read matches the disk from sector 4
    When the driver writes 0 to the virtio-mmio register Status
    Then the virtio-mmio register QueuePFN reads 0

  @virtio-1.3-dev.virtio-over-mmio.mmio-device-register-layout @cve-2011-2512
  Scenario: QueueNotify for a queue the device does not have is ignored (CVE-2011-2512 class)
    Given a virtio-blk device with a 64 KiB disk on virtio-mmio version 2 at 0xD0000000 on IRQ 5
    When the virtio-mmio driver initializes the device with features "VERSION_1"
    And the driver writes 0xFFFF to the virtio-mmio register QueueNotify
    And the driver writes 0x80000001 to the virtio-mmio register QueueNotify
    Then the virtio-mmio device ignored 2 notifications
    And the virtio-mmio register Status reads 0x0F
    When the driver submits a IN request for sector 0 with 512 data bytes
    Then the request completes with status OK
