@model
Feature: Traditional memory balloon device (virtio 1.3 section 5.5)
  A virtio-balloon device over modern virtio-pci: inflateq 0, deflateq 1, statsq 2 (free page
  hinting and reporting, with their queue numbering, are in virtio-balloon-free-pages.feature);
  configuration num_pages (0x0), actual (0x4), free_page_hint_cmd_id (0x8), poison_val (0xC).
  Pages are 4096 bytes, named by page frame number; 16 MiB of guest RAM is pages 0-0xFFF.
  The reference scrubs a page when it enters the balloon (zeroes, or poison_val with
  PAGE_POISON), which is what discarding its host memory looks like to the guest.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-balloon device on PCI

  @virtio-1.3-dev.traditional-memory-balloon-device.feature-bits @virtio-1.3-drv.traditional-memory-balloon-device.feature-bits
  Scenario: The balloon offers all six balloon features and accepts any subset
    Then the device offers "BALLOON_F_MUST_TELL_HOST BALLOON_F_STATS_VQ BALLOON_F_DEFLATE_ON_OOM BALLOON_F_PAGE_POISON"
    And the device offers "BALLOON_F_FREE_PAGE_HINT BALLOON_F_PAGE_REPORTING"
    And the common field num_queues reads 5
    When the driver accepts the features "VERSION_1 BALLOON_F_MUST_TELL_HOST BALLOON_F_DEFLATE_ON_OOM" and sets FEATURES_OK
    Then the device keeps FEATURES_OK
    When the driver accepts the features "VERSION_1" and sets FEATURES_OK
    Then the device keeps FEATURES_OK

  @virtio-1.3-dev.traditional-memory-balloon-device.device-operation @virtio-1.3-drv.traditional-memory-balloon-device.device-operation
  Scenario: The host asks for pages; inflating gives them to the balloon and the driver reports actual
    When the driver initializes the device with features "VERSION_1 BALLOON_F_MUST_TELL_HOST"
    And the host asks for 3 pages in the balloon
    Then the ISR status reads 0x02
    And the 4-byte device configuration field at 0x00 reads 3
    When the driver inflates the balloon with pages "0x300 0x301 0x7FF"
    Then queue 0 of the balloon used 1 buffers
    And the balloon holds the pages "0x300 0x301 0x7FF"
    And page 0x301 reads as bytes of 0x00
    When the driver sets actual to 3
    Then the host sees actual 3
    And the 4-byte device configuration field at 0x04 reads 3

  @virtio-1.3-dev.traditional-memory-balloon-device.device-operation @virtio-1.3-drv.traditional-memory-balloon-device.device-operation
  Scenario: Deflating takes pages back out of the balloon, acknowledged by the used buffer
    When the driver initializes the device with features "VERSION_1 BALLOON_F_MUST_TELL_HOST BALLOON_F_DEFLATE_ON_OOM"
    And the driver inflates the balloon with pages "0x300 0x301 0x302"
    And the driver deflates the balloon with pages "0x301"
    Then queue 1 of the balloon used 1 buffers
    And the balloon holds the pages "0x300 0x302"
    When the driver sets actual to 2
    Then the host sees actual 2

  @virtio-1.3-dev.traditional-memory-balloon-device.device-operation
  Scenario: Page numbers outside guest RAM are ignored, not followed
    When the driver initializes the device with features "VERSION_1"
    And the driver inflates the balloon with pages "0x1000 0xFFFFFFFF 0x400"
    Then queue 0 of the balloon used 1 buffers
    And the balloon holds the pages "0x400"
    And the device ignored 2 page numbers

  @virtio-1.3-dev.device-operation.page-poison @virtio-1.3-drv.device-operation.page-poison
  Scenario: With PAGE_POISON the device uses poison_val for the pages it frees
    When the driver accepts the features "VERSION_1 BALLOON_F_PAGE_POISON" and sets FEATURES_OK
    And the driver writes 0xAA55AA55 to the 4-byte device configuration field at 0x0C
    And the driver sets up the queues and sets DRIVER_OK
    And the driver inflates the balloon with pages "0x500"
    Then page 0x500 reads as the 32-bit pattern 0xAA55AA55
    And the 4-byte device configuration field at 0x0C reads 0xAA55AA55

  @virtio-1.3-dev.device-operation.page-poison
  Scenario: Without PAGE_POISON the poison_val field is not writable
    When the driver initializes the device with features "VERSION_1"
    And the driver writes 0xAA55AA55 to the 4-byte device configuration field at 0x0C
    Then the 4-byte device configuration field at 0x0C reads 0

  @virtio-1.3-dev.device-operation.memory-statistics @virtio-1.3-drv.device-operation.memory-statistics
  Scenario: The device takes statistics in any order, ignores unknown tags, and keeps the buffer until the host asks again
    When the driver initializes the device with features "VERSION_1 BALLOON_F_STATS_VQ"
    And the driver offers the statistics "5=1048576 4=524288 99=7 0=4096"
    Then the host sees the statistics "0=4096 4=524288 5=1048576"
    And the device holds 1 statistics buffer
    And queue 2 of the balloon used 0 buffers
    When the host requests statistics
    Then queue 2 of the balloon used 1 buffers
    And the device holds 0 statistics buffer
    When the driver offers the statistics "5=1048576 4=262144"
    Then the host sees the statistics "0=4096 4=262144 5=1048576"

  @virtio-1.3-drv.device-operation.memory-statistics @cve-2016-5403
  Scenario: A driver offering statistics buffers without waiting never makes the device hold more than one (CVE-2016-5403 class)
    QEMU CVE-2016-5403 was reached through this queue: each extra element was kept. The device
    returns the buffer it held when the driver breaks the one-buffer rule.
    When the driver initializes the device with features "VERSION_1 BALLOON_F_STATS_VQ"
    And the driver offers the statistics "4=1"
    And the driver offers the statistics "4=2"
    And the driver offers the statistics "4=3"
    Then queue 2 of the balloon used 2 buffers
    And the device holds 1 statistics buffer
    And the host sees the statistics "4=3"
    And the device reported no driver error
