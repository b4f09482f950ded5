@model
Feature: Split virtqueues (virtio 1.3 section 2.7)
  The reference driver lays out a split virtqueue in guest RAM and plays by the driver rules;
  the device side of the ring is the reference SplitVirtqueue. Buffers are written as tokens:
  "16r 64w" is one 16-byte device-readable descriptor followed by one 64-byte device-writable
  descriptor; after "indirect:" elements go into an indirect table. Readable bytes are filled
  with 0x11, 0x12, ... and writable bytes with 0xEE. Expected values follow from the
  structures of sections 2.7.5 (descriptor table), 2.7.6 (available ring) and 2.7.8 (used ring).
  A driver error makes taking the buffer fail; the device's answer to that (DEVICE_NEEDS_RESET)
  is checked per device in the device features.

  @virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring @virtio-1.3-drv.supplying-buffers-to-the-device.updating-idx
  Scenario: A buffer goes from the available ring to the used ring with the bytes written
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available the buffer "16r 64w"
    And the device takes the next available buffer
    Then the device sees "id 0: 16r 64w"
    When the device writes 40 bytes of 0xA5 into the buffer and returns it
    Then the used ring holds "0:40"
    And used idx is 1

  @virtio-1.3-drv.supplying-buffers-to-the-device.updating-idx
  Scenario: A buffer is exposed to the device only by the idx update
    Given a split virtqueue of size 8 with "no features"
    When the driver places the buffer "16r 64w" without publishing it
    And the device takes the next available buffer
    Then the device finds no available buffer
    When the driver publishes
    And the device takes the next available buffer
    Then the device sees "id 0: 16r 64w"

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.split-virtqueues
  Scenario: The reference driver aligns the descriptor table, available ring and used ring
    Given a split virtqueue of size 8 with "EVENT_IDX"
    Then the ring parts are aligned to 16, 2 and 4 bytes

  @virtio-1.3-dev.split-virtqueues.message-framing
  Scenario: The device reads the same bytes whatever the arrangement of descriptors
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available the buffer "4r 4r 8r 32w 32w"
    And the device takes the next available buffer
    Then the device sees "id 0: 4r 4r 8r 32w 32w"
    And the readable stream of the buffer starts with 0x1112131415161718191A1B1C1D1E1F20
    When the device writes 40 bytes of 0x77 into the buffer and returns it
    Then the writable elements of the buffer hold "7777777777777777777777777777777777777777777777777777777777777777 7777777777777777EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE"
    And the used ring holds "0:40"

  @virtio-1.3-dev.split-virtqueues.message-framing
  Scenario: The device limits the length of indirect tables it accepts
    Given a split virtqueue of size 8 with "INDIRECT_DESC"
    When the driver writes descriptor 0 as "addr 0x100000 len 32768 flags INDIRECT"
    And the driver exposes descriptor 0
    Then taking the next available buffer fails with CHAIN_TOO_LONG
    And the device read at most 20 bytes of guest memory

  @virtio-1.3-drv.split-virtqueues.message-framing
  Scenario: A device-readable descriptor after a device-writable one breaks the framing rule
    Given a split virtqueue of size 8 with "no features"
    When the driver writes descriptor 0 as "addr 0x20000 len 16 flags WRITE|NEXT next 1"
    And the driver writes descriptor 1 as "addr 0x20100 len 16 flags 0"
    And the driver exposes descriptor 0
    Then taking the next available buffer fails with WRITABLE_BEFORE_READABLE

  @virtio-1.3-dev.split-virtqueues.the-virtqueue-descriptor-table
  Scenario: The device writes only device-writable elements
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available the buffer "16r 8w"
    And the device takes the next available buffer
    And the device writes 100 bytes of 0x5A into the buffer and returns it
    Then the writable elements of the buffer hold "5A5A5A5A5A5A5A5A"
    And the readable elements of the buffer are unchanged
    And the used ring holds "0:8"

  @virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring
  Scenario: The used length never exceeds the writable size of the buffer
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available the buffer "16r 64w"
    And the driver makes available the buffer "32r"
    And the device takes the next available buffer
    And the device returns the buffer claiming 1000 bytes written
    And the device takes the next available buffer
    And the device returns the buffer claiming 5 bytes written
    Then the used ring holds "0:64 2:0"

  @virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring
  Scenario: The device sets the used element before it updates the used idx
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available the buffer "64w"
    And the device takes the next available buffer
    And the device writes 64 bytes of 0x01 into the buffer and returns it
    Then the device wrote the used element before the used idx

  @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table
  Scenario: A descriptor loop is detected after at most a queue's worth of descriptors
    Given a split virtqueue of size 8 with "no features"
    When the driver writes descriptor 0 as "addr 0x20000 len 16 flags NEXT next 1"
    And the driver writes descriptor 1 as "addr 0x20100 len 16 flags NEXT next 0"
    And the driver exposes descriptor 0
    Then taking the next available buffer fails with CHAIN_TOO_LONG
    And the device read at most 132 bytes of guest memory

  @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table
  Scenario: A chain of more than 2^32 - 1 bytes in total is rejected
    Given a split virtqueue of size 8 with "INDIRECT_DESC"
    When the driver writes 257 table entries at 0x800000 each as "addr 0x0 len 0x1000000 flags NEXT|WRITE next+1"
    And the driver writes descriptor 0 as "addr 0x800000 len 4112 flags INDIRECT"
    And the driver exposes descriptor 0
    Then taking the next available buffer fails with TOTAL_LENGTH_OVERFLOW

  @virtio-1.3-dev.the-virtqueue-descriptor-table.indirect-descriptors
  Scenario: Chained descriptors followed by an indirect descriptor form one buffer
    Given a split virtqueue of size 8 with "INDIRECT_DESC"
    When the driver makes available the buffer "16r indirect: 512w 1w"
    And the device takes the next available buffer
    Then the device sees "id 0: 16r 512w 1w"
    When the driver makes available the buffer "indirect: 16r 16r 4w"
    And the device takes the next available buffer
    Then the device sees "id 2: 16r 16r 4w"

  @virtio-1.3-dev.the-virtqueue-descriptor-table.indirect-descriptors
  Scenario: The device ignores the write-only flag of a descriptor that refers to an indirect table
    Given a split virtqueue of size 8 with "INDIRECT_DESC"
    When the driver writes entry 0 of the table at 0x20000 as "addr 0x30000 len 16 flags NEXT next 1"
    And the driver writes entry 1 of the table at 0x20000 as "addr 0x30100 len 64 flags WRITE"
    And the driver writes descriptor 0 as "addr 0x20000 len 32 flags INDIRECT|WRITE"
    And the driver exposes descriptor 0
    And the device takes the next available buffer
    Then the device sees "id 0: 16r 64w"

  @virtio-1.3-drv.the-virtqueue-descriptor-table.indirect-descriptors
  Scenario Outline: Indirect descriptors that break the driver rules are rejected
    Given a split virtqueue of size 8 with "<features>"
    When the driver writes entry 0 of the table at 0x20000 as "<entry 0>"
    And the driver writes entry 1 of the table at 0x20000 as "addr 0x30100 len 64 flags WRITE"
    And the driver writes descriptor 0 as "<descriptor 0>"
    And the driver writes descriptor 1 as "addr 0x30200 len 8 flags WRITE"
    And the driver exposes descriptor 0
    Then taking the next available buffer fails with <violation>

    Examples:
      | features      | entry 0                                   | descriptor 0                                 | violation               |
      | no features   | addr 0x30000 len 16 flags NEXT next 1     | addr 0x20000 len 32 flags INDIRECT           | INDIRECT_NOT_NEGOTIATED |
      | INDIRECT_DESC | addr 0x20000 len 32 flags INDIRECT        | addr 0x20000 len 32 flags INDIRECT           | NESTED_INDIRECT         |
      | INDIRECT_DESC | addr 0x30000 len 16 flags NEXT next 1     | addr 0x20000 len 32 flags INDIRECT\|NEXT next 1 | INDIRECT_WITH_NEXT   |
      | INDIRECT_DESC | addr 0x30000 len 16 flags NEXT next 1     | addr 0x20000 len 20 flags INDIRECT           | INDIRECT_LENGTH         |
      | INDIRECT_DESC | addr 0x30000 len 16 flags NEXT next 1     | addr 0x20000 len 0 flags INDIRECT            | INDIRECT_LENGTH         |
      | INDIRECT_DESC | addr 0x30000 len 16 flags NEXT next 0     | addr 0x20000 len 32 flags INDIRECT           | CHAIN_TOO_LONG          |
      | INDIRECT_DESC | addr 0x30000 len 16 flags NEXT next 2     | addr 0x20000 len 32 flags INDIRECT           | NEXT_OUT_OF_RANGE       |

  @virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table
  Scenario Outline: Malformed descriptors and rings are rejected, never followed
    Given a split virtqueue of size 8 with "no features"
    When the driver writes descriptor 0 as "<descriptor 0>"
    And the driver exposes descriptor <head>
    Then taking the next available buffer fails with <violation>
    And the device read at most 132 bytes of guest memory

    Examples:
      | descriptor 0                               | head | violation          |
      | addr 0x20000 len 16 flags NEXT next 8      | 0    | NEXT_OUT_OF_RANGE  |
      | addr 0x20000 len 16 flags 0                | 8    | HEAD_OUT_OF_RANGE  |
      | addr 0x20000 len 16 flags 0                | 65535 | HEAD_OUT_OF_RANGE |
      | addr 0x20000 len 0 flags WRITE             | 0    | ZERO_LENGTH        |
      | addr 0xFFFFF8 len 16 flags WRITE           | 0    | OUTSIDE_MEMORY     |
      | addr 0xFFFFFFFFFFFFFFF0 len 32 flags WRITE | 0    | OUTSIDE_MEMORY     |

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.split-virtqueues
  Scenario: A descriptor table outside guest memory is reported, not followed
    Given a split virtqueue of size 8 whose descriptor table is at 0x40000000
    When the driver exposes descriptor 0
    Then taking the next available buffer fails with OUTSIDE_MEMORY

  @virtio-1.3-drv.split-virtqueues.the-virtqueue-available-ring
  Scenario: The available idx can run at most the queue size ahead, and never backwards
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available 2 buffers "16w"
    And the device takes 2 available buffers
    And the driver sets avail idx to 1
    Then taking the next available buffer fails with AVAIL_INDEX_JUMP

  @virtio-1.3-drv.split-virtqueues.the-virtqueue-available-ring
  Scenario: An available idx more than the queue size ahead is rejected
    Given a split virtqueue of size 8 with "no features"
    When the driver writes descriptor 0 as "addr 0x20000 len 16 flags WRITE"
    And the driver sets avail idx to 9
    Then taking the next available buffer fails with AVAIL_INDEX_JUMP

  @virtio-1.3-drv.split-virtqueues.the-virtqueue-available-ring @cve-2016-5403
  Scenario: More buffers in flight than the queue size are refused (CVE-2016-5403 class)
    QEMU CVE-2016-5403: a guest re-exposing buffers without waiting for completion made the
    device allocate without bound. The device never holds more than the queue size.
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available 8 buffers "16w"
    And the device takes 8 available buffers
    And the driver exposes descriptor 0
    Then taking the next available buffer fails with TOO_MANY_IN_FLIGHT

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-drv.split-virtqueues.used-buffer-notification-suppression
  Scenario Outline: Without EVENT_IDX the available ring flags decide, and used_event is ignored
    Given a split virtqueue of size 8 with "no features"
    When the driver sets the available ring flags to <flags>
    And the driver sets used_event to 5
    And the driver makes available the buffer "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device <decision>

    Examples:
      | flags | decision                      |
      | 0     | should notify the driver      |
      | 1     | should not notify the driver  |

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression @virtio-1.3-drv.split-virtqueues.used-buffer-notification-suppression
  Scenario: With EVENT_IDX and used_event 0 the device notifies after the first buffer only
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When the driver sets used_event to 0
    And the driver makes available 2 buffers "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should notify the driver
    When the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should not notify the driver

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression
  Scenario: With EVENT_IDX the device notifies when it writes the used entry at index used_event
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When the driver sets used_event to 2
    And the driver makes available 3 buffers "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should not notify the driver
    When the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should not notify the driver
    When the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should notify the driver

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression
  Scenario: With EVENT_IDX the device ignores the available ring flags
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When the driver sets the available ring flags to 1
    And the driver sets used_event to 0
    And the driver makes available the buffer "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should notify the driver

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression
  Scenario: A batch of used buffers passing used_event needs one notification
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When the driver sets used_event to 1
    And the driver makes available 3 buffers "16w"
    And the device takes 3 available buffers
    And the device returns every buffer it holds
    Then the device should notify the driver
    And the device should not notify the driver

  @virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression
  Scenario: The event index rule holds across the 16-bit wrap of the used idx
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When driver and device exchange 65535 buffers "16w"
    Then used idx is 65535
    When the driver sets used_event to 65535
    And the driver makes available the buffer "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then used idx is 0
    And the device should notify the driver
    When the driver sets used_event to 0
    And the driver makes available the buffer "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should notify the driver
    When the driver makes available the buffer "16w"
    And the device takes the next available buffer
    And the device writes 16 bytes of 0x01 into the buffer and returns it
    Then the device should not notify the driver

  @virtio-1.3-dev.split-virtqueues.available-buffer-notification-suppression @virtio-1.3-drv.split-virtqueues.available-buffer-notification-suppression
  Scenario: Without EVENT_IDX the device leaves used flags 0, so the driver always notifies
    Given a split virtqueue of size 8 with "no features"
    When the driver makes available the buffer "16w"
    Then the driver must notify the device
    When the device takes the next available buffer
    Then the used ring flags are 0
    When the driver makes available the buffer "16w"
    Then the driver must notify the device

  @virtio-1.3-dev.split-virtqueues.available-buffer-notification-suppression @virtio-1.3-drv.split-virtqueues.available-buffer-notification-suppression @virtio-1.3-drv.supplying-buffers-to-the-device.notifying-the-device
  Scenario: With EVENT_IDX the device asks, through avail_event, to hear of the next buffer only
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When the driver makes available 2 buffers "16w"
    And the device takes 2 available buffers
    And the device takes the next available buffer
    Then the device finds no available buffer
    And avail_event is 2
    And the used ring flags are 0
    When the driver makes available the buffer "16w"
    Then the driver must notify the device
    When the driver makes available the buffer "16w"
    Then the driver need not notify the device

  @virtio-1.3-dev.split-virtqueues.available-buffer-notification-suppression
  Scenario: A spurious notification finds nothing and does no harm
    Given a split virtqueue of size 8 with "EVENT_IDX"
    When the device takes the next available buffer
    Then the device finds no available buffer
    When the driver makes available the buffer "16r 16w"
    And the device takes the next available buffer
    Then the device sees "id 0: 16r 16w"
    When the device takes the next available buffer
    Then the device finds no available buffer
