@model
Feature: The 2.6.22 memory interface: KVM_SET_MEMORY_REGION and mmap of the VM fd (api.rst §4.6, §4.20, §4.4)
  Before KVM_SET_USER_MEMORY_REGION (2.6.25) the kernel allocated guest memory itself:
  KVM_SET_MEMORY_REGION creates a slot of zeroed memory, and userspace reaches it by mapping the VM
  file at offset = guest physical address. api.rst §4.6 records the ioctl as removed since; 6.1
  answers ENOTTY. The 2.6.22 CPUID interface is KVM_SET_CPUID (no subleaf index), and there are
  no capabilities to check yet.

  Background:
    Given a host running KVM from Linux 2.6.22
    And a VM

  @kvm-api-4.6
  Scenario: Kernel-allocated memory mapped through the VM fd is the guest's RAM
    # 0x1000: mov al, [0x2000] ; out 0x80, al ; mov byte [0x2001], 0x77 ; hlt
    When userspace sets kernel memory region slot 0 with flags 0 at guest 0x0 size 0x10000
    Then the ioctl returns 0
    When userspace maps 0x10000 bytes of the VM fd at offset 0x0 as "ram"
    And "ram" holds the guest code "a0 00 20 e6 80 c6 06 01 20 77 f4" at offset 0x1000
    And "ram" holds the guest code "3c" at offset 0x2000
    And a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x3C
    When userspace runs the vCPU
    Then the exit reason is HLT
    And the byte of "ram" at offset 0x2001 is 0x77

  @kvm-api-4.6 @kvm-api-4.8
  Scenario: A kernel-allocated slot with KVM_MEM_LOG_DIRTY_PAGES logs the pages the guest wrote
    # 0x1000: mov byte [0x5000], 1 ; hlt
    When userspace sets kernel memory region slot 0 with flags 1 at guest 0x0 size 0x10000
    And userspace maps 0x10000 bytes of the VM fd at offset 0x0 as "ram"
    And "ram" holds the guest code "c6 06 00 50 01 f4" at offset 0x1000
    And a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace runs the vCPU
    Then the exit reason is HLT
    When userspace reads the dirty log of slot 0
    Then the ioctl returns 0
    And the first dirty-log word is 0x20

  @kvm-api-4.6
  Scenario Outline: KVM_SET_MEMORY_REGION argument errors
    When userspace sets kernel memory region slot 0 with flags 0 at guest 0x0 size 0x10000
    And userspace sets kernel memory region slot <slot> with flags <flags> at guest <gpa> size <size>
    Then the ioctl fails with <errno>

    Examples: unaligned size or address, a slot beyond the slot count, an unknown flag, an overlap, resizing a slot
      | slot | flags | gpa     | size    | errno  |
      | 1    | 0     | 0x20000 | 0x1800  | EINVAL |
      | 1    | 0     | 0x20800 | 0x1000  | EINVAL |
      | 32   | 0     | 0x20000 | 0x1000  | EINVAL |
      | 1    | 2     | 0x20000 | 0x1000  | EINVAL |
      | 1    | 0     | 0x8000  | 0x10000 | EEXIST |
      | 0    | 0     | 0x0     | 0x20000 | EINVAL |

  @kvm-api-4.6
  Scenario: Mapping VM-fd offsets no slot covers is refused
    When userspace sets kernel memory region slot 0 with flags 0 at guest 0x0 size 0x10000
    And userspace maps 0x1000 bytes of the VM fd at offset 0x40000 as "nothing"
    Then the mmap fails with EINVAL

  @kvm-api-4.35
  Scenario: 2.6.22 has no KVM_SET_USER_MEMORY_REGION (ENOTTY)
    Given 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    Then the ioctl fails with ENOTTY

  @kvm-api-4.6
  Scenario: 6.1 removed KVM_SET_MEMORY_REGION (ENOTTY) and mmap of a VM fd (ENODEV)
    Given a host running KVM from Linux 6.1
    And a VM
    When userspace sets kernel memory region slot 0 with flags 0 at guest 0x0 size 0x10000
    Then the ioctl fails with ENOTTY
    When userspace maps 0x1000 bytes of the VM fd at offset 0x0 as "nothing"
    Then the mmap fails with ENODEV

  @kvm-api-4.20 @sdm-2-3.3
  Scenario: KVM_SET_CPUID (entries without subleaf index) decides what the guest's CPUID returns
    # 0x1000: xor ax, ax ; cpuid ; mov al, bl ; out 0x80, al ; hlt
    When userspace sets kernel memory region slot 0 with flags 0 at guest 0x0 size 0x10000
    And userspace maps 0x10000 bytes of the VM fd at offset 0x0 as "ram"
    And "ram" holds the guest code "31 c0 0f a2 88 d8 e6 80 f4" at offset 0x1000
    And a vCPU with id 0 and its kvm_run area mapped
    And the vCPU is in real mode at 0x0:0x1000
    And userspace prepares a kvm_cpuid argument with room for 1 entries
    And the argument holds:
      | nent                | 1          |
      | entries[0].function | 0          |
      | entries[0].eax      | 1          |
      | entries[0].ebx      | 0x756E6547 |
    And userspace calls SET_CPUID on the vCPU with the argument
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x47

  @kvm-api-4.20
  Scenario: 2.6.22 has no KVM_SET_CPUID2 (ENOTTY)
    Given a vCPU with id 0 and its kvm_run area mapped
    When userspace prepares a kvm_cpuid2 argument
    And userspace calls SET_CPUID2 on the vCPU with the argument
    Then the ioctl fails with ENOTTY

  @kvm-api-4.4
  Scenario Outline: 2.6.22 defines no capabilities: KVM_CHECK_EXTENSION answers 0
    When userspace checks the extension <capability>
    Then the ioctl returns 0

    Examples:
      | capability  |
      | IRQCHIP     |
      | HLT         |
      | USER_MEMORY |
