# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Guest drivers for virtio-blk and virtio-net over virtio-pci
  Each scenario runs a tiny guest driver from guest-fixtures on the target with the fixture's PCI
  devices attached (a raw disk for virtio-blk; a NIC whose frames loop back to it); the program
  prints TAP 14 on COM1. Expected values come from the virtio 1.3 and 8254x SDM structures and the
  disk image's known contents.

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-drv.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization @virtio-1.3-drv.virtio-over-pci-bus.virtio-structure-pci-capabilities @virtio-1.3-dev.virtio-structure-pci-capabilities.common-configuration-structure-layout @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table @virtio-1.3-drv.split-virtqueues.the-virtqueue-available-ring @virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring @virtio-1.3-drv.pci-specific-initialization-and-device-operation.available-buffer-notifications @virtio-1.3-drv.block-device.device-initialization @virtio-1.3-drv.block-device.device-operation @virtio-1.3-dev.block-device.device-operation @pci-6.1
  Scenario: virtio-blk-driver: a virtio-blk driver over virtio-pci: negotiation, one split queue, read, write, flush and failing requests
    When the guest "virtio-blk-driver" runs
    Then every TAP test passes
    And the exit status is 3

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field @virtio-1.3-dev.split-virtqueues.the-virtqueue-descriptor-table @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table @virtio-1.3-drv.split-virtqueues.the-virtqueue-available-ring @virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-reset @cve-2011-2512
  Scenario: virtio-blk-hostile-driver: a virtio-blk driver that loops a descriptor chain, moves avail->idx past the queue size and notifies a missing queue, resetting in between
    When the guest "virtio-blk-hostile-driver" runs
    Then every TAP test passes
    And the exit status is 3

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.feature-bits @virtio-1.3-drv.general-initialization-and-device-operation.device-initialization @virtio-1.3-drv.network-device.device-configuration-layout @virtio-1.3-dev.network-device.device-configuration-layout @virtio-1.3-drv.device-operation.packet-transmission @virtio-1.3-dev.device-operation.packet-transmission @virtio-1.3-drv.device-operation.setting-up-receive-buffers @virtio-1.3-dev.device-operation.processing-of-incoming-packets @virtio-1.3-drv.device-initialization.msi-x-vector-configuration @virtio-1.3-dev.pci-specific-initialization-and-device-operation.used-buffer-notifications @virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring @pci-6.8.2
  Scenario: virtio-net-driver: a virtio-net driver over virtio-pci: negotiation, receiveq1 and transmitq1 with MSI-X, frames sent and received back
    When the guest "virtio-net-driver" runs
    Then every TAP test passes
    And the exit status is 3
