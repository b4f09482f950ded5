@model
Feature: Memory balloon free page hinting and free page reporting (virtio 1.3 sections 5.5.2, 5.5.6.5 to 5.5.6.7)
  A virtio-balloon device over modern virtio-pci offering five queues. Section 5.5.2 lists
  inflateq, deflateq, statsq, free_page_vq and reporting_vq, each optional one existing only if
  its feature is negotiated; the queues are numbered in that order over those that exist (the
  numbering Linux's driver and QEMU use), so reporting_vq is 2 when it is the only optional one.
  free_page_hint_cmd_id is the 4-byte field at 0x8, poison_val the one at 0xC; command IDs 0
  (VIRTIO_BALLOON_CMD_ID_STOP) and 1 (VIRTIO_BALLOON_CMD_ID_DONE) are reserved, the reference
  hands out 2, 3, ... Pages are named by frame number (4096 bytes each); a page range goes to the
  device as one device-writable buffer. The reference never modifies a hinted page; it discards
  reported pages, which then read as zeroes, or as poison_val with PAGE_POISON.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19
    And a virtio-balloon device on PCI

  @virtio-1.3-dev.traditional-memory-balloon-device.feature-bits @virtio-1.3-dev.device-operation.free-page-reporting
  Scenario Outline: The optional queues are numbered over the ones the negotiated features bring
    When the driver initializes the device with features "VERSION_1 <features>"
    Then the balloon's statsq is virtqueue <statsq>
    And the balloon's free_page_vq is virtqueue <free_page_vq>
    And the balloon's reporting_vq is virtqueue <reporting_vq>
    When the guest fills the pages 0xA00-0xA01 with 0x5A
    And the driver reports the free pages "0xA00-0xA01" on virtqueue <reporting_vq>
    Then virtqueue <reporting_vq> of the balloon returned 1 buffers with used length 0
    And the pages 0xA00-0xA01 read as bytes of 0x00

    Examples:
      | features                                                               | statsq | free_page_vq | reporting_vq |
      | BALLOON_F_STATS_VQ BALLOON_F_FREE_PAGE_HINT BALLOON_F_PAGE_REPORTING   | 2      | 3            | 4            |
      | BALLOON_F_PAGE_REPORTING                                               | -1     | -1           | 2            |
      | BALLOON_F_FREE_PAGE_HINT BALLOON_F_PAGE_REPORTING                      | -1     | 2            | 3            |
      | BALLOON_F_STATS_VQ BALLOON_F_PAGE_REPORTING                            | 2      | -1           | 3            |

  @virtio-1.3-dev.device-operation.free-page-reporting
  Scenario: A buffer on a queue no negotiated feature brings is not used and its pages are left alone
    When the driver initializes the device with features "VERSION_1 BALLOON_F_PAGE_REPORTING"
    And the guest fills the pages 0xA00-0xA01 with 0x5A
    And the driver reports the free pages "0xA00-0xA01" on virtqueue 4
    Then virtqueue 4 of the balloon returned 0 buffers with used length 0
    And the pages 0xA00-0xA01 read as bytes of 0x5A

  @virtio-1.3-dev.device-operation.free-page-reporting @virtio-1.3-drv.device-operation.free-page-reporting
  Scenario: Reported pages are acknowledged by the used buffer and stay out of the balloon
    When the driver initializes the device with features "VERSION_1 BALLOON_F_STATS_VQ BALLOON_F_PAGE_REPORTING"
    And the guest fills the pages 0xA00-0xA07 with 0x5A
    And the driver reports the free pages "0xA00-0xA03 0xA06-0xA07" on virtqueue 3
    Then virtqueue 3 of the balloon returned 1 buffers with used length 0
    And the pages 0xA00-0xA03 read as bytes of 0x00
    And the pages 0xA04-0xA05 read as bytes of 0x5A
    And the pages 0xA06-0xA07 read as bytes of 0x00
    And the balloon holds the pages ""

  @virtio-1.3-dev.device-operation.free-page-reporting @virtio-1.3-drv.device-operation.free-page-reporting @virtio-1.3-dev.device-operation.page-poison @virtio-1.3-drv.device-operation.page-poison
  Scenario: With PAGE_POISON reported pages keep poison_val
    When the driver accepts the features "VERSION_1 BALLOON_F_PAGE_POISON BALLOON_F_PAGE_REPORTING" and sets FEATURES_OK
    And the driver writes 0xAA55AA55 to the 4-byte device configuration field at 0x0C
    And the driver sets up the queues and sets DRIVER_OK
    And the guest fills the pages 0xA00-0xA01 with 0x5A
    And the driver reports the free pages "0xA00-0xA01" on virtqueue 2
    Then virtqueue 2 of the balloon returned 1 buffers with used length 0
    And the pages 0xA00-0xA01 read as the 32-bit pattern 0xAA55AA55

  @virtio-1.3-dev.device-operation.free-page-hinting @virtio-1.3-drv.device-operation.free-page-hinting
  Scenario: A round of free page hinting: command ID, hints under that ID, STOP, then DONE
    When the driver initializes the device with features "VERSION_1 BALLOON_F_FREE_PAGE_HINT"
    And the host starts a round of free page hinting
    Then the ISR status reads 0x02
    And the 4-byte device configuration field at 0x08 reads 2
    When the guest fills the pages 0xA00-0xA03 with 0x5A
    And the driver echoes the current free page hint command id on virtqueue 2
    And the driver hints the free pages "0xA00-0xA01" on virtqueue 2
    And the driver hints the free pages "0xA02-0xA03" on virtqueue 2
    And the driver sends the free page hint command id 0 on virtqueue 2
    Then virtqueue 2 of the balloon returned 4 buffers with used length 0
    And the host sees the hinted pages "0xA00-0xA03"
    And the pages 0xA00-0xA03 read as bytes of 0x5A
    When the host is done with the hinted pages
    # bit 1: the configuration change; bit 0: the used buffers above, not yet acknowledged
    Then the ISR status reads 0x03
    And the 4-byte device configuration field at 0x08 reads 1

  @virtio-1.3-dev.device-operation.free-page-hinting
  Scenario: Pages hinted under a command ID that is no longer current are ignored
    When the driver initializes the device with features "VERSION_1 BALLOON_F_FREE_PAGE_HINT"
    And the host starts a round of free page hinting
    And the driver echoes the current free page hint command id on virtqueue 2
    And the host starts a round of free page hinting
    Then the 4-byte device configuration field at 0x08 reads 3
    When the driver hints the free pages "0xA00" on virtqueue 2
    Then the host sees the hinted pages "none"
    And the device ignored 1 free page hint buffers
    When the driver echoes the current free page hint command id on virtqueue 2
    And the driver hints the free pages "0xA01" on virtqueue 2
    Then the host sees the hinted pages "0xA01"
    And virtqueue 2 of the balloon returned 4 buffers with used length 0

  @virtio-1.3-dev.device-operation.free-page-hinting @virtio-1.3-drv.device-operation.free-page-hinting
  Scenario: After the driver's STOP or the host's STOP further hints are ignored
    When the driver initializes the device with features "VERSION_1 BALLOON_F_STATS_VQ BALLOON_F_FREE_PAGE_HINT"
    And the host starts a round of free page hinting
    And the driver echoes the current free page hint command id on virtqueue 3
    And the driver sends the free page hint command id 0 on virtqueue 3
    And the driver hints the free pages "0xA00" on virtqueue 3
    Then the device ignored 1 free page hint buffers
    When the host starts a round of free page hinting
    And the driver echoes the current free page hint command id on virtqueue 3
    And the host stops free page hinting
    Then the 4-byte device configuration field at 0x08 reads 0
    When the driver hints the free pages "0xA01" on virtqueue 3
    Then the device ignored 2 free page hint buffers
    And the host sees the hinted pages "none"

  @virtio-1.3-dev.device-operation.free-page-hinting @virtio-1.3-drv.traditional-memory-balloon-device.feature-bits
  Scenario: free_page_hint_cmd_id is read-only for the driver and used only with FREE_PAGE_HINT
    When the driver initializes the device with features "VERSION_1"
    And the host starts a round of free page hinting
    Then the host could not start free page hinting
    And the 4-byte device configuration field at 0x08 reads 0
    When the driver resets the device
    And the driver initializes the device with features "VERSION_1 BALLOON_F_FREE_PAGE_HINT"
    And the host starts a round of free page hinting
    And the driver writes 0x1234 to the 4-byte device configuration field at 0x08
    Then the 4-byte device configuration field at 0x08 reads 2
