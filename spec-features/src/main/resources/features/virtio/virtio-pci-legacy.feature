@model
Feature: The legacy interface of a transitional virtio PCI device (virtio 1.3 section 4.1.4.10)
  A transitional virtio-blk device (PCI device ID 0x1001, 64 KiB memory disk) also presents the
  legacy register block in I/O BAR0: host features 0x00, guest features 0x04, queue address
  (page frame number) 0x08, queue size 0x0C, queue select 0x0E, queue notify 0x10, device status
  0x12, ISR status 0x13, then - with MSI-X enabled - config and queue vectors at 0x14 and 0x16;
  the device-specific configuration follows at 0x14, or 0x18 with MSI-X enabled. Only feature
  bits 0-31 exist there; transitional devices must offer ANY_LAYOUT (27). The legacy driver
  lays each queue out at a page frame (descriptors, available ring, padding to 4096, used ring).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a transitional virtio-blk device with a 64 KiB disk on PCI

  @virtio-1.3-dev.virtio-over-pci-bus.pci-device-layout @virtio-1.3-dev.virtio-over-pci-bus.pci-device-discovery
  Scenario: BAR0 holds the legacy registers in I/O space, sized for the header and the configuration
    Then BAR0 is an I/O BAR of 128 bytes
    And the legacy register host_features reads 0x38006E44
    And the legacy register queue_size reads 256
    And the 4-byte legacy device configuration at 0x14 reads 128

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-dev.virtio-over-pci-bus.pci-device-layout
  Scenario: A legacy driver reads and writes requests through a page-frame queue
    When the legacy driver initializes the device accepting 0x00000200
    Then the legacy register guest_features reads 0x00000200
    And the legacy register device_status reads 0x07
    And the legacy queue address is the queue's page frame number
    When the driver submits a IN request for sector 3 with 1024 data bytes
    Then the request completes with status OK and used length 1025
    And the data read matches the disk from sector 3
    When the driver submits a OUT request for sector 8 with 512 data bytes
    Then the request completes with status OK
    And the disk from sector 8 holds the data written
    And the legacy register isr_status reads 0x01
    And the legacy register isr_status reads 0x00

  @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization
  Scenario: Through the legacy interface the device works before DRIVER_OK
    When the legacy driver sets up the device accepting 0x00000000 without DRIVER_OK
    And the driver submits a IN request for sector 1 with 512 data bytes
    Then the request completes with status OK
    And the data read matches the disk from sector 1

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.feature-bits
  Scenario: Guest feature bits the device did not offer are not acknowledged
    When the legacy driver initializes the device accepting 0xFFFFFFFF
    Then the legacy register guest_features reads 0x38006E44

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-reset
  Scenario: Writing 0 to device status resets the device and forgets the queue address
    When the legacy driver initializes the device accepting 0x00000200
    And the legacy driver writes 0 to the legacy register device_status
    Then the legacy register device_status reads 0x00
    And the legacy register queue_address reads 0
    And the legacy register guest_features reads 0

  @virtio-1.3-dev.virtio-over-pci-bus.pci-device-layout @virtio-1.3-dev.device-initialization.msi-x-vector-configuration
  Scenario: With MSI-X enabled the vectors appear at 0x14 and 0x16 and the configuration moves to 0x18
    When the legacy driver enables MSI-X
    Then the legacy register config_msix_vector reads 0xFFFF
    And the 4-byte legacy device configuration at 0x18 reads 128
    When the legacy driver writes 1 to the legacy register config_msix_vector
    Then the legacy register config_msix_vector reads 1
