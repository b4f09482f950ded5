@model
Feature: Virtio block device (virtio 1.3 section 5.2)
  A virtio-blk device over modern virtio-pci with a 64 KiB disk (capacity 128 sectors) whose
  byte i is (i * 7 + i / 512) mod 256; data the driver writes is 0xA0, 0xA1, ... A request is a
  16-byte header (type, reserved, sector), the data, then a 1-byte status the device writes:
  OK 0, IOERR 1, UNSUPP 2. The used length counts the bytes the device wrote: data plus status.

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19

  @virtio-1.3-dev.block-device.device-initialization
  Scenario: The configuration space presents capacity, segment limits, block size and zeroed padding
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_FLUSH BLK_F_CONFIG_WCE"
    Then the 8-byte device configuration field at 0x00 reads 128
    And the 4-byte device configuration field at 0x0C reads 254
    And the 4-byte device configuration field at 0x14 reads 512
    And the 1-byte device configuration field at 0x20 reads 1
    And the 1-byte device configuration field at 0x21 reads 0
    And the 4-byte device configuration field at 0x28 reads 8
    And the 4-byte device configuration field at 0x34 reads 8
    And the 4-byte device configuration field at 0x38 reads 0

  @virtio-1.3-dev.block-device.device-initialization @virtio-1.3-drv.block-device.device-initialization
  Scenario: The device offers FLUSH with CONFIG_WCE; without FLUSH negotiated writeback starts at 0
    Given a virtio-blk device with a 64 KiB disk on PCI
    Then the device offers "BLK_F_FLUSH BLK_F_CONFIG_WCE"
    When the driver initializes the device with features "VERSION_1 BLK_F_CONFIG_WCE"
    Then the 1-byte device configuration field at 0x20 reads 0

  @virtio-1.3-dev.block-device.device-operation
  Scenario: A read returns the sectors and the used length counts data and status
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a IN request for sector 5 with 1024 data bytes
    Then the request completes with status OK and used length 1025
    And the data read matches the disk from sector 5

  @virtio-1.3-dev.block-device.device-operation @virtio-1.3-dev.split-virtqueues.message-framing
  Scenario: A read into several descriptors fills them in order
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a IN request for sector 7 with 2048 data bytes in 3 descriptors
    Then the request completes with status OK and used length 2049
    And the data read matches the disk from sector 7

  @virtio-1.3-dev.block-device.device-operation @virtio-1.3-dev.split-virtqueues.the-virtqueue-descriptor-table
  Scenario: A write reaches the disk; the device writes only the status byte
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_FLUSH"
    And the driver submits a OUT request for sector 9 with 1024 data bytes in 2 descriptors
    Then the request completes with status OK and used length 1
    And the disk from sector 9 holds the data written
    And the disk journal is "write 4608+1024"

  @virtio-1.3-dev.block-device.device-operation
  Scenario: With FLUSH negotiated writes are volatile until a FLUSH request makes them stable
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_FLUSH"
    And the driver submits a OUT request for sector 0 with 512 data bytes
    And the driver submits a FLUSH request for sector 0 with 0 data bytes
    Then the request completes with status OK and used length 1
    And the disk journal is "write 0+512, flush"

  @virtio-1.3-dev.block-device.device-operation
  Scenario: Offered but not negotiated, FLUSH makes every write stable before it completes
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a OUT request for sector 2 with 512 data bytes
    Then the request completes with status OK
    And the disk journal is "write 1024+512, flush"

  @virtio-1.3-dev.block-device.device-operation @virtio-1.3-drv.block-device.device-operation
  Scenario: With CONFIG_WCE the driver chooses writethrough by writing writeback 0
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_FLUSH BLK_F_CONFIG_WCE"
    And the driver submits a OUT request for sector 1 with 512 data bytes
    Then the disk journal is "write 512+512"
    When the driver writes 0 to the 1-byte device configuration field at 0x20
    And the driver submits a OUT request for sector 1 with 512 data bytes
    Then the request completes with status OK
    And the 1-byte device configuration field at 0x20 reads 0
    And the disk journal is "write 512+512, write 512+512, flush"

  @virtio-1.3-dev.block-device.device-operation
  Scenario: A read-only device fails writes with IOERR and writes nothing
    Given a read-only virtio-blk device with a 64 KiB disk on PCI
    Then the device offers "BLK_F_RO"
    When the driver initializes the device with features "VERSION_1 BLK_F_RO BLK_F_WRITE_ZEROES BLK_F_DISCARD"
    And the driver submits a OUT request for sector 4 with 512 data bytes
    Then the request completes with status IOERR and used length 1
    When the driver submits a WRITE_ZEROES request with the segments "4+1"
    Then the request completes with status IOERR
    When the driver submits a DISCARD request with the segments "4+1"
    Then the request completes with status IOERR
    And the disk from sector 4 still holds its original 512 bytes
    And the disk journal is ""

  @virtio-1.3-drv.block-device.device-operation
  Scenario Outline: Requests beyond capacity or not in whole sectors fail with IOERR
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a <type> request for sector <sector> with <bytes> data bytes
    Then the request completes with status IOERR and used length 1
    And the disk journal is ""

    Examples:
      | type | sector               | bytes |
      | IN   | 127                  | 1024  |
      | IN   | 128                  | 512   |
      | OUT  | 126                  | 2048  |
      | IN   | 0                    | 100   |
      | OUT  | 0                    | 513   |
      | IN   | 18014398509481984    | 512   |
      | OUT  | 0xFFFFFFFFFFFFFFFF   | 512   |

  @virtio-1.3-dev.block-device.device-operation @virtio-1.3-drv.block-device.device-operation
  Scenario: GET_ID returns the 20-byte NUL-padded serial
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a GET_ID request for sector 0 with 20 data bytes
    Then the request completes with status OK and used length 21
    And the request data holds the ASCII "hvspec-disk-0001"

  @virtio-1.3-dev.block-device.device-operation
  Scenario: WRITE_ZEROES makes the ranges read as zeroes, with or without unmap
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_WRITE_ZEROES"
    And the driver submits a WRITE_ZEROES request with the segments "3+2 10+1:unmap"
    Then the request completes with status OK and used length 1
    And the disk from sector 3 holds 1024 zero bytes
    And the disk from sector 10 holds 512 zero bytes
    And the disk from sector 5 still holds its original 512 bytes
    When the driver submits a IN request for sector 3 with 512 data bytes
    Then the request completes with status OK

  @virtio-1.3-dev.block-device.device-operation
  Scenario Outline: DISCARD and WRITE_ZEROES with flags the device must refuse give UNSUPP
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_DISCARD BLK_F_WRITE_ZEROES"
    And the driver submits a <type> request with the segments "<segments>"
    Then the request completes with status UNSUPP
    And the disk journal is ""

    Examples:
      | type         | segments        |
      | DISCARD      | 3+2:unmap       |
      | DISCARD      | 3+2:flags=4     |
      | WRITE_ZEROES | 3+2:flags=2     |

  @virtio-1.3-dev.block-device.device-operation @virtio-1.3-drv.block-device.device-operation
  Scenario: DISCARD accepts up to max_discard_seg segments and fails beyond
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_DISCARD"
    And the driver submits a DISCARD request with the segments "0+1 2+2"
    Then the request completes with status OK
    And the disk journal is "discard 0+512, discard 1024+1024"
    When the driver submits a DISCARD request with the segments "0+1 1+1 2+1 3+1 4+1 5+1 6+1 7+1 8+1"
    Then the request completes with status IOERR

  @virtio-1.3-dev.block-device.device-operation
  Scenario Outline: Unknown request types and features not negotiated give UNSUPP
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a <type> request for sector 0 with 512 data bytes
    Then the request completes with status UNSUPP

    Examples:
      | type         |
      | GET_LIFETIME |
      | SECURE_ERASE |
      | ZONE_REPORT  |
      | 2            |
      | 0x7FFFFFFF   |

  @virtio-1.3-dev.block-device.device-operation @virtio-1.3-drv.block-device.device-operation
  Scenario: A capacity change is announced by a configuration change notification
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the host resizes the disk to 64 sectors
    Then the ISR status reads 0x02
    And the 8-byte device configuration field at 0x00 reads 64
    When the driver submits a IN request for sector 64 with 512 data bytes
    Then the request completes with status IOERR

  @virtio-1.3-dev.block-device.device-operation
  Scenario: On a raw disk file, writes reach the file and FLUSH is an fsync
    Given a virtio-blk device with a 64 KiB raw disk file on PCI
    When the driver initializes the device with features "VERSION_1 BLK_F_FLUSH"
    And the driver submits a OUT request for sector 6 with 1536 data bytes
    Then the request completes with status OK
    And the raw disk file from sector 6 holds the data written
    When the driver submits a FLUSH request for sector 0 with 0 data bytes
    Then the request completes with status OK
    And the raw disk file has been flushed 1 times

  @virtio-1.3-dev.block-device.device-operation
  Scenario: A request without room for the status byte cannot be failed, so the device asks for a reset
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a request of only a 16-byte header
    Then the device reported the driver error MALFORMED_REQUEST
    And the device status is "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK DEVICE_NEEDS_RESET"
    And the ISR status reads 0x02

  @virtio-1.3-dev.block-device.device-operation
  Scenario: A header shorter than 16 bytes is a malformed request
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver submits a request with a 8-byte header and a status byte
    Then the device reported the driver error MALFORMED_REQUEST

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues
  Scenario: With RING_PACKED negotiated the device serves requests from a packed ring
    Given a virtio-blk device with a 64 KiB disk on PCI
    When the driver initializes the device with features "VERSION_1 RING_PACKED"
    And the driver submits a IN request for sector 6 with 1024 data bytes in 2 descriptors
    Then the request completes with status OK and used length 1025
    And the data read matches the disk from sector 6
    When the driver submits a OUT request for sector 2 with 512 data bytes
    Then the request completes with status OK and used length 1
    And the disk from sector 2 holds the data written
