@model
Feature: Packed virtqueues (virtio 1.3 section 2.8)
  The reference packed-ring driver and the device side under test share one descriptor ring.
  A descriptor is available when its AVAIL bit (bit 7) equals the driver's ring wrap counter and
  its USED bit (bit 15) differs; used when both equal the device's wrap counter. Both counters
  start at 1 and flip when the ring wraps. A list chained with NEXT carries its Buffer ID in the
  last descriptor; the device writes one used descriptor per list, at its next used slot.
  Readable buffer bytes are 0x11, 0x12, ...; writable ones start as 0xEE.

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2 @virtio-1.3-drv.supplying-buffers-to-the-device.placing-available-buffers-into-the-descriptor-ring
  Scenario: A list goes from available to used in the same ring
    Given a packed virtqueue of size 8 with "no features"
    When the driver makes available the packed buffer "16r 64w"
    And the device takes the next packed buffer
    Then the device sees the packed buffer "id 0 in 2 slots: 16r 64w"
    When the device writes 40 bytes of 0xA5 into the packed buffer and returns it
    Then ring slot 0 holds a used descriptor with id 0 and length 40 in lap 1
    And the driver collects the used buffers "0:40"

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues
  Scenario: The reference driver aligns the descriptor ring and the event suppression structures
    Given a packed virtqueue of size 8 with "no features"
    Then the packed ring parts are aligned to 16, 4 and 4 bytes

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2
  Scenario: The device uses no descriptor whose AVAIL bit has not changed
    Given a packed virtqueue of size 8 with "no features"
    When the device takes the next packed buffer
    Then the device finds no packed buffer
    When the driver writes ring slot 0 as "addr 0x20000 len 16 id 3 flags WRITE|USED"
    And the device takes the next packed buffer
    Then the device finds no packed buffer
    When the driver writes ring slot 0 as "addr 0x20000 len 16 id 3 flags WRITE|AVAIL"
    And the device takes the next packed buffer
    Then the device sees the packed buffer "id 3 in 1 slots: 16w"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-3 @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-3
  Scenario: The device uses the descriptors of a list in ring order and the Buffer ID of the last one
    Given a packed virtqueue of size 8 with "no features"
    When the driver makes available the packed buffer "4r 4r 8r 32w 32w"
    And the device takes the next packed buffer
    Then the device sees the packed buffer "id 0 in 5 slots: 4r 4r 8r 32w 32w"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2
  Scenario: Used descriptors are written in the order the buffers complete, each list skipping its slots
    Given a packed virtqueue of size 8 with "no features"
    When the driver makes available the packed buffer "8r 16w"
    And the driver makes available the packed buffer "32w"
    And the device takes the next packed buffer
    And the device takes the next packed buffer
    Then the device sees the packed buffer "id 1 in 1 slots: 32w"
    When the device writes 16 bytes of 0x01 into the packed buffer and returns it
    And the device writes 32 bytes of 0x02 into the packed buffer and returns it
    Then ring slot 0 holds a used descriptor with id 0 and length 16 in lap 1
    And ring slot 2 holds a used descriptor with id 1 and length 32 in lap 1
    And the driver collects the used buffers "0:16 1:32"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2
  Scenario: A buffer the device did not write into is returned without the WRITE flag
    Given a packed virtqueue of size 8 with "no features"
    When the driver makes available the packed buffer "64r"
    And the device takes the next packed buffer
    And the device writes 0 bytes of 0x00 into the packed buffer and returns it
    Then ring slot 0 holds a used descriptor with id 0 and length 0 in lap 1

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-2 @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2
  Scenario: The wrap counters flip when the ring wraps, on both sides
    Given a packed virtqueue of size 4 with "no features"
    When driver and device exchange 3 packed buffers "16w"
    And the driver makes available the packed buffer "8r 16w"
    Then the driver's wrap counter is 0 at slot 1
    When the device takes the next packed buffer
    Then the device sees the packed buffer "id 3 in 2 slots: 8r 16w"
    And the device's wrap counters are 0 for available and 1 for used
    When the device writes 16 bytes of 0x03 into the packed buffer and returns it
    Then ring slot 3 holds a used descriptor with id 3 and length 16 in lap 1
    And the device's wrap counters are 0 for available and 0 for used
    And the driver collects the used buffers "3:16"
    When the driver makes available the packed buffer "16w"
    And the device takes the next packed buffer
    And the device writes 16 bytes of 0x04 into the packed buffer and returns it
    Then ring slot 1 holds a used descriptor with id 0 and length 16 in lap 0
    And the driver collects the used buffers "0:16"

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-3 @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-4
  Scenario: An indirect table holds the whole list in one ring slot
    Given a packed virtqueue of size 8 with "INDIRECT_DESC"
    When the driver makes available the packed buffer "indirect: 16r 16r 512w 1w"
    And the device takes the next packed buffer
    Then the device sees the packed buffer "id 0 in 1 slots: 16r 16r 512w 1w"

  @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-3 @virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-4
  Scenario Outline: Lists that break the driver rules are rejected
    Given a packed virtqueue of size 4 with "<features>"
    When the driver writes entry 0 of the packed table at 0x30000 as "addr 0x20000 len 16 flags WRITE"
    And the driver writes ring slot 0 as "<slot 0>"
    And the driver writes ring slot 1 as "<slot 1>"
    And the driver writes ring slot 2 as "<slot 2>"
    And the driver writes ring slot 3 as "<slot 3>"
    Then taking the next packed buffer fails with <violation>
    And the device read at most 80 bytes of guest memory for the packed buffer

    Examples:
      | features      | slot 0                                                 | slot 1                                            | slot 2                                         | slot 3                                         | violation                |
      | no features   | addr 0x30000 len 16 id 0 flags INDIRECT\|AVAIL         | addr 0 len 0 id 0 flags 0                         | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | INDIRECT_NOT_NEGOTIATED  |
      | INDIRECT_DESC | addr 0x20000 len 16 id 0 flags NEXT\|AVAIL             | addr 0x30000 len 16 id 0 flags INDIRECT\|AVAIL    | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | INDIRECT_IN_CHAIN        |
      | INDIRECT_DESC | addr 0x30000 len 20 id 0 flags INDIRECT\|AVAIL         | addr 0 len 0 id 0 flags 0                         | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | INDIRECT_LENGTH          |
      | no features   | addr 0x20000 len 16 id 0 flags WRITE\|NEXT\|AVAIL       | addr 0x20100 len 16 id 1 flags AVAIL              | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | WRITABLE_BEFORE_READABLE |
      | no features   | addr 0x20000 len 0 id 0 flags WRITE\|AVAIL              | addr 0 len 0 id 0 flags 0                         | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | ZERO_LENGTH              |
      | no features   | addr 0x20000 len 16 id 0 flags NEXT\|AVAIL              | addr 0x20000 len 16 id 0 flags NEXT\|AVAIL        | addr 0x20000 len 16 id 0 flags NEXT\|AVAIL     | addr 0x20000 len 16 id 0 flags NEXT\|AVAIL     | CHAIN_TOO_LONG           |
      | no features   | addr 0x20000 len 16 id 0 flags NEXT\|AVAIL              | addr 0x20000 len 16 id 0 flags 0                  | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | CHAIN_TOO_LONG           |
      | no features   | addr 0xFFFFFFF0 len 16 id 0 flags AVAIL                 | addr 0 len 0 id 0 flags 0                         | addr 0 len 0 id 0 flags 0                      | addr 0 len 0 id 0 flags 0                      | OUTSIDE_MEMORY           |

  @virtio-1.3-drv.supplying-buffers-to-the-device.implementation-example @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues
  Scenario: The device never suppresses available buffer notifications, so the driver always notifies
    Given a packed virtqueue of size 8 with "no features"
    When the driver makes available the packed buffer "16w"
    And the device takes the next packed buffer
    Then the packed driver must notify the device

  @virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues
  Scenario: Driver event suppression decides used buffer notifications
    Given a packed virtqueue of size 8 with "EVENT_IDX"
    When the driver sets the driver event suppression to DISABLE
    And the driver makes available 3 packed buffers "16w"
    And the device takes the next packed buffer
    And the device writes 16 bytes of 0x01 into the packed buffer and returns it
    Then the device should not notify the driver of packed buffers
    When the driver asks for an event when slot 2 of lap 1 is used
    And the device takes the next packed buffer
    And the device writes 16 bytes of 0x01 into the packed buffer and returns it
    Then the device should not notify the driver of packed buffers
    When the device takes the next packed buffer
    And the device writes 16 bytes of 0x01 into the packed buffer and returns it
    Then the device should notify the driver of packed buffers
    When the driver sets the driver event suppression to ENABLE
    And the driver makes available the packed buffer "16w"
    And the device takes the next packed buffer
    And the device writes 16 bytes of 0x01 into the packed buffer and returns it
    Then the device should notify the driver of packed buffers
