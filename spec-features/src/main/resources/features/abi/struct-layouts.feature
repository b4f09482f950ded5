@model
Feature: KVM struct layouts on x86-64 (linux/kvm.h, API 12)
  Userspace and the kernel exchange structs byte for byte. Offsets follow the C rules of the
  x86-64 System V ABI; the expected values are worked out by hand from the header (and checked by
  abi-compat against gcc).

  @kvm-api-5
  Scenario: The kvm_run header
    Then the ABI struct kvm_run is 2352 bytes
    And the ABI field kvm_run.request_interrupt_window is at offset 0 with size 1
    And the ABI field kvm_run.immediate_exit is at offset 1 with size 1
    And the ABI field kvm_run.exit_reason is at offset 8 with size 4
    And the ABI field kvm_run.ready_for_interrupt_injection is at offset 12 with size 1
    And the ABI field kvm_run.if_flag is at offset 13 with size 1
    And the ABI field kvm_run.flags is at offset 14 with size 2
    And the ABI field kvm_run.cr8 is at offset 16 with size 8
    And the ABI field kvm_run.apic_base is at offset 24 with size 8

  @kvm-api-5
  Scenario: The KVM_EXIT_IO payload
    Then the ABI field kvm_run.io.direction is at offset 32 with size 1
    And the ABI field kvm_run.io.size is at offset 33 with size 1
    And the ABI field kvm_run.io.port is at offset 34 with size 2
    And the ABI field kvm_run.io.count is at offset 36 with size 4
    And the ABI field kvm_run.io.data_offset is at offset 40 with size 8
    And the ABI constant KVM_EXIT_IO is 2
    And the ABI constant KVM_EXIT_IO_IN is 0
    And the ABI constant KVM_EXIT_IO_OUT is 1
    And the ABI constant KVM_PIO_PAGE_OFFSET is 1

  @kvm-api-5
  Scenario: The KVM_EXIT_MMIO payload
    Then the ABI field kvm_run.mmio.phys_addr is at offset 32 with size 8
    And the ABI field kvm_run.mmio.data is at offset 40 with size 8
    And the ABI field kvm_run.mmio.len is at offset 48 with size 4
    And the ABI field kvm_run.mmio.is_write is at offset 52 with size 1
    And the ABI constant KVM_EXIT_MMIO is 6

  @kvm-api-5
  Scenario: The failure, internal-error, system-event and debug payloads share the union
    Then the ABI field kvm_run.hw.hardware_exit_reason is at offset 32 with size 8
    And the ABI field kvm_run.fail_entry.hardware_entry_failure_reason is at offset 32 with size 8
    And the ABI field kvm_run.fail_entry.cpu is at offset 40 with size 4
    And the ABI field kvm_run.internal.suberror is at offset 32 with size 4
    And the ABI field kvm_run.internal.ndata is at offset 36 with size 4
    And the ABI field kvm_run.internal.data is at offset 40 with size 128
    And the ABI field kvm_run.system_event.type is at offset 32 with size 4
    And the ABI field kvm_run.system_event.data is at offset 40 with size 128
    And the ABI field kvm_run.debug.arch is at offset 32 with size 32
    And the ABI constant KVM_EXIT_SHUTDOWN is 8
    And the ABI constant KVM_EXIT_FAIL_ENTRY is 9
    And the ABI constant KVM_EXIT_INTERNAL_ERROR is 17
    And the ABI constant KVM_INTERNAL_ERROR_EMULATION is 1
    And the ABI constant KVM_EXIT_SYSTEM_EVENT is 24
    And the ABI constant KVM_SYSTEM_EVENT_RESET is 2

  @kvm-api-5 @kvm-api-6.74
  Scenario: The synchronised register area follows the 256-byte exit union
    Then the ABI field kvm_run.padding is at offset 32 with size 256
    And the ABI field kvm_run.kvm_valid_regs is at offset 288 with size 8
    And the ABI field kvm_run.kvm_dirty_regs is at offset 296 with size 8
    And the ABI field kvm_run.s.regs is at offset 304 with size 520
    And the ABI field kvm_run.s.regs.regs.rip is at offset 432 with size 8

  @kvm-api-4.11 @kvm-api-4.13 @kvm-api-4.131 @kvm-api-4.22
  Scenario: Register structs
    Then the ABI struct kvm_regs is 144 bytes
    And the ABI field kvm_regs.rip is at offset 128 with size 8
    And the ABI field kvm_regs.rflags is at offset 136 with size 8
    And the ABI struct kvm_segment is 24 bytes
    And the ABI field kvm_segment.selector is at offset 12 with size 2
    And the ABI struct kvm_dtable is 16 bytes
    And the ABI struct kvm_sregs is 312 bytes
    And the ABI field kvm_sregs.gdt is at offset 192 with size 16
    And the ABI field kvm_sregs.cr0 is at offset 224 with size 8
    And the ABI field kvm_sregs.interrupt_bitmap is at offset 280 with size 32
    And the ABI struct kvm_sregs2 is 320 bytes
    And the ABI field kvm_sregs2.pdptrs is at offset 288 with size 32
    And the ABI struct kvm_fpu is 416 bytes
    And the ABI field kvm_fpu.mxcsr is at offset 408 with size 4

  @kvm-api-4.35 @kvm-api-4.25 @kvm-api-4.72 @kvm-api-4.57 @kvm-api-4.46 @kvm-api-4.18
  Scenario: Memory, interrupt, timer, APIC, CPUID and MSR structs
    Then the ABI struct kvm_userspace_memory_region is 32 bytes
    And the ABI field kvm_userspace_memory_region.userspace_addr is at offset 24 with size 8
    And the ABI constant KVM_MEM_LOG_DIRTY_PAGES is 1
    And the ABI constant KVM_MEM_READONLY is 2
    And the ABI struct kvm_irq_level is 8 bytes
    And the ABI field kvm_irq_level.status is at offset 0 with size 4
    And the ABI field kvm_irq_level.level is at offset 4 with size 4
    And the ABI struct kvm_pit_channel_state is 24 bytes
    And the ABI struct kvm_pit_state2 is 112 bytes
    And the ABI field kvm_pit_state2.flags is at offset 72 with size 4
    And the ABI struct kvm_lapic_state is 1024 bytes
    And the ABI struct kvm_cpuid_entry2 is 40 bytes
    And the ABI field kvm_cpuid2.entries is at offset 8 with size 0
    And the ABI struct kvm_msr_entry is 16 bytes

  @kvm-api-4.31 @kvm-api-4.29 @kvm-api-4.75 @kvm-api-4.59 @kvm-api-4.26
  Scenario: vCPU events, clock, irqfd, ioeventfd and irqchip structs
    Then the ABI struct kvm_vcpu_events is 64 bytes
    And the ABI field kvm_vcpu_events.sipi_vector is at offset 16 with size 4
    And the ABI field kvm_vcpu_events.exception_payload is at offset 56 with size 8
    And the ABI struct kvm_clock_data is 48 bytes
    And the ABI struct kvm_irqfd is 32 bytes
    And the ABI struct kvm_ioeventfd is 64 bytes
    And the ABI field kvm_ioeventfd.flags is at offset 24 with size 4
    And the ABI struct kvm_irqchip is 520 bytes
    And the ABI field kvm_irqchip.chip is at offset 8 with size 512
    And the ABI struct kvm_ioapic_state is 216 bytes

  @kvm-api-5
  Scenario: An IO exit written field by field is the right bytes of kvm_run
    Given an ABI view of a zeroed struct kvm_run
    When the ABI field exit_reason is set to 2
    And the ABI field io.direction is set to 1
    And the ABI field io.size is set to 1
    And the ABI field io.port is set to 0x3F8
    And the ABI field io.count is set to 1
    And the ABI field io.data_offset is set to 4096
    Then byte 8 of the ABI view is 0x02
    And byte 32 of the ABI view is 0x01
    And byte 33 of the ABI view is 0x01
    And byte 34 of the ABI view is 0xF8
    And byte 35 of the ABI view is 0x03
    And byte 36 of the ABI view is 0x01
    And byte 41 of the ABI view is 0x10
    And the ABI view has exactly 7 non-zero bytes
    And the ABI field mmio.phys_addr reads 0x0000000103F80101

  @kvm-api-4.26
  Scenario: An I/O APIC redirection entry's bit-fields are the bits of its 64-bit word
    Given an ABI view of a zeroed struct kvm_ioapic_state
    When the ABI field redirtbl[2].fields.vector is set to 0x30
    And the ABI field redirtbl[2].fields.mask is set to 1
    And the ABI field redirtbl[2].fields.dest_id is set to 0x0F
    Then the ABI field redirtbl[2].bits reads 0x0F00000000010030
