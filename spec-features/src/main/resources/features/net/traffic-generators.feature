# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Traffic generators of hvspec bench net
  The guests of hvspec bench net with a small packet count: minimal e1000 and virtio-net drivers
  send frames through a NIC whose frames come back, and check that all return in order. Here they
  must simply pass on every target; the benchmark reads the exit counters around their hot loop.

  @e1000-sdm-3.2.7 @e1000-sdm-3.3.3 @e1000-sdm-13.4.18 @e1000-sdm-13.4.17
  Scenario: bench-net-e1000: traffic generator: frames out and back through an e1000, one TDT write per frame, interrupt-driven receive
    When the guest "bench-net-e1000" runs
    Then every TAP test passes
    And the exit status is 3

  @virtio-1.3-drv.split-virtqueues.available-buffer-notification-suppression @virtio-1.3-drv.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-drv.device-operation.packet-transmission @virtio-1.3-drv.device-operation.processing-of-incoming-packets
  Scenario: bench-net-virtio: traffic generator: frames out and back through virtio-net, notifications suppressed with EVENT_IDX
    When the guest "bench-net-virtio" runs
    Then every TAP test passes
    And the exit status is 3

  @virtio-1.3-drv.split-virtqueues.available-buffer-notification-suppression @virtio-1.3-drv.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-drv.device-operation.packet-transmission @virtio-1.3-drv.device-operation.processing-of-incoming-packets
  Scenario: bench-net-virtio-no-event-idx: traffic generator: frames out and back through virtio-net, notifications by the flags only
    When the guest "bench-net-virtio-no-event-idx" runs
    Then every TAP test passes
    And the exit status is 3
