@model
Feature: Basic facilities of a virtio device: status, features, reset, configuration space
  Virtio 1.3 chapter 2 and section 3.1, checked on a virtio-blk device (64 KiB memory disk, one
  queue of 256 entries) over the modern virtio-pci transport, driven by the reference driver.
  Its INTA# is wired to IRQ 19 on the bench. Feature bits offered are the device's SEG_MAX (2),
  BLK_SIZE (6), FLUSH (9), TOPOLOGY (10), CONFIG_WCE (11), DISCARD (13), WRITE_ZEROES (14) and
  the reference's INDIRECT_DESC (28), EVENT_IDX (29), VERSION_1 (32), RING_PACKED (34),
  IN_ORDER (35), RING_RESET (40).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-blk device with a 64 KiB disk on PCI

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-reset @virtio-1.3-drv.basic-facilities-of-a-virtio-device.device-reset
  Scenario: Device status starts at 0 and returns to 0 on reset
    Then the device status is "0"
    When the driver sets the device status to "ACKNOWLEDGE"
    And the driver sets the device status to "ACKNOWLEDGE DRIVER"
    Then the device status is "ACKNOWLEDGE DRIVER"
    When the driver resets the device
    Then the device status is "0"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization
  Scenario: The device consumes no buffer before DRIVER_OK
    When the driver accepts the features "VERSION_1" and sets FEATURES_OK
    And the driver writes 0 to the common field queue_select
    And the driver writes 0x100000 to the common field queue_desc
    And the driver writes 0x101000 to the common field queue_driver
    And the driver writes 0x102000 to the common field queue_device
    And the driver writes 1 to the common field queue_enable
    And the driver notifies queue 0
    Then the device ignored 1 notifications
    And the ISR status reads 0x00

  @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization
  Scenario: The full initialization sequence makes the device live
    When the driver initializes the device with features "VERSION_1"
    Then the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK"
    When the driver submits a IN request for sector 0 with 512 data bytes
    Then the request completes with status OK and used length 513
    And the data read matches the disk from sector 0

  @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization
  Scenario: DRIVER_OK without completed feature negotiation does not make the device live
    When the driver sets the device status to "ACKNOWLEDGE DRIVER"
    And the driver sets the device status to "ACKNOWLEDGE DRIVER DRIVER_OK"
    Then the device status is "ACKNOWLEDGE DRIVER"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-drv.basic-facilities-of-a-virtio-device.device-status-field
  Scenario: After a driver error the device sets DEVICE_NEEDS_RESET and sends a configuration change notification
    When the driver initializes the device with features "VERSION_1"
    And the driver writes descriptor 0 of queue 0 as "addr 0x300000 len 0 flags WRITE"
    And the driver exposes descriptor 0 on queue 0 and notifies
    Then the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"
    And the device reported the driver error ZERO_LENGTH
    And the device's interrupt line is asserted
    And the ISR status reads 0x02
    And the device's interrupt line is not asserted

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.device-status-field
  Scenario: DEVICE_NEEDS_RESET belongs to the device and stays until reset; then the device works again
    When the driver initializes the device with features "VERSION_1"
    And the driver writes descriptor 0 of queue 0 as "addr 0x300000 len 0 flags WRITE"
    And the driver exposes descriptor 0 on queue 0 and notifies
    And the driver sets the device status to "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK"
    Then the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"
    When the driver notifies queue 0
    Then the device ignored 1 notifications
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a IN request for sector 1 with 512 data bytes
    Then the request completes with status OK
    And the device reported no driver error

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.device-status-field
  Scenario: After FAILED the device uses no buffers until it is reset and re-initialized
    When the driver initializes the device with features "VERSION_1"
    And the driver sets the device status to "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK FAILED"
    And the driver submits a IN request for sector 0 with 512 data bytes
    Then no request has completed
    And the device ignored 1 notifications

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: The device offers exactly the features it supports, in both words
    When the driver writes 0 to the common field device_feature_select
    Then the common field device_feature reads 0x30006E44
    When the driver writes 1 to the common field device_feature_select
    Then the common field device_feature reads 0x0000010D
    When the driver writes 2 to the common field device_feature_select
    Then the common field device_feature reads 0x00000000

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-drv.basic-facilities-of-a-virtio-device.feature-bits
  Scenario Outline: The device accepts any valid subset and refuses FEATURES_OK otherwise
    When the driver accepts the features "<accepted>" and sets FEATURES_OK
    Then the device <answer> FEATURES_OK

    Examples:
      | accepted                                   | answer  |
      | VERSION_1                                  | keeps   |
      | VERSION_1 EVENT_IDX INDIRECT_DESC          | keeps   |
      | VERSION_1 BLK_F_FLUSH BLK_F_CONFIG_WCE     | keeps   |
      | VERSION_1 BLK_F_RO                         | refuses |
      | VERSION_1 BLK_F_MQ                         | refuses |
      | VERSION_1 ACCESS_PLATFORM                  | refuses |
      | VERSION_1 bit50                            | refuses |

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: Features accepted once are accepted again after a reset
    When the driver accepts the features "VERSION_1 EVENT_IDX BLK_F_FLUSH" and sets FEATURES_OK
    Then the device keeps FEATURES_OK
    When the driver resets the device
    And the driver accepts the features "VERSION_1 EVENT_IDX BLK_F_FLUSH" and sets FEATURES_OK
    Then the device keeps FEATURES_OK

  @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization
  Scenario: Feature bits written after FEATURES_OK are not accepted
    When the driver accepts the features "VERSION_1" and sets FEATURES_OK
    And the driver writes 0 to the common field driver_feature_select
    And the driver writes 0x20000000 to the common field driver_feature
    Then the common field driver_feature reads 0x00000000

  @virtio-1.3-dev.reserved-feature-bits @virtio-1.3-drv.reserved-feature-bits
  Scenario: The device offers VERSION_1 and fails to operate without it
    Then the device offers "VERSION_1"
    And the device does not offer "ACCESS_PLATFORM"
    When the driver accepts the features "EVENT_IDX" and sets FEATURES_OK
    Then the device refuses FEATURES_OK

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-reset
  Scenario: After a reset the device does not touch its queues until re-initialized
    When the driver initializes the device with features "VERSION_1"
    And the driver resets the device
    And the driver notifies queue 0
    Then the device ignored 1 notifications
    And the used ring of queue 0 is empty
    And the common field queue_enable reads 0
    And the common field queue_desc reads 0
    And the common field queue_size reads 256

  @virtio-1.3-drv.general-initialization-and-device-operation.device-cleanup
  Scenario: Once reset, a queue is no longer live and its buffers are the driver's again
    When the driver initializes the device with features "VERSION_1"
    And the driver resets the device
    And the driver submits a IN request for sector 0 with 512 data bytes
    Then no request has completed
    And the data buffers are untouched

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-configuration-space
  Scenario: Device configuration is readable before FEATURES_OK, including feature-dependent fields
    When the driver sets the device status to "ACKNOWLEDGE DRIVER"
    Then the 4-byte device configuration field at 0x00 reads 128
    And the 4-byte device configuration field at 0x04 reads 0
    And the 4-byte device configuration field at 0x14 reads 512
    And the 4-byte device configuration field at 0x0C reads 254

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.device-configuration-space
  Scenario: The generation count tells the driver that the configuration changed under it
    When the driver initializes the device with features "VERSION_1"
    And the driver reads the configuration generation
    Then the 4-byte device configuration field at 0x00 reads 128
    And the configuration generation is unchanged
    When the host resizes the disk to 96 sectors
    Then the 4-byte device configuration field at 0x00 reads 96
    And the configuration generation has changed

  @virtio-1.3-dev.reserved-feature-bits
  Scenario Outline: With IN_ORDER negotiated the device uses buffers in the order they were made available
    When the driver initializes the device with features "VERSION_1 IN_ORDER <ring>"
    And the driver submits IN requests for sectors "9 3 7 1" with one notification
    Then the requests completed in the order they were made available

    Examples:
      | ring        |
      | none        |
      | RING_PACKED |
