@model
Feature: Injecting events and controlling a vCPU from userspace (api.rst §4.10, §4.15, §4.16, §4.31-4.32, §4.38-4.39, §4.64, §4.87)
  Without an in-kernel irqchip userspace delivers interrupts itself: KVM_INTERRUPT when kvm_run
  says the vCPU is ready, KVM_NMI, an interrupt window exit when it asked for one. Real-mode
  guests, hand-assembled; interrupt handlers are found through the real-mode IVT at 0 (SDM 3A §20.1.4).

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And a vCPU with id 0 and its kvm_run area mapped
    # IVT: vector 2 (NMI) -> 0000:3000, vector 0x20 -> 0000:2000
    And "ram" holds the guest code "00 30 00 00" at offset 0x8
    And "ram" holds the guest code "00 20 00 00" at offset 0x80
    # 0x2000: mov al, 0x99 ; out 0x80, al ; hlt       0x3000: mov al, 0x02 ; out 0x80, al ; hlt
    And "ram" holds the guest code "b0 99 e6 80 f4" at offset 0x2000
    And "ram" holds the guest code "b0 02 e6 80 f4" at offset 0x3000

  @kvm-api-4.16 @sdm-3A-6.8.1
  Scenario: KVM_INTERRUPT injects an external interrupt; the guest runs its handler
    # 0x1000: sti ; hlt
    Given "ram" holds the guest code "fb f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is HLT
    And kvm_run.ready_for_interrupt_injection is 1
    And kvm_run.if_flag is 1
    When userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 0x20
    And userspace calls INTERRUPT on the vCPU with the argument
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x99

  @kvm-api-4.16
  Scenario: A second KVM_INTERRUPT before the first was taken fails with EEXIST
    When userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 0x20
    And userspace calls INTERRUPT on the vCPU with the argument
    And userspace calls INTERRUPT on the vCPU with the argument
    Then the ioctl fails with EEXIST

  @kvm-api-4.16
  Scenario: A vector above 255 fails with EINVAL
    When userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 256
    And userspace calls INTERRUPT on the vCPU with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.64 @sdm-3A-6.7.1
  Scenario: KVM_NMI delivers an NMI even with interrupts disabled
    # 0x1000: cli ; hlt
    Given "ram" holds the guest code "fa f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is HLT
    And kvm_run.if_flag is 0
    When userspace calls NMI on the vCPU
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x02

  @kvm-api-4.10 @kvm-api-5 @sdm-3A-6.8.3
  Scenario: request_interrupt_window exits with KVM_EXIT_IRQ_WINDOW_OPEN once STI's shadow has passed
    # 0x1000: sti ; nop ; hlt   (IF = 0 at entry)
    Given "ram" holds the guest code "fb 90 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace sets kvm_run.request_interrupt_window to 1
    And userspace runs the vCPU
    Then the ioctl returns 0
    And the exit reason is IRQ_WINDOW_OPEN
    And kvm_run.ready_for_interrupt_injection is 1
    And kvm_run.if_flag is 1
    And the vCPU register rip is 0x1002
    When userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 0x20
    And userspace calls INTERRUPT on the vCPU with the argument
    And userspace sets kvm_run.request_interrupt_window to 0
    And userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x99

  @kvm-api-4.10 @kvm-api-5
  Scenario: With immediate_exit set, KVM_RUN first completes a pending IN, then returns EINTR
    # 0x1000: in al, 0x71 ; mov [0x2100], al ; hlt
    Given "ram" holds the guest code "e4 71 a2 00 21 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is IO
    When userspace writes 0x5A at the I/O data offset
    And userspace sets kvm_run.immediate_exit to 1
    And userspace runs the vCPU
    Then the ioctl fails with EINTR
    And the exit reason is INTR
    And the vCPU register rax is 0x5A
    And the vCPU register rip is 0x1002
    When userspace sets kvm_run.immediate_exit to 0
    And userspace runs the vCPU
    Then the exit reason is HLT
    And the byte of "ram" at offset 0x2100 is 0x5A

  @kvm-api-4.31 @kvm-api-4.32 @sdm-3A-6.7.1
  Scenario: An NMI made pending with KVM_SET_VCPU_EVENTS is delivered at the next entry
    Given "ram" holds the guest code "f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_vcpu_events argument
    And userspace calls GET_VCPU_EVENTS on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's nmi.pending is 0
    When userspace sets the argument's nmi.pending to 1
    And userspace sets the argument's flags to 1
    And userspace calls SET_VCPU_EVENTS on the vCPU with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_vcpu_events argument
    And userspace calls GET_VCPU_EVENTS on the vCPU with the argument
    Then the argument's nmi.pending is 1
    When userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x02
    When userspace prepares a kvm_vcpu_events argument
    And userspace calls GET_VCPU_EVENTS on the vCPU with the argument
    Then the argument's nmi.pending is 0
    And the argument's nmi.masked is 1

  @kvm-api-4.32
  Scenario: KVM_SET_VCPU_EVENTS with an unknown flag fails with EINVAL
    When userspace prepares a kvm_vcpu_events argument
    And userspace sets the argument's flags to 0x100
    And userspace calls SET_VCPU_EVENTS on the vCPU with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.32 @sdm-3A-6.8.3
  Scenario: An STI shadow set with KVM_SET_VCPU_EVENTS holds off a pending interrupt for one instruction
    # 0x1000: out 0x81, al ; hlt   (IF = 1, blocking by STI, vector 0x20 queued)
    Given "ram" holds the guest code "e6 81 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace sets the vCPU register rflags to 0x202
    And userspace prepares a kvm_vcpu_events argument
    And userspace sets the argument's flags to 4
    And userspace sets the argument's interrupt.shadow to 2
    And userspace calls SET_VCPU_EVENTS on the vCPU with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_vcpu_events argument
    And userspace calls GET_VCPU_EVENTS on the vCPU with the argument
    Then the argument's interrupt.shadow is 2
    When userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 0x20
    And userspace calls INTERRUPT on the vCPU with the argument
    And userspace runs the vCPU
    Then the exit reason is IO
    And kvm_run.io.port is 0x81
    When userspace runs the vCPU
    Then the exit reason is IO
    And kvm_run.io.port is 0x80
    And the byte at the I/O data offset is 0x99

  @kvm-api-4.38 @kvm-api-4.39
  Scenario: Without an in-kernel irqchip the vCPU is RUNNABLE and only RUNNABLE may be set
    When userspace prepares a kvm_mp_state argument
    And userspace calls GET_MP_STATE on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's mp_state is 0
    When userspace sets the argument's mp_state to 3
    And userspace calls SET_MP_STATE on the vCPU with the argument
    Then the ioctl fails with EINVAL
    When userspace sets the argument's mp_state to 0
    And userspace calls SET_MP_STATE on the vCPU with the argument
    Then the ioctl returns 0

  @kvm-api-4.15
  Scenario: KVM_TRANSLATE in real mode maps a linear address to the same physical address
    When userspace prepares a kvm_translation argument
    And userspace sets the argument's linear_address to 0x12345
    And userspace calls TRANSLATE on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's physical_address is 0x12345
    And the argument's valid is 1

  @kvm-api-4.15 @sdm-3A-4.3
  Scenario: KVM_TRANSLATE walks the guest's 32-bit page tables; an unmapped page is not valid
    # page directory at 0x4000: PDE 0 = 0x5003 (page table at 0x5000, present, writable)
    # page table at 0x5000: PTE 0x12 (offset 0x48) = 0x9003 (frame 0x9000, present, writable)
    Given "ram" holds the guest code "03 50 00 00" at offset 0x4000
    And "ram" holds the guest code "03 90 00 00" at offset 0x5048
    And the vCPU uses 32-bit paging with its page directory at 0x4000
    When userspace prepares a kvm_translation argument
    And userspace sets the argument's linear_address to 0x12345
    And userspace calls TRANSLATE on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's physical_address is 0x9345
    And the argument's valid is 1
    When userspace prepares a kvm_translation argument
    And userspace sets the argument's linear_address to 0x13000
    And userspace calls TRANSLATE on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's valid is 0
    And the argument's physical_address is 0xFFFFFFFFFFFFFFFF

  @kvm-api-4.87 @kvm-api-5
  Scenario: KVM_GUESTDBG_SINGLESTEP exits with KVM_EXIT_DEBUG after every instruction
    # 0x1000: mov al, 1 ; mov bl, 2 ; hlt
    Given "ram" holds the guest code "b0 01 b3 02 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_guest_debug argument
    And userspace sets the argument's control to 3
    And userspace calls SET_GUEST_DEBUG on the vCPU with the argument
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is DEBUG
    And kvm_run.debug.arch.exception is 1
    And kvm_run.debug.arch.pc is 0x1002
    And the vCPU register rax is 1
    When userspace runs the vCPU
    Then the exit reason is DEBUG
    And kvm_run.debug.arch.pc is 0x1004
    And the vCPU register rbx is 2
    When userspace prepares a kvm_guest_debug argument
    And userspace calls SET_GUEST_DEBUG on the vCPU with the argument
    And userspace runs the vCPU
    Then the exit reason is HLT
