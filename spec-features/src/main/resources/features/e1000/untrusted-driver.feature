@model
Feature: 82540EM against an untrusted driver (QEMU e1000 CVEs)
  A guest driver may program anything. The device must never write a receive buffer beyond its
  size, never loop without bound, never throw, and never reach anything but guest RAM with its
  DMA. Each scenario is named after the QEMU e1000 vulnerability whose pattern it replays:
  CVE-2012-6075 (frames larger than the buffers overflowed them), CVE-2015-6815 and
  CVE-2021-20257 (zero-length or malformed descriptors and TSO contexts made transmit
  processing loop forever), CVE-2016-1981 (ring indexes beyond the ring made processing loop
  forever), CVE-2021-3416 (a frame sent in loopback re-entered the device's receive path and,
  through DMA aimed at the device's own registers, transmit again). The SDM rules that bound the
  work: "Packets over 1522 bytes are oversized if LongPacketEnable is 0b" (§13.7.36); buffers
  have the RCTL.BSIZE size (§13.4.22); hardware processes only the descriptors between head and
  tail (§13.4.40); TSO needs an MSS and a header length (§3.5, §3.3.6).

  Background:
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM

  @e1000-sdm-13.7.36 @e1000-sdm-13.4.22
  Scenario: CVE-2012-6075 - an oversized frame without RCTL.LPE is dropped, no buffer overflows
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the network delivers a 5000-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 is untouched
    And register ROC reads 0x00000001
    And no receive buffer was written beyond its size

  @e1000-sdm-13.4.22
  Scenario: CVE-2012-6075 - with RCTL.LPE a frame needing more buffers than are free is missed, not squeezed
    # 16380 + 4 bytes need 8 buffers of 2048 bytes; the driver gave the hardware 7.
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008022 and RDT 7
    When the network delivers a 16380-byte frame to 52:54:00:12:34:56
    Then the NIC reported the last frame as missed
    And receive descriptor 0 is untouched
    And register MPC reads 0x00000001
    And no receive buffer was written beyond its size

  @e1000-sdm-3.5 @e1000-sdm-3.3.6
  Scenario Outline: CVE-2015-6815 - a TSO context with <what> is refused without looping
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver queues a TCP/IP context with TUCMD 0x07, HDRLEN <hdrlen>, MSS <mss> and PAYLEN 100
    And the driver queues a TCP segment of 100 payload bytes with IP id 0x0001, sequence 0x00000001 and flags 0x10 in a data descriptor with DCMD 0x0F and POPTS 0x03
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 0 frames
    And transmit descriptor 1 is done
    And register TDH reads 0x00000002
    And register TSCTFC reads 0x00000001

    Examples:
      | what                     | hdrlen | mss  |
      | MSS 0                    | 54     | 0    |
      | HDRLEN 0                 | 0      | 1000 |
      | HDRLEN beyond the packet | 255    | 1000 |

  @e1000-sdm-3.3.3 @e1000-sdm-13.4.40
  Scenario: CVE-2015-6815 - zero-length descriptors transfer nothing and still complete
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver queues a legacy descriptor of length 0 at address 0x00000000 with command 0x08
    And the driver queues a legacy descriptor of length 0 at address 0x00100000 with command 0x08
    And the driver queues a legacy descriptor of length 0 at address 0x00100000 with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 0 frames
    And transmit descriptor 2 is done
    And register TDH reads 0x00000003
    And the device has processed 3 transmit descriptors

  @e1000-sdm-13.4.40 @e1000-sdm-13.4.28
  Scenario: CVE-2016-1981 - a transmit head beyond the ring is not followed
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver writes 0x00000020 to register TDH
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 0 frames
    And the device has processed 0 transmit descriptors
    And register TDH reads 0x00000020

  @e1000-sdm-13.4.40
  Scenario: CVE-2016-1981 - a transmit tail beyond the ring is not followed
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver writes 0x00000040 to register TDT
    Then the e1000's link partner received 0 frames
    And the device has processed 0 transmit descriptors

  @e1000-sdm-13.4.28 @e1000-sdm-13.4.29
  Scenario Outline: CVE-2016-1981 - a receive <register> beyond the ring makes frames missed, nothing is written
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes <value> to register <register>
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then the NIC reported the last frame as missed
    And receive descriptor 0 is untouched
    And register MPC reads 0x00000001

    Examples:
      | register | value      |
      | RDH      | 0x00000064 |
      | RDT      | 0x00000008 |

  @e1000-sdm-13.4.25 @e1000-sdm-3.2
  Scenario: A receive ring outside guest memory makes frames missed
    Given the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x40000000 to register RDBAL
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then the NIC reported the last frame as missed
    And register RDH reads 0x00000000

  @e1000-sdm-3.5 @e1000-sdm-3.3.7
  Scenario: CVE-2021-20257 - zero-length data and legacy descriptors chained into a TSO packet complete without looping
    Given the driver has set up a transmit ring of 16 descriptors
    When the driver queues a TCP/IP context with TUCMD 0x07, HDRLEN 54, MSS 1000 and PAYLEN 0
    And the driver queues a TCP segment of 0 payload bytes with IP id 0x0001, sequence 0x00000001 and flags 0x10 in a data descriptor with DCMD 0x04 and POPTS 0x03
    And the driver queues 5 data descriptors of length 0 at address 0x00100000 with DCMD 0x04
    And the driver queues a legacy descriptor of length 0 at address 0x00100000 with command 0x0B
    And the driver rings the transmit doorbell
    Then register TDH reads 0x00000008
    And transmit descriptor 7 is done
    And the device has processed 8 transmit descriptors
    And the e1000's link partner received 1 frame
    # The header alone, padded by TCTL.PSP to 60 bytes.
    And frame 1 on the network is 60 bytes long

  @e1000-sdm-13.4.22 @e1000-sdm-3.2
  Scenario: CVE-2021-3416 - in MAC loopback, frames whose receive buffers overwrite the transmit ring cause no further transmission
    # RCTL: EN, BAM, LBM = 01b (MAC loopback). Every receive buffer points at the transmit ring.
    Given the driver has set up a transmit ring of 8 descriptors
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008042 and RDT 7
    When receive descriptor 0 points at 0x00010000
    And receive descriptor 1 points at 0x00010000
    And receive descriptor 2 points at 0x00010000
    And the driver queues a 128-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 128-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver queues a 128-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the device has processed 3 transmit descriptors
    And the e1000's link partner received 0 frames
    And register TDH reads 0x00000003
    And register RDH reads 0x00000003
    And register GPRC reads 0x00000003

  @e1000-sdm-3.2
  Scenario: CVE-2021-3416 - a receive buffer aimed at the device's own registers reaches no register
    # 0xC0003818 is TDT in BAR0: device DMA reaches guest RAM only, so the write fails (RXE).
    Given the driver has set up a transmit ring of 8 descriptors
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And receive descriptor 0 points at 0xC0003818
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then receive descriptor 0 has errors 0x80
    And register TDT reads 0x00000000
    And the e1000's link partner received 0 frames

  @e1000-sdm-3.3.3 @e1000-sdm-3.2
  Scenario: CVE-2021-3416 - a network that echoes every frame straight back gets each frame once
    Given the network echoes every frame back at once
    And the driver has set up a transmit ring of 8 descriptors
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver queues a 60-byte frame to 52:54:00:12:34:56 in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to 52:54:00:12:34:56 in a legacy descriptor with command 0x0B
    And the driver queues a 60-byte frame to 52:54:00:12:34:56 in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 3 frames
    And register GPRC reads 0x00000003
    And the device has processed 3 transmit descriptors
    And the network's echo went at most 1 level deep

  @e1000-sdm-3.3.3
  Scenario: A transmit buffer outside guest memory drops its packet; the ring moves on
    # The bench has 16 MiB of RAM; 0x40000000 is none of it.
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver queues a legacy descriptor of length 100 at address 0x40000000 with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 1 frame
    And frame 1 on the network is the 60-byte frame to ff:ff:ff:ff:ff:ff
    And transmit descriptor 0 is done
    And register TDH reads 0x00000002

  @e1000-sdm-13.4.36
  Scenario: A transmit ring outside guest memory is not fetched from
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver writes 0x40000000 to register TDBAL
    And the driver writes 0x00000003 to register TDT
    Then the e1000's link partner received 0 frames
    And the device has processed 0 transmit descriptors
    And register TDH reads 0x00000000

  @e1000-sdm-3.3.3
  Scenario: A packet longer than 16288 bytes is not sent
    # §3.3.3: "Length can be up to ... 16288 bytes per descriptor, and 16288 bytes total".
    Given the driver has set up a transmit ring of 8 descriptors
    When the driver queues a legacy descriptor of length 16000 at address 0x00100000 with command 0x00
    And the driver queues a legacy descriptor of length 16000 at address 0x00100000 with command 0x0B
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 1 frame
    And frame 1 on the network is the 60-byte frame to ff:ff:ff:ff:ff:ff
    And register TDH reads 0x00000003
