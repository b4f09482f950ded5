@model
Feature: GSI routing of the PC interrupt controllers (KVM_IRQ_LINE, KVM_SET_GSI_ROUTING)
  The 8259A pair, the I/O APIC and the local APICs wired as on the PC, with the 8259A's INTR on
  every LINT0. A global system interrupt fans out to its routes: KVM's default table sends GSI
  0-15 to the 8259A pin of that ISA IRQ and to the I/O APIC pin of the same number; the table
  QEMU installs for an ACPI interrupt source override sends ISA IRQ 0 to I/O APIC pin 2. Several
  sources on one GSI are ORed, as KVM's per-source IRQ states are; an MSI route sends on the
  rising level. Expected results are worked out by hand from the KVM API documentation (§4.25
  KVM_IRQ_LINE, §4.52 KVM_SET_GSI_ROUTING) and the 82093AA and 8259A datasheets.

  @kvm-api-4.25 @ioapic-3.2.4 @i8259a-edge-level
  Scenario: With KVM's default routing, GSI 4 reaches 8259A IRQ 4 and I/O APIC pin 4
    Given the PC interrupt controllers with 2 CPUs and KVM's default GSI routing
    And every local APIC is software-enabled with spurious vector 0xFF
    And the PICs are initialised with vector bases 0x20 and 0x28
    When the guest routes I/O APIC pin 4 with low 0x00000034 and high 0x01000000
    And source 0 drives GSI 4 high
    Then CPU 1 takes the interrupt with vector 0x34
    And the master PIC's IRR is 0x10
    And I/O APIC pin 4 input is high

  @kvm-api-4.52 @ioapic-3.2.4
  Scenario: With the ISA IRQ 0 override, GSI 0 reaches I/O APIC pin 2, not pin 0
    Given the PC interrupt controllers with 1 CPU and the ISA IRQ 0 override routing
    And every local APIC is software-enabled with spurious vector 0xFF
    When the guest routes I/O APIC pin 2 with low 0x00000030 and high 0x00000000
    And the guest routes I/O APIC pin 0 with low 0x00000031 and high 0x00000000
    And source 0 drives GSI 0 high
    And source 0 drives GSI 0 low
    Then CPU 0 takes the interrupt with vector 0x30
    And CPU 0 has no interrupt to take
    And I/O APIC pin 0 input is low

  @kvm-api-4.25 @ioapic-3.2.4
  Scenario: Two sources on one level-triggered GSI: the pin stays asserted until both let go
    Given the PC interrupt controllers with 1 CPU and KVM's default GSI routing
    And every local APIC is software-enabled with spurious vector 0xFF
    When the guest routes I/O APIC pin 17 with low 0x0000A041 and high 0x00000000
    And source 1 drives GSI 17 high
    And source 2 drives GSI 17 high
    And source 1 drives GSI 17 low
    Then I/O APIC pin 17 input is high
    And CPU 0 takes the interrupt with vector 0x41
    When CPU 0 writes 0 to local APIC register 0xB0
    Then CPU 0 takes the interrupt with vector 0x41
    When source 2 drives GSI 17 low
    And CPU 0 writes 0 to local APIC register 0xB0
    Then I/O APIC pin 17 input is low
    And CPU 0 has no interrupt to take

  @kvm-api-4.52 @sdm-3A-11.11.1
  Scenario: An MSI route sends its message when the GSI rises
    Given the PC interrupt controllers with 2 CPUs and KVM's default GSI routing
    And every local APIC is software-enabled with spurious vector 0xFF
    When GSI 30 is also routed to an MSI with address 0xFEE01000 and data 0x00000045
    And source 0 drives GSI 30 high
    Then CPU 1 takes the interrupt with vector 0x45
    When source 0 drives GSI 30 high
    Then CPU 1 has no interrupt to take

  @kvm-api-4.25 @sdm-3A-11.5.1 @i8259a-interrupt-sequence
  Scenario: The 8259A reaches the bootstrap processor through LINT0 in virtual wire mode
    Given the PC interrupt controllers with 2 CPUs and KVM's default GSI routing
    And every local APIC is software-enabled with spurious vector 0xFF
    And the PICs are initialised with vector bases 0x08 and 0x70
    When CPU 0 writes 0x00000700 to local APIC register 0x350
    And source 0 drives GSI 1 high
    Then CPU 0 takes the interrupt with vector 0x09
    And CPU 1 has no interrupt to take
