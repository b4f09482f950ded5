@model
Feature: Guest memory slots (api.rst §4.35 KVM_SET_USER_MEMORY_REGION, §4.8 KVM_GET_DIRTY_LOG)
  A slot maps page-aligned guest-physical memory onto process memory. Slots must not overlap;
  size 0 deletes a slot; flags are KVM_MEM_LOG_DIRTY_PAGES (1) and KVM_MEM_READONLY (2).

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 256 KiB of process memory called "ram"

  @kvm-api-4.35
  Scenario: A page-aligned region is accepted
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x40000 from "ram" plus 0
    Then the ioctl returns 0

  @kvm-api-4.35
  Scenario Outline: Misaligned or malformed regions fail with EINVAL
    When userspace sets memory region slot <slot> with flags <flags> at guest <gpa> size <size> from "ram" plus <offset>
    Then the ioctl fails with EINVAL

    Examples:
      | slot | flags | gpa    | size    | offset |
      | 0    | 0     | 0x1001 | 0x1000  | 0      |
      | 0    | 0     | 0x0    | 0x1800  | 0      |
      | 0    | 0     | 0x0    | 0x1000  | 0x10   |
      | 0    | 4     | 0x0    | 0x1000  | 0      |
      | 32   | 0     | 0x0    | 0x1000  | 0      |

  @kvm-api-4.35
  Scenario: A kernel address as userspace_addr fails with EINVAL
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x1000 from user address 0xffff800000000000
    Then the ioctl fails with EINVAL

  @kvm-api-4.35
  Scenario: Overlapping slots fail with EEXIST
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x20000 from "ram" plus 0
    And userspace sets memory region slot 1 with flags 0 at guest 0x10000 size 0x20000 from "ram" plus 0x20000
    Then the ioctl fails with EEXIST

  @kvm-api-4.35
  Scenario: Size 0 deletes a slot, after which its range may be reused
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x20000 from "ram" plus 0
    And userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x0 from "ram" plus 0
    And userspace sets memory region slot 1 with flags 0 at guest 0x0 size 0x20000 from "ram" plus 0x20000
    Then the ioctl returns 0

  @kvm-api-4.8
  Scenario: KVM_GET_DIRTY_LOG on a slot without dirty logging fails with ENOENT
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x40000 from "ram" plus 0
    And userspace reads the dirty log of slot 0
    Then the ioctl fails with ENOENT

  @kvm-api-4.8 @kvm-api-4.35
  Scenario: The dirty log records pages the guest wrote and is cleared by reading it
    # 0x1000: mov byte [0x3000], 1 ; hlt
    Given "ram" holds the guest code "c6 06 00 30 01 f4" at offset 0x1000
    When userspace sets memory region slot 0 with flags 1 at guest 0x0 size 0x40000 from "ram" plus 0
    And a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace runs the vCPU
    Then the exit reason is HLT
    When userspace reads the dirty log of slot 0
    Then the ioctl returns 0
    And the first dirty-log word is 0x8
    When userspace reads the dirty log of slot 0
    Then the first dirty-log word is 0x0

  @kvm-api-4.35 @kvm-api-5
  Scenario: A write to a read-only slot exits as MMIO, a read from it does not
    # 0x1000: mov ax, 0x1000 ; mov ds, ax ; mov bl, [0x0010] ; mov byte [0x0020], 0x99 ; hlt
    Given "ram" holds the guest code "b8 00 10 8e d8 8a 1e 10 00 c6 06 20 00 99 f4" at offset 0x1000
    And "ram" holds the guest code "77" at offset 0x20010
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And userspace sets memory region slot 1 with flags 2 at guest 0x10000 size 0x10000 from "ram" plus 0x20000
    And a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace runs the vCPU
    Then the exit reason is MMIO
    And kvm_run.mmio.phys_addr is 0x10020
    And kvm_run.mmio.is_write is 1
    And kvm_run.mmio.len is 1
    And kvm_run.mmio.data starts with 0x99
    And the vCPU register rbx is 0x77

  @kvm-api-4.35 @kvm-api-4.10
  Scenario: A slot over unmapped process memory is accepted; the guest touching it makes KVM_RUN fail with EFAULT
    # 0x1000: mov ax, 0x1000 ; mov ds, ax ; mov al, [0x0000] ; hlt
    Given "ram" holds the guest code "b8 00 10 8e d8 a0 00 00 f4" at offset 0x1000
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And userspace sets memory region slot 1 with flags 0 at guest 0x10000 size 0x10000 from user address 0x10000000
    Then the ioctl returns 0
    When a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace runs the vCPU
    Then the ioctl fails with EFAULT
