@model
Feature: The in-kernel irqchip and PIT (api.rst §4.24-4.27, §4.52, §4.71-4.73, §4.75, §4.16, §4.38)
  KVM_CREATE_IRQCHIP puts the 8259A pair, the I/O APIC and a local APIC per vCPU into the kernel;
  userspace then raises GSIs (KVM_IRQ_LINE, irqfds, MSIs) instead of injecting vectors, and reads
  or restores the chips' state with KVM_GET/SET_IRQCHIP.

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0

  @kvm-api-4.24
  Scenario: A second KVM_CREATE_IRQCHIP fails with EEXIST
    When userspace calls CREATE_IRQCHIP on the VM
    Then the ioctl returns 0
    When userspace calls CREATE_IRQCHIP on the VM
    Then the ioctl fails with EEXIST

  @kvm-api-4.24
  Scenario: KVM_CREATE_IRQCHIP after a vCPU exists fails with EINVAL
    When a vCPU with id 0 and its kvm_run area mapped
    And userspace calls CREATE_IRQCHIP on the VM
    Then the ioctl fails with EINVAL

  @kvm-api-4.25 @kvm-api-4.26
  Scenario: Without an in-kernel irqchip KVM_IRQ_LINE and KVM_GET_IRQCHIP fail with ENXIO
    When userspace prepares a kvm_irq_level argument
    And userspace sets the argument's irq to 4
    And userspace sets the argument's level to 1
    And userspace calls IRQ_LINE on the VM with the argument
    Then the ioctl fails with ENXIO
    When userspace prepares a kvm_irqchip argument
    And userspace calls GET_IRQCHIP on the VM with the argument
    Then the ioctl fails with ENXIO

  @kvm-api-4.25 @kvm-api-4.52
  Scenario: KVM_IRQ_LINE_STATUS reports delivery for a routed GSI and an error (< 0) for a GSI without route
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irq_level argument
    And userspace sets the argument's irq to 4
    And userspace sets the argument's level to 1
    And userspace calls IRQ_LINE_STATUS on the VM with the argument
    Then the ioctl returns 0
    And the argument's status is at least 1
    When userspace prepares a kvm_irq_level argument
    And userspace sets the argument's irq to 200
    And userspace sets the argument's level to 1
    And userspace calls IRQ_LINE_STATUS on the VM with the argument
    Then the ioctl returns 0
    And the argument's status is -1

  @kvm-api-4.26 @kvm-api-4.27 @i8259a-ocw1
  Scenario: A PIC mask set with KVM_SET_IRQCHIP is what the guest reads from port 21H, without an exit
    # 0x1000: in al, 0x21 ; out 0x80, al
    Given "ram" holds the guest code "e4 21 e6 80" at offset 0x1000
    When userspace calls CREATE_IRQCHIP on the VM
    And a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 0
    And userspace calls GET_IRQCHIP on the VM with the argument
    And userspace sets the argument's chip.pic.imr to 0xB7
    And userspace calls SET_IRQCHIP on the VM with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 0
    And userspace calls GET_IRQCHIP on the VM with the argument
    Then the argument's chip.pic.imr is 0xB7
    When userspace runs the vCPU
    Then the exit reason is IO
    And kvm_run.io.port is 0x80
    And the byte at the I/O data offset is 0xB7

  @kvm-api-4.26 @kvm-api-4.27 @ioapic-3.2.4
  Scenario: I/O APIC redirection entries round-trip through KVM_SET_IRQCHIP and KVM_GET_IRQCHIP
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 2
    And userspace calls GET_IRQCHIP on the VM with the argument
    And userspace sets the argument's chip.ioapic.redirtbl[3].bits to 0x0100000000000031
    And userspace calls SET_IRQCHIP on the VM with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 2
    And userspace calls GET_IRQCHIP on the VM with the argument
    Then the argument's chip.ioapic.redirtbl[3].bits is 0x0100000000000031

  @kvm-api-4.26
  Scenario: A chip_id other than 0, 1 or 2 fails with EINVAL
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 3
    And userspace calls GET_IRQCHIP on the VM with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.16
  Scenario: KVM_INTERRUPT with an in-kernel irqchip fails with ENXIO
    When userspace calls CREATE_IRQCHIP on the VM
    And a vCPU with id 0 and its kvm_run area mapped
    And userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 0x20
    And userspace calls INTERRUPT on the vCPU with the argument
    Then the ioctl fails with ENXIO

  @kvm-api-4.38 @kvm-api-4.39 @sdm-3A-9.4
  Scenario: With an in-kernel irqchip an application processor starts UNINITIALIZED and any state may be set
    When userspace calls CREATE_IRQCHIP on the VM
    And a vCPU with id 0 and its kvm_run area mapped
    And a vCPU with id 1 and its kvm_run area mapped
    And userspace prepares a kvm_mp_state argument
    And userspace calls GET_MP_STATE on the vCPU with the argument
    Then the argument's mp_state is 1
    When userspace sets the argument's mp_state to 3
    And userspace calls SET_MP_STATE on the vCPU with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_mp_state argument
    And userspace calls GET_MP_STATE on the vCPU with the argument
    Then the argument's mp_state is 3

  @kvm-api-4.71 @kvm-api-4.72 @kvm-api-4.73 @i8254-mode-2
  Scenario: KVM_CREATE_PIT2 once; KVM_SET_PIT2 channel state is read back by KVM_GET_PIT2
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_pit_config argument
    And userspace calls CREATE_PIT2 on the VM with the argument
    Then the ioctl returns 0
    When userspace calls CREATE_PIT2 on the VM with the argument
    Then the ioctl fails with EEXIST
    When userspace prepares a kvm_pit_state2 argument
    And userspace calls GET_PIT2 on the VM with the argument
    Then the ioctl returns 0
    When the argument holds:
      | channels[0].count   | 0x1234 |
      | channels[0].mode    | 2      |
      | channels[0].rw_mode | 3      |
    And userspace calls SET_PIT2 on the VM with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_pit_state2 argument
    And userspace calls GET_PIT2 on the VM with the argument
    Then the argument's channels[0].count is 0x1234
    And the argument's channels[0].mode is 2

  @kvm-api-4.72
  Scenario: KVM_GET_PIT2 without an in-kernel PIT fails with ENXIO
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_pit_state2 argument
    And userspace calls GET_PIT2 on the VM with the argument
    Then the ioctl fails with ENXIO

  @kvm-api-4.52
  Scenario Outline: KVM_SET_GSI_ROUTING rejects malformed tables with EINVAL
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irq_routing argument with room for 1 entries
    And the argument holds:
      | nr                           | 1         |
      | flags                        | <flags>   |
      | entries[0].gsi               | <gsi>     |
      | entries[0].type              | <type>    |
      | entries[0].u.irqchip.irqchip | <irqchip> |
      | entries[0].u.irqchip.pin     | <pin>     |
    And userspace calls SET_GSI_ROUTING on the VM with the argument
    Then the ioctl fails with EINVAL

    Examples: flags, an unknown routing type, a PIC pin above 7, an irqchip above 2, a GSI at KVM_MAX_IRQ_ROUTES
      | flags | gsi  | type | irqchip | pin |
      | 1     | 5    | 1    | 0       | 5   |
      | 0     | 5    | 9    | 0       | 5   |
      | 0     | 5    | 1    | 0       | 8   |
      | 0     | 5    | 1    | 3       | 5   |
      | 0     | 4096 | 1    | 0       | 5   |

  @kvm-api-4.52
  Scenario: More than KVM_MAX_IRQ_ROUTES (4096) entries fail with EINVAL
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irq_routing argument
    And userspace sets the argument's nr to 4097
    And userspace calls SET_GSI_ROUTING on the VM with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.52 @kvm-api-4.25
  Scenario: A GSI routed with KVM_SET_GSI_ROUTING can be raised; the default routes are replaced
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irq_routing argument with room for 1 entries
    And the argument holds:
      | nr                           | 1  |
      | entries[0].gsi               | 30 |
      | entries[0].type              | 1  |
      | entries[0].u.irqchip.irqchip | 2  |
      | entries[0].u.irqchip.pin     | 20 |
    And userspace calls SET_GSI_ROUTING on the VM with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_irq_level argument
    And userspace sets the argument's irq to 30
    And userspace sets the argument's level to 1
    And userspace calls IRQ_LINE_STATUS on the VM with the argument
    Then the argument's status is at least 1
    When userspace prepares a kvm_irq_level argument
    And userspace sets the argument's irq to 4
    And userspace sets the argument's level to 1
    And userspace calls IRQ_LINE_STATUS on the VM with the argument
    Then the argument's status is -1

  @kvm-api-4.71 @sdm-3A-11.11
  Scenario: KVM_SIGNAL_MSI returns 0 while the target local APIC is software-disabled, > 0 once enabled
    When userspace calls CREATE_IRQCHIP on the VM
    And a vCPU with id 0 and its kvm_run area mapped
    # vCPU 1, an application processor: its local APIC is software-disabled after reset (SVR = FFH)
    And a vCPU with id 1 and its kvm_run area mapped
    # MSI address FEE01000H: destination APIC ID 1 (SDM 3A §11.11.1)
    And userspace prepares a kvm_msi argument
    And userspace sets the argument's address_lo to 0xFEE01000
    And userspace sets the argument's data to 0x30
    And userspace calls SIGNAL_MSI on the VM with the argument
    Then the ioctl returns 0
    # SVR (offset F0H) = 1FFH: APIC software enable, spurious vector FFH (SDM 3A §11.9)
    When userspace prepares a kvm_lapic_state argument
    And userspace calls GET_LAPIC on the vCPU with the argument
    And userspace sets the argument's regs[240] to 0xFF
    And userspace sets the argument's regs[241] to 0x01
    And userspace calls SET_LAPIC on the vCPU with the argument
    And userspace prepares a kvm_msi argument
    And userspace sets the argument's address_lo to 0xFEE01000
    And userspace sets the argument's data to 0x30
    And userspace calls SIGNAL_MSI on the VM with the argument
    Then the ioctl returns a positive value
    # IRR bit 0x30: IRR register 1 (offset 210H), bit 16 -> byte 212H, bit 0
    When userspace prepares a kvm_lapic_state argument
    And userspace calls GET_LAPIC on the vCPU with the argument
    Then the argument's regs[530] is 1

  @kvm-api-4.71
  Scenario: KVM_SIGNAL_MSI without an in-kernel irqchip, or with unknown flags, fails with EINVAL
    When userspace prepares a kvm_msi argument
    And userspace sets the argument's address_lo to 0xFEE00000
    And userspace calls SIGNAL_MSI on the VM with the argument
    Then the ioctl fails with EINVAL
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace sets the argument's flags to 2
    And userspace calls SIGNAL_MSI on the VM with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.75 @kvm-api-4.52
  Scenario: Writing an irqfd's eventfd raises its GSI: an MSI route sets the vector in the local APIC's IRR
    Given an eventfd called "irq"
    When userspace calls CREATE_IRQCHIP on the VM
    And a vCPU with id 0 and its kvm_run area mapped
    And userspace prepares a kvm_lapic_state argument
    And userspace calls GET_LAPIC on the vCPU with the argument
    And userspace sets the argument's regs[240] to 0xFF
    And userspace sets the argument's regs[241] to 0x01
    And userspace calls SET_LAPIC on the vCPU with the argument
    And userspace prepares a kvm_irq_routing argument with room for 1 entries
    And the argument holds:
      | nr                          | 1          |
      | entries[0].gsi              | 40         |
      | entries[0].type             | 2          |
      | entries[0].u.msi.address_lo | 0xFEE00000 |
      | entries[0].u.msi.data       | 0x30       |
    And userspace calls SET_GSI_ROUTING on the VM with the argument
    And userspace prepares a kvm_irqfd argument
    And userspace sets the argument's fd to the eventfd "irq"
    And userspace sets the argument's gsi to 40
    And userspace calls IRQFD on the VM with the argument
    Then the ioctl returns 0
    When userspace writes 1 to the eventfd "irq"
    And userspace prepares a kvm_lapic_state argument
    And userspace calls GET_LAPIC on the vCPU with the argument
    Then the argument's regs[530] is 1

  @kvm-api-4.75
  Scenario: A resampling irqfd (KVM_IRQFD_FLAG_RESAMPLE) holds its GSI asserted until it is deassigned
    # kvm_ioapic_state.irr (bytes 16-19 of chip.dummy) shows the level of each I/O APIC input:
    # pin 10 is bit 2 of byte 17. No EOI happens here, so the resamplefd stays unsignalled.
    Given an eventfd called "irq"
    And an eventfd called "resample"
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irqfd argument
    And userspace sets the argument's fd to the eventfd "irq"
    And userspace sets the argument's gsi to 10
    And userspace sets the argument's flags to 2
    And userspace sets the argument's resamplefd to the eventfd "resample"
    And userspace calls IRQFD on the VM with the argument
    Then the ioctl returns 0
    When userspace writes 1 to the eventfd "irq"
    And userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 2
    And userspace calls GET_IRQCHIP on the VM with the argument
    Then the argument's chip.dummy[17] is 4
    And reading the eventfd "resample" gives 0
    # api.rst §4.75: the resample flag "need not be specified with KVM_IRQFD_FLAG_DEASSIGN"
    When userspace prepares a kvm_irqfd argument
    And userspace sets the argument's fd to the eventfd "irq"
    And userspace sets the argument's gsi to 10
    And userspace sets the argument's flags to 1
    And userspace calls IRQFD on the VM with the argument
    And userspace prepares a kvm_irqchip argument
    And userspace sets the argument's chip_id to 2
    And userspace calls GET_IRQCHIP on the VM with the argument
    Then the argument's chip.dummy[17] is 0

  @kvm-api-4.75
  Scenario: KVM_IRQFD errors: the same eventfd twice (EBUSY), unknown flags and a non-eventfd file (EINVAL)
    Given an eventfd called "irq"
    When userspace calls CREATE_IRQCHIP on the VM
    And userspace prepares a kvm_irqfd argument
    And userspace sets the argument's fd to the eventfd "irq"
    And userspace sets the argument's gsi to 4
    And userspace calls IRQFD on the VM with the argument
    And userspace calls IRQFD on the VM with the argument
    Then the ioctl fails with EBUSY
    When userspace sets the argument's flags to 4
    And userspace calls IRQFD on the VM with the argument
    Then the ioctl fails with EINVAL
    When userspace prepares a kvm_irqfd argument
    And userspace sets the argument's fd to 3
    And userspace calls IRQFD on the VM with the argument
    Then the ioctl fails with EINVAL
