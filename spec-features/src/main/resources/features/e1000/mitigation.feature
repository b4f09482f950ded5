@model
Feature: 82540EM interrupt mitigation on the virtual clock
  ITR.INTERVAL is the "minimum inter-interrupt interval ... specified in 256 ns increments";
  0 disables throttling (8254x SDM §13.4.18). RDTR delays the receive timer interrupt RXT0 by
  its value in 1.024 µs units and restarts "if a subsequent packet is received BEFORE the timer
  expires"; 0 means "immediate interrupt notification for each received packet"; writing FPD
  "initiates an immediate expiration" (§13.4.30). RADV, the absolute timer, starts with the
  first packet and is "NOT reinitialized / restarted each time a new packet is received";
  "Setting RADV to 0b or RDTR to 0b disables the Absolute Timer" (§3.2.7.1.2). TIDV delays
  TXDW for descriptors with RS and IDE, restarting like RDTR; TADV bounds it; a descriptor
  without IDE interrupts at once (§13.4.41, §13.4.44). Units: 1000 x 256 ns = 256 µs;
  100 x 1.024 µs = 102.4 µs; 150 x 1.024 µs = 153.6 µs. Mitigation can be switched off in the
  device's configuration, for the benchmark's comparison: all causes then interrupt at once.

  @e1000-sdm-13.4.18
  Scenario: ITR keeps 256 µs between interrupt assertions
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x00000080 to register IMS
    And the driver writes 0x000003E8 to register ITR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then IRQ 18 is asserted
    When the driver reads register ICR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then IRQ 18 is not asserted
    When 255 microseconds of virtual time pass
    Then IRQ 18 is not asserted
    When 1 microseconds of virtual time pass
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.18
  Scenario: With mitigation switched off ITR is not applied
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56 and interrupt mitigation off
    And the driver has brought up the 82540EM
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x00000080 to register IMS
    And the driver writes 0x000003E8 to register ITR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And the driver reads register ICR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.30 @e1000-sdm-3.2.7.1
  Scenario: RDTR delays RXT0 and restarts with every frame
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x00000080 to register IMS
    And the driver writes 0x00000064 to register RDTR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 102 microseconds of virtual time pass
    Then IRQ 18 is not asserted
    When 1 microseconds of virtual time pass
    Then IRQ 18 is asserted
    When the driver reads register ICR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 50 microseconds of virtual time pass
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 102 microseconds of virtual time pass
    Then IRQ 18 is not asserted
    When 1 microseconds of virtual time pass
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.31 @e1000-sdm-3.2.7.1.2
  Scenario: RADV bounds the delay however often RDTR restarts
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x00000080 to register IMS
    And the driver writes 0x00000064 to register RDTR
    And the driver writes 0x00000096 to register RADV
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 50 microseconds of virtual time pass
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 50 microseconds of virtual time pass
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 50 microseconds of virtual time pass
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    And 3 microseconds of virtual time pass
    Then IRQ 18 is not asserted
    When 1 microseconds of virtual time pass
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.30
  Scenario: Writing RDTR with FPD raises RXT0 at once
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a receive ring of 8 descriptors with RCTL 0x00008002 and RDT 7
    When the driver writes 0x00000080 to register IMS
    And the driver writes 0x00000064 to register RDTR
    And the network delivers a 64-byte frame to 52:54:00:12:34:56
    Then IRQ 18 is not asserted
    When the driver writes 0x80000064 to register RDTR
    Then IRQ 18 is asserted
    And register RDTR reads 0x00000064

  @e1000-sdm-13.4.41
  Scenario: TIDV delays TXDW for a descriptor with IDE; without IDE TXDW is immediate
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a transmit ring of 8 descriptors
    When the driver writes 0x00000001 to register IMS
    And the driver writes 0x00000064 to register TIDV
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x8B
    And the driver rings the transmit doorbell
    Then the e1000's link partner received 1 frame
    And transmit descriptor 0 is done
    And IRQ 18 is not asserted
    When 103 microseconds of virtual time pass
    Then IRQ 18 is asserted
    When the driver reads register ICR
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x0B
    And the driver rings the transmit doorbell
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.44
  Scenario: TADV bounds the transmit delay however often TIDV restarts
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a transmit ring of 8 descriptors
    When the driver writes 0x00000001 to register IMS
    And the driver writes 0x00000064 to register TIDV
    And the driver writes 0x00000096 to register TADV
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x8B
    And the driver rings the transmit doorbell
    And 50 microseconds of virtual time pass
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x8B
    And the driver rings the transmit doorbell
    And 50 microseconds of virtual time pass
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x8B
    And the driver rings the transmit doorbell
    And 53 microseconds of virtual time pass
    Then IRQ 18 is not asserted
    When 1 microseconds of virtual time pass
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.41
  Scenario: With mitigation switched off a descriptor with IDE interrupts at once
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56 and interrupt mitigation off
    And the driver has brought up the 82540EM
    And the driver has set up a transmit ring of 8 descriptors
    When the driver writes 0x00000001 to register IMS
    And the driver writes 0x00000064 to register TIDV
    And the driver queues a 60-byte frame to ff:ff:ff:ff:ff:ff in a legacy descriptor with command 0x8B
    And the driver rings the transmit doorbell
    Then IRQ 18 is asserted

  @e1000-sdm-13.4.18 @e1000-sdm-13.4.30
  Scenario: With ITR a burst of frames costs one interrupt where, without it, each frame costs one
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has brought up the 82540EM
    And the driver has set up a receive ring of 32 descriptors with RCTL 0x00008002 and RDT 31
    When the driver writes 0x00000080 to register IMS
    And the driver writes 0x000003E8 to register ITR
    And the device's counters are noted
    And the network delivers 20 64-byte frames to 52:54:00:12:34:56
    Then since then the device has asserted its interrupt 1 time
