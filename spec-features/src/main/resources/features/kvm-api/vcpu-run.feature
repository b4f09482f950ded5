@model
Feature: KVM_CREATE_VCPU and KVM_RUN exits (api.rst §4.7, §4.10, §5)
  A vCPU runs until something needs userspace; kvm_run says why. I/O and MMIO reads complete on
  the next KVM_RUN with the data userspace left in kvm_run. Guest programs are real-mode code,
  hand-assembled (the bytes are annotated with their instructions).

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And a vCPU with id 0 and its kvm_run area mapped

  @kvm-api-4.7
  Scenario: Two vCPUs with the same id fail with EEXIST
    When userspace calls CREATE_VCPU on the VM with argument 0
    Then the ioctl fails with EEXIST

  @kvm-api-4.7
  Scenario: A vCPU id at or above KVM_CAP_MAX_VCPUS fails with EINVAL
    When userspace calls CREATE_VCPU on the VM with argument 255
    Then the ioctl fails with EINVAL

  @kvm-api-4.13 @sdm-3A-9.1
  Scenario: A new vCPU starts in the processor's reset state (SDM 3A Table 9-1)
    Then the vCPU special register cs.selector is 0xF000
    And the vCPU special register cs.base is 0xFFFF0000
    And the vCPU special register cr0 is 0x60000010
    And the vCPU register rip is 0xFFF0
    And the vCPU register rflags is 0x2

  @kvm-api-4.10
  Scenario: KVM_RUN takes no argument
    When userspace calls RUN on the vCPU with argument 1
    Then the ioctl fails with EINVAL

  @kvm-api-4.10 @kvm-api-5
  Scenario: OUT exits with KVM_EXIT_IO and its data in the PIO page
    # 0x1000: mov al, 0x42 ; out 0x80, al ; hlt
    Given "ram" holds the guest code "b0 42 e6 80 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the ioctl returns 0
    And the exit reason is IO
    And kvm_run.io.direction is 1
    And kvm_run.io.size is 1
    And kvm_run.io.port is 0x80
    And kvm_run.io.count is 1
    And kvm_run.io.data_offset is 4096
    And the byte at the I/O data offset is 0x42
    When userspace runs the vCPU
    Then the exit reason is HLT

  @kvm-api-4.10 @kvm-api-5
  Scenario: IN exits with KVM_EXIT_IO and completes with the data userspace provides
    # 0x1000: in al, 0x71 ; mov [0x2000], al ; hlt
    Given "ram" holds the guest code "e4 71 a2 00 20 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is IO
    And kvm_run.io.direction is 0
    And kvm_run.io.port is 0x71
    When userspace writes 0x5A at the I/O data offset
    And userspace runs the vCPU
    Then the exit reason is HLT
    And the byte of "ram" at offset 0x2000 is 0x5A

  @kvm-api-4.10 @kvm-api-5
  Scenario: A read outside every slot exits with KVM_EXIT_MMIO and completes with mmio.data
    # 0x1000: mov ax, 0x1000 ; mov ds, ax ; mov al, [0x0010] ; mov bl, al ; hlt
    Given "ram" holds the guest code "b8 00 10 8e d8 a0 10 00 88 c3 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is MMIO
    And kvm_run.mmio.phys_addr is 0x10010
    And kvm_run.mmio.len is 1
    And kvm_run.mmio.is_write is 0
    When userspace writes 0xA7 into kvm_run.mmio.data
    And userspace runs the vCPU
    Then the exit reason is HLT
    And the vCPU register rbx is 0xA7

  @kvm-api-4.10 @kvm-api-5 @sdm-3A-6.15
  Scenario: A triple fault exits with KVM_EXIT_SHUTDOWN
    # 0x1000: lidt [0x1100] (limit 0) ; int 0x10  → #GP → #DF → shutdown
    Given "ram" holds the guest code "0f 01 1e 00 11 cd 10 f4" at offset 0x1000
    And "ram" holds the guest code "00 00 00 00 00 00" at offset 0x1100
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is SHUTDOWN

  @kvm-api-4.10 @kvm-api-5
  Scenario: immediate_exit makes KVM_RUN return EINTR at once (KVM_EXIT_INTR)
    Given "ram" holds the guest code "f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace sets kvm_run.immediate_exit to 1
    And userspace runs the vCPU
    Then the ioctl fails with EINTR
    And the exit reason is INTR
