@model
Feature: Intel 82093AA I/O APIC and MSI messages
  Four processors (APIC IDs 0-3), software-enabled, and an I/O APIC at 0xFEC00000. Expected values
  are worked out by hand from the Intel 82093AA datasheet (order no. 290566): IOREGSEL/IOWIN
  (§3.1), IOAPICID bits 27:24 (§3.2.1), IOAPICVER 0x00170011 (§3.2.2), IOAPICARB loaded from the ID
  (§3.2.3) and the redirection entries (§3.2.4: vector 7:0, delivery mode 10:8, destination mode 11,
  delivery status 12, polarity 13, Remote IRR 14, trigger 15, mask 16, destination 63:56); and
  from the Intel SDM volume 3A §11.11 for MSI (address 0xFEE, destination 19:12, RH 3, DM 2; data
  vector 7:0, delivery mode 10:8, level 14, trigger 15). A redirection entry is written high
  dword first, then low dword.

  Background:
    Given a machine with 4 CPUs and local APICs
    And every local APIC is software-enabled with spurious vector 0xFF
    And an 82093AA I/O APIC at 0xFEC00000 on the APIC bus

  @ioapic-3.2.2
  Scenario: The version register reports version 0x11 and 24 entries
    Then I/O APIC register 0x01 reads 0x00170011

  @ioapic-3.2.1 @ioapic-3.2.3
  Scenario: The ID register keeps bits 27:24 and the arbitration register follows it
    Then I/O APIC register 0x00 reads 0x00000000
    When the guest writes 0xFF000000 to I/O APIC register 0x00
    Then I/O APIC register 0x00 reads 0x0F000000
    And I/O APIC register 0x02 reads 0x0F000000

  @ioapic-3.2.2 @ioapic-3.2.3
  Scenario: The version and arbitration registers are read-only
    When the guest writes 0x12345678 to I/O APIC register 0x01
    And the guest writes 0x12345678 to I/O APIC register 0x02
    Then I/O APIC register 0x01 reads 0x00170011
    And I/O APIC register 0x02 reads 0x00000000

  @ioapic-3.1
  Scenario: IOREGSEL keeps the register index and reads back
    When CPU 0 writes 0x3F to physical address 0xFEC00000
    Then CPU 0 reading physical address 0xFEC00000 gives 0x3F

  @ioapic-3.1
  Scenario: Registers that the datasheet does not define read all ones
    Then I/O APIC register 0x03 reads 0xFFFFFFFF
    And I/O APIC register 0x40 reads 0xFFFFFFFF

  @ioapic-3.2.4
  Scenario: Redirection entries come out of reset masked
    Then I/O APIC register 0x10 reads 0x00010000
    And I/O APIC register 0x11 reads 0x00000000
    And I/O APIC register 0x3E reads 0x00010000

  @ioapic-3.2.4
  Scenario: Delivery status and Remote IRR are read-only, reserved bits read 0
    When the guest writes 0xFFFFFFFF to I/O APIC register 0x13
    And the guest writes 0xFFFFFFFF to I/O APIC register 0x12
    Then I/O APIC register 0x12 reads 0x0001AFFF
    And I/O APIC register 0x13 reads 0xFF000000

  @ioapic-3.2.4
  Scenario: An edge-triggered fixed entry sends its vector to the physical destination
    When the guest routes I/O APIC pin 4 with low 0x00000031 and high 0x01000000
    And I/O APIC pin 4 is pulsed
    Then CPU 1 takes the interrupt with vector 0x31
    And CPU 0 has no interrupt to take
    And local APIC 1 register 0x190 reads 0x00000000

  @ioapic-3.2.4
  Scenario: An edge on a masked pin is lost, also after unmasking
    When the guest routes I/O APIC pin 5 with low 0x00010032 and high 0x00000000
    And I/O APIC pin 5 is pulsed
    And the guest routes I/O APIC pin 5 with low 0x00000032 and high 0x00000000
    Then CPU 0 has no interrupt to take

  @ioapic-3.2.4 @sdm-3A-11.8.5
  Scenario: A level-triggered entry sets Remote IRR until the EOI and sends again while asserted
    When the guest routes I/O APIC pin 10 with low 0x0000A033 and high 0x00000000
    And I/O APIC pin 10 is raised
    Then I/O APIC pin 10 has Remote IRR 1
    And I/O APIC register 0x24 reads 0x0000E033
    And local APIC 0 register 0x190 reads 0x00080000
    And CPU 0 takes the interrupt with vector 0x33
    When CPU 0 writes 0 to local APIC register 0xB0
    Then I/O APIC pin 10 has Remote IRR 1
    And CPU 0 takes the interrupt with vector 0x33
    When I/O APIC pin 10 is lowered
    And CPU 0 writes 0 to local APIC register 0xB0
    Then I/O APIC pin 10 has Remote IRR 0
    And CPU 0 has no interrupt to take

  @ioapic-3.2.4
  Scenario: Unmasking a level-triggered pin that is asserted sends it
    When the guest routes I/O APIC pin 11 with low 0x00018034 and high 0x02000000
    And I/O APIC pin 11 is raised
    Then CPU 2 has no interrupt to take
    When the guest routes I/O APIC pin 11 with low 0x00008034 and high 0x02000000
    Then CPU 2 takes the interrupt with vector 0x34

  @ioapic-3.2.4
  Scenario: A level interrupt that no APIC accepts leaves Remote IRR clear
    When CPU 3 writes 0x0FF to local APIC register 0xF0
    And the guest routes I/O APIC pin 12 with low 0x00008035 and high 0x03000000
    And I/O APIC pin 12 is raised
    Then I/O APIC pin 12 has Remote IRR 0

  @ioapic-3.2.4 @sdm-3A-11.6.2.2
  Scenario: A logical destination reaches every APIC whose LDR bit is named
    When CPU 1 writes 0x02000000 to local APIC register 0xD0
    And CPU 2 writes 0x04000000 to local APIC register 0xD0
    And the guest routes I/O APIC pin 6 with low 0x00000836 and high 0x06000000
    And I/O APIC pin 6 is pulsed
    Then CPU 1 takes the interrupt with vector 0x36
    And CPU 2 takes the interrupt with vector 0x36
    And CPU 3 has no interrupt to take

  @ioapic-3.2.4 @sdm-3A-11.6.2.4
  Scenario: A lowest-priority entry goes to one APIC, the one with the lowest priority
    When CPU 1 writes 0x02000000 to local APIC register 0xD0
    And CPU 2 writes 0x04000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 1 writes 0x30 to local APIC register 0x80
    And CPU 3 writes 0x20 to local APIC register 0x80
    And CPU 2 writes 0x50 to local APIC register 0x80
    And the guest routes I/O APIC pin 7 with low 0x00000937 and high 0x0E000000
    And I/O APIC pin 7 is pulsed
    Then CPU 3 takes the interrupt with vector 0x37
    And CPU 1 has no interrupt to take
    And CPU 2 has no interrupt to take

  @ioapic-3.2.4
  Scenario: NMI and INIT delivery modes ignore the vector
    When the guest routes I/O APIC pin 8 with low 0x000004FF and high 0x01000000
    And the guest routes I/O APIC pin 9 with low 0x00000500 and high 0x02000000
    And I/O APIC pin 8 is pulsed
    And I/O APIC pin 9 is pulsed
    Then CPU 1 has a pending NMI
    And CPU 1 has no interrupt to take
    And CPU 2 has a pending INIT

  @ioapic-3.2.4 @sdm-3A-11.5.1
  Scenario: ExtINT delivery: the vector comes from the 8259A's acknowledge cycle
    Given the PC's cascaded 8259A interrupt controllers
    And the PICs are initialised with vector bases 0x20 and 0x28
    And the PIC's INTR is wired to I/O APIC pin 0
    When the guest routes I/O APIC pin 0 with low 0x00000700 and high 0x00000000
    And the device pulses IRQ 3
    Then CPU 0 takes the interrupt with vector 0x23
    And the master PIC's ISR is 0x08

  @ioapic-3.2.4 @kvm-api-4.26 @kvm-api-4.27
  Scenario: Saving and restoring the kvm_ioapic_state layout is the identity
    When the guest writes 0x05000000 to I/O APIC register 0x00
    And the guest routes I/O APIC pin 10 with low 0x0000A033 and high 0x00000000
    And I/O APIC pin 10 is raised
    And the guest routes I/O APIC pin 3 with low 0x00000041 and high 0x03000000
    Then saving and restoring the I/O APIC changes nothing
    And I/O APIC pin 10 has Remote IRR 1

  @sdm-3A-11.11.1 @sdm-3A-11.11.2
  Scenario: An MSI in physical mode reaches the APIC named in address bits 19:12
    When a device writes MSI data 0x00000041 to address 0xFEE02000
    Then the APIC bus delivers a message to 1 local APIC
    And CPU 2 takes the interrupt with vector 0x41
    And CPU 0 has no interrupt to take

  @sdm-3A-11.11.1
  Scenario: An MSI in logical mode reaches every named APIC
    When CPU 1 writes 0x02000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And a device writes MSI data 0x00000042 to address 0xFEE0A004
    Then the APIC bus delivers a message to 2 local APICs
    And CPU 1 takes the interrupt with vector 0x42
    And CPU 3 takes the interrupt with vector 0x42

  @sdm-3A-11.11.1 @sdm-3A-11.11.2
  Scenario: A lowest-priority MSI is delivered to exactly one APIC
    When CPU 1 writes 0x02000000 to local APIC register 0xD0
    And CPU 3 writes 0x08000000 to local APIC register 0xD0
    And CPU 1 writes 0x60 to local APIC register 0x80
    And a device writes MSI data 0x00000143 to address 0xFEE0A00C
    Then the APIC bus delivers a message to 1 local APIC
    And CPU 3 takes the interrupt with vector 0x43

  @sdm-3A-11.11.2
  Scenario: An MSI with NMI delivery mode raises an NMI
    When a device writes MSI data 0x00000400 to address 0xFEE03000
    Then CPU 3 has a pending NMI

  @sdm-3A-11.11.1
  Scenario: A write outside the 0xFEExxxxx window is not an interrupt
    When a device writes MSI data 0x00000044 to address 0xFED02000
    Then the APIC bus delivers a message to 0 local APICs
    And CPU 2 has no interrupt to take
