@model
Feature: Directed EOI with EOI-broadcast suppression and the version 0x20 I/O APIC EOI register
  A local APIC that reports bit 24 in its version register lets software set SVR bit 12 to suppress
  EOI broadcasts (Intel SDM volume 3A §11.8.5); software then ends a level-triggered interrupt at
  the I/O APIC itself by writing the vector to the EOI register at offset 0x40, which I/O(x)APICs of
  version 0x20 provide (the 82093AA of version 0x11 has no such register). Expected values are
  worked out by hand from those rules.

  @sdm-3A-11.8.5 @ioapic-3.2.4
  Scenario: With broadcasts suppressed, Remote IRR stays set until the directed EOI
    Given a machine with 2 CPUs whose local APICs support EOI-broadcast suppression
    And an I/O APIC of version 0x20 with the EOI register at 0xFEC00000 on the APIC bus
    When CPU 0 writes 0x11FF to local APIC register 0xF0
    Then local APIC 0 register 0x30 reads 0x01050014
    And local APIC 0 register 0xF0 reads 0x11FF
    And I/O APIC register 0x01 reads 0x00170020
    When the guest routes I/O APIC pin 10 with low 0x00008033 and high 0x00000000
    And I/O APIC pin 10 is raised
    Then CPU 0 takes the interrupt with vector 0x33
    When I/O APIC pin 10 is lowered
    And CPU 0 writes 0 to local APIC register 0xB0
    Then I/O APIC pin 10 has Remote IRR 1
    When CPU 0 writes 0x33 to physical address 0xFEC00040
    Then I/O APIC pin 10 has Remote IRR 0

  @sdm-3A-11.8.5
  Scenario: Without the feature SVR bit 12 cannot be set and the EOI is broadcast
    Given a machine with 2 CPUs and local APICs
    And an 82093AA I/O APIC at 0xFEC00000 on the APIC bus
    When CPU 0 writes 0x11FF to local APIC register 0xF0
    Then local APIC 0 register 0xF0 reads 0x1FF
    When the guest routes I/O APIC pin 10 with low 0x00008033 and high 0x00000000
    And I/O APIC pin 10 is raised
    Then CPU 0 takes the interrupt with vector 0x33
    When I/O APIC pin 10 is lowered
    And CPU 0 writes 0 to local APIC register 0xB0
    Then I/O APIC pin 10 has Remote IRR 0

  @ioapic-3.1
  Scenario: The 82093AA (version 0x11) has no EOI register
    Given a machine with 2 CPUs whose local APICs support EOI-broadcast suppression
    And an 82093AA I/O APIC at 0xFEC00000 on the APIC bus
    When CPU 0 writes 0x11FF to local APIC register 0xF0
    And the guest routes I/O APIC pin 10 with low 0x00008033 and high 0x00000000
    And I/O APIC pin 10 is raised
    Then CPU 0 takes the interrupt with vector 0x33
    When I/O APIC pin 10 is lowered
    And CPU 0 writes 0 to local APIC register 0xB0
    And CPU 0 writes 0x33 to physical address 0xFEC00040
    Then I/O APIC pin 10 has Remote IRR 1
