@model
Feature: Virtio entropy device (virtio 1.3 section 5.4)
  A virtio-rng device over modern virtio-pci (device ID 0x1044, one request queue, no device
  configuration). The device fills device-writable buffers with bytes of its entropy source;
  it may use less than the whole buffer (the reference gives at most 4096 bytes per request).

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-rng device with a counting entropy source on PCI

  @virtio-1.3-dev.entropy-device.device-operation @virtio-1.3-drv.entropy-device.device-operation
  Scenario: Each buffer receives random bytes and the used length says how many
    When the driver initializes the device with features "VERSION_1"
    And the driver asks for entropy with a 64-byte buffer
    Then the device returns 64 random bytes, the next ones of its source
    When the driver asks for entropy with a 16-byte buffer
    Then the device returns 16 random bytes, the next ones of its source

  @virtio-1.3-dev.entropy-device.device-operation
  Scenario: The device may fill less than a large buffer
    When the driver initializes the device with features "VERSION_1"
    And the driver asks for entropy with a 10000-byte buffer
    Then the device returns 4096 random bytes, the next ones of its source

  @virtio-1.3-drv.entropy-device.device-operation
  Scenario: A device-readable buffer gets no bytes
    When the driver initializes the device with features "VERSION_1"
    And the driver offers a 32-byte device-readable buffer for entropy
    Then the device returns the buffer with length 0

  @virtio-1.3-dev.virtio-over-pci-bus.pci-device-discovery
  Scenario: The entropy device has PCI device ID 0x1044 and no device configuration capability
    Then the virtio PCI function has vendor 0x1AF4 device 0x1044 revision 0x01 and subsystem 0x1AF4:0x1100
    And the virtio structure capabilities are "1:4+0x0/0x1000/16 2:4+0x3000/0x1000/20 3:4+0x1000/0x1000/16 5:0+0x0/0x0/20"
