@model
Feature: Virtio over PCI bus (virtio 1.3 section 4.1)
  A virtio-blk device (64 KiB memory disk) at PCI device 4 with the modern interface, or the
  transitional one where a scenario says so. The reference lays out BAR1 (MSI-X table at 0,
  PBA at 0x800, 2 vectors) and BAR4 (common configuration at 0x0000, ISR at 0x1000, device
  configuration at 0x2000, notifications at 0x3000 with notify_off_multiplier 4); capabilities
  are MSI-X at 0x40 then the virtio structures. The reference driver assigns BARs from
  0xC0000000 and 0xC100. MSI-X messages go to 0xFEE00000 with data 0x30 + vector.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19

  @virtio-1.3-dev.virtio-over-pci-bus.pci-device-discovery @virtio-1.3-drv.virtio-over-pci-bus.pci-device-discovery
  Scenario: A modern device has vendor 0x1AF4, device 0x1040 + type, revision 1 and subsystem 0x1100
    Given a virtio-blk device with a 64 KiB disk on PCI
    Then the virtio PCI function has vendor 0x1AF4 device 0x1042 revision 0x01 and subsystem 0x1AF4:0x1100
    And the virtio PCI function has class code 0x010000

  @virtio-1.3-dev.virtio-over-pci-bus.pci-device-discovery
  Scenario: A transitional device has its transitional device ID, revision 0 and the device type as subsystem ID
    Given a transitional virtio-blk device with a 64 KiB disk on PCI
    Then the virtio PCI function has vendor 0x1AF4 device 0x1001 revision 0x00 and subsystem 0x1AF4:0x0002

  @virtio-1.3-dev.virtio-transport-options.virtio-over-pci-bus
  Scenario: The virtio function is an ordinary PCI function: sizable BARs and a well-formed capability list
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x14 of PCI function 04.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x20 of PCI function 04.0
    And the guest writes 0xFFFFFFFF to the 4-byte configuration register 0x24 of PCI function 04.0
    Then the 4-byte configuration register 0x14 of PCI function 04.0 reads 0xFFFFF000
    And the 4-byte configuration register 0x20 of PCI function 04.0 reads 0xFFFFC00C
    And the 4-byte configuration register 0x24 of PCI function 04.0 reads 0xFFFFFFFF
    And the capability list of PCI function 04.0 is "11@40 09@4C 09@5C 09@70 09@80 09@90"
    And the 1-byte configuration register 0x3D of PCI function 04.0 reads 0x01

  @virtio-1.3-dev.virtio-over-pci-bus.virtio-structure-pci-capabilities @virtio-1.3-drv.virtio-over-pci-bus.virtio-structure-pci-capabilities
  Scenario: Virtio structure capabilities give type, BAR, offset and length, cap_len including extra data
    Given a virtio-blk device with a 64 KiB disk on PCI
    Then the virtio structure capabilities are "1:4+0x0/0x1000/16 2:4+0x3000/0x1000/20 3:4+0x1000/0x1000/16 4:4+0x2000/0x1000/16 5:0+0x0/0x0/20"

  @virtio-1.3-dev.virtio-structure-pci-capabilities.notification-structure-layout @virtio-1.3-dev.virtio-structure-pci-capabilities.device-specific-configuration @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: Structure offsets are aligned and the notify multiplier is an even power of two
    Given a virtio-blk device with a 64 KiB disk on PCI
    Then the common configuration structure offset is 4-byte aligned and the notify offset 2-byte aligned
    And the notify_off_multiplier is 4
    And the common field queue_notify_off reads 0

  @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: The common configuration presents queues, sizes and reset values
    Given a virtio-blk device with a 64 KiB disk on PCI
    Then the common field num_queues reads 1
    And the common field queue_size reads 256
    And the common field queue_enable reads 0
    And the common field queue_reset reads 0
    And the common field queue_msix_vector reads 0xFFFF
    And the common field config_msix_vector reads 0xFFFF
    When the driver writes 1 to the common field queue_select
    Then the common field queue_size reads 0
    And the common field queue_enable reads 0

  @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout @virtio-1.3-drv.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: queue_size takes only powers of two up to the maximum
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver accepts the features "VERSION_1" and sets FEATURES_OK
    And the driver writes 64 to the common field queue_size
    Then the common field queue_size reads 64
    When the driver writes 100 to the common field queue_size
    Then the common field queue_size reads 64
    When the driver writes 512 to the common field queue_size
    Then the common field queue_size reads 64

  @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout @virtio-1.3-drv.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: Read-only fields ignore driver writes and driver_feature presents what was written
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver writes 7 to the common field num_queues
    And the driver writes 9 to the common field queue_notify_off
    And the driver writes 0 to the common field device_feature_select
    And the driver writes 0 to the common field device_feature
    And the driver writes 0 to the common field driver_feature_select
    And the driver writes 0x30000004 to the common field driver_feature
    Then the common field num_queues reads 1
    And the common field queue_notify_off reads 0
    And the common field device_feature reads 0x30006E44
    And the common field driver_feature reads 0x30000004

  @virtio-1.3-dev.virtio-over-pci-bus.pci-device-layout @virtio-1.3-drv.virtio-over-pci-bus.pci-device-layout
  Scenario: 64-bit fields can be accessed as two 32-bit halves
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver writes 0x00123000 to the common field queue_desc_lo
    And the driver writes 0x00000001 to the common field queue_desc_hi
    Then the common field queue_desc reads 0x0000000100123000
    And the common field queue_desc_lo reads 0x00123000
    And the 4-byte device configuration field at 0x00 reads 128
    And the 4-byte device configuration field at 0x04 reads 0

  @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: Writing 0 to device_status resets the device, which then reads 0
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver writes 0 to the common field device_status
    Then the common field device_status reads 0
    And the common field queue_enable reads 0

  @virtio-1.3-dev.virtio-structure-pci-capabilities.isr-status-capability @virtio-1.3-dev.pci-specific-initialization-and-device-operation.used-buffer-notifications
  Scenario: Without MSI-X a used buffer sets ISR bit 0, the PCI interrupt status and INTx#; reading ISR clears them
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a IN request for sector 0 with 512 data bytes
    Then the request completes with status OK
    And the device's interrupt line is asserted
    And IRQ 19 is asserted
    And the PCI Status register shows the interrupt pending
    And the ISR status reads 0x01
    And the device's interrupt line is not asserted
    And the PCI Status register shows the interrupt clear
    And the ISR status reads 0x00

  @virtio-1.3-dev.virtio-structure-pci-capabilities.isr-status-capability @virtio-1.3-dev.pci-specific-initialization-and-device-operation.notification-of-device-configuration-changes
  Scenario: A configuration change sets ISR bit 1 before the interrupt
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the host resizes the disk to 64 sectors
    Then the device's interrupt line is asserted
    And the ISR status reads 0x02

  @virtio-1.3-dev.device-initialization.msi-x-vector-configuration @virtio-1.3-drv.device-initialization.msi-x-vector-configuration
  Scenario: MSI-X vectors map to any valid table entry; others fail to map and read NO_VECTOR
    Given a virtio-blk device with a 64 KiB disk on PCI
    Then the 2-byte configuration register 0x42 of PCI function 04.0 reads 0x0001
    When the driver writes 1 to the common field queue_msix_vector
    And the driver writes 0 to the common field config_msix_vector
    Then the common field queue_msix_vector reads 1
    And the common field config_msix_vector reads 0
    When the driver writes 2 to the common field queue_msix_vector
    And the driver writes 0x7FF to the common field config_msix_vector
    Then the common field queue_msix_vector reads 0xFFFF
    And the common field config_msix_vector reads 0xFFFF

  @virtio-1.3-dev.device-initialization.msi-x-vector-configuration
  Scenario: Reset unmaps every event from its vector
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1" using MSI-X
    Then the common field config_msix_vector reads 1
    And the common field queue_msix_vector reads 0
    When the driver resets the device
    Then the common field config_msix_vector reads 0xFFFF
    And the common field queue_msix_vector reads 0xFFFF

  @virtio-1.3-dev.pci-specific-initialization-and-device-operation.used-buffer-notifications @virtio-1.3-drv.virtio-structure-pci-capabilities.isr-status-capability
  Scenario: With MSI-X a used buffer sends the queue's vector and leaves INTx# and the queue ISR bit alone
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1" using MSI-X
    And the driver submits a IN request for sector 2 with 512 data bytes
    Then the request completes with status OK
    And the MSI messages delivered are "0xFEE00000:0x30"
    And the device's interrupt line is not asserted
    And the ISR status reads 0x00

  @virtio-1.3-dev.pci-specific-initialization-and-device-operation.used-buffer-notifications
  Scenario: With MSI-X and NO_VECTOR for the queue the device delivers no interrupt for it
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1" using MSI-X
    And the driver writes 0 to the common field queue_select
    And the driver writes 0xFFFF to the common field queue_msix_vector
    And the driver submits a IN request for sector 2 with 512 data bytes
    Then the request completes with status OK
    And no MSI message was delivered
    And the device's interrupt line is not asserted

  @virtio-1.3-dev.pci-specific-initialization-and-device-operation.notification-of-device-configuration-changes @virtio-1.3-drv.pci-specific-initialization-and-device-operation.notification-of-device-configuration-changes
  Scenario: With MSI-X a configuration change uses config_msix_vector, and none with NO_VECTOR
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1" using MSI-X
    And the host resizes the disk to 64 sectors
    Then the MSI messages delivered are "0xFEE00000:0x31"
    When the driver writes 0xFFFF to the common field config_msix_vector
    And the host resizes the disk to 32 sectors
    Then the MSI messages delivered are "0xFEE00000:0x31"
    And the ISR status reads 0x02

  @virtio-1.3-dev.virtio-structure-pci-capabilities.pci-configuration-access-capability @virtio-1.3-drv.virtio-structure-pci-capabilities.pci-configuration-access-capability
  Scenario: The PCI configuration access capability is a window into the BARs
    Given a virtio-blk device with a 64 KiB disk on PCI
    When through the PCI configuration access capability the driver reads 2 bytes at offset 0x12 of BAR 4
    Then the PCI configuration access data reads 0x0001
    When through the PCI configuration access capability the driver reads 4 bytes at offset 0x2000 of BAR 4
    Then the PCI configuration access data reads 0x00000080
    When through the PCI configuration access capability the driver writes 0x01 as 1 bytes at offset 0x14 of BAR 4
    Then the device status is "ACKNOWLEDGE"

  @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications @cve-2011-2512
  Scenario: Notifications for queues the device does not have are ignored (CVE-2011-2512 class)
    QEMU CVE-2011-2512: a notification with an out-of-range queue number reached past the
    queue array. The reference ignores it and reads nothing from guest memory.
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver notifies queue 1
    And the driver notifies queue 1023
    Then the device ignored 2 notifications
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK"
    When the driver submits a IN request for sector 0 with 512 data bytes
    Then the request completes with status OK

  @virtio-1.3-dev.virtqueue-reset.virtqueue-reset @virtio-1.3-drv.virtqueue-reset.virtqueue-reset @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: A queue reset stops the queue and returns its state to the defaults
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 RING_RESET"
    And the driver writes 0 to the common field queue_select
    And the driver writes 1 to the common field queue_reset
    Then the common field queue_reset reads 0
    And the common field queue_enable reads 0
    And the common field queue_desc reads 0
    And the common field queue_size reads 256
    When the driver submits a IN request for sector 0 with 512 data bytes
    Then no request has completed
    And the device ignored 1 notifications

  @virtio-1.3-dev.virtqueue-reset.virtqueue-re-enable @virtio-1.3-drv.virtqueue-reset.virtqueue-re-enable
  Scenario: A reset queue is re-enabled with new parameters, which the device observes
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 RING_RESET"
    And the driver writes 0 to the common field queue_select
    And the driver writes 1 to the common field queue_reset
    And the driver sets up queue 0 again with 16 entries
    Then the common field queue_size reads 16
    And the common field queue_enable reads 1
    When the driver submits a IN request for sector 3 with 512 data bytes
    Then the request completes with status OK
    And the data read matches the disk from sector 3

  @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout
  Scenario: Without RING_RESET negotiated, queue_reset does nothing
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver writes 0 to the common field queue_select
    And the driver writes 1 to the common field queue_reset
    Then the common field queue_enable reads 1
    When the driver submits a IN request for sector 0 with 512 data bytes
    Then the request completes with status OK

  @virtio-1.3-dev.split-virtqueues.available-buffer-notification-suppression @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications
  Scenario: One notification announces a batch; every request still completes
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 EVENT_IDX"
    And the driver submits IN requests for sectors "1 2 3 4 5" with one notification
    Then the requests completed in the order they were made available
    And the device received 1 available buffer notifications and sent 1 used buffer notifications

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications
  Scenario: Without EVENT_IDX each request made available is notified and interrupts
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits IN requests for sectors "1 2 3" one at a time
    Then the device received 3 available buffer notifications and sent 3 used buffer notifications
