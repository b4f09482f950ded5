@model
Feature: VM-entry failures and internal errors (api.rst §5 KVM_EXIT_FAIL_ENTRY, KVM_EXIT_INTERNAL_ERROR; SDM 3C §26.3.1)
  At every KVM_RUN the processor checks the guest state before it enters the guest (SDM 3C
  §26.3.1, with "unrestricted guest" as KVM uses it). A failed check is a VM-entry failure with
  exit reason 33 (invalid guest state) and bit 31 set: KVM_RUN returns 0 with
  KVM_EXIT_FAIL_ENTRY and hardware_entry_failure_reason 0x80000021. KVM 6.1 rejects some
  inconsistent states already in KVM_SET_SREGS (EINVAL); the 2.6.2x releases took any state and
  left it to VM entry.

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And a vCPU with id 0 and its kvm_run area mapped
    And "ram" holds the guest code "f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000

  @kvm-api-5 @sdm-3C-26.3.1.1
  Scenario: CR0.PG without CR0.PE passes KVM_SET_SREGS in 6.1 but fails VM entry
    When userspace sets the vCPU special register cr0 to 0x80000010
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the ioctl returns 0
    And the exit reason is FAIL_ENTRY
    And kvm_run.fail_entry.hardware_entry_failure_reason is 0x80000021
    And kvm_run.fail_entry.cpu is 0

  @kvm-api-5 @sdm-3C-26.3.1.2
  Scenario: CS.L and CS.D both set in an IA-32e mode guest fail VM entry
    When userspace prepares a kvm_sregs argument
    And userspace calls GET_SREGS on the vCPU with the argument
    And the argument holds:
      | cr0    | 0x80000011 |
      | cr4    | 0x20       |
      | cr3    | 0x4000     |
      | efer   | 0x500      |
      | cs.l   | 1          |
      | cs.db  | 1          |
    And userspace calls SET_SREGS on the vCPU with the argument
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is FAIL_ENTRY
    And kvm_run.fail_entry.hardware_entry_failure_reason is 0x80000021

  @kvm-api-5 @sdm-3C-26.3.1.2
  Scenario Outline: Invalid segment state fails VM entry
    When userspace sets the vCPU special register <field> to <value>
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is FAIL_ENTRY
    And kvm_run.fail_entry.hardware_entry_failure_reason is 0x80000021

    Examples: an unusable CS, a not-present CS, CS not accessed, SS.DPL 3 in real mode, TR not a busy TSS, a TR selector in the LDT
      | field        | value |
      | cs.unusable  | 1     |
      | cs.present   | 0     |
      | cs.type      | 0xA   |
      | ss.dpl       | 3     |
      | tr.type      | 1     |
      | tr.selector  | 0x4   |

  @kvm-api-5 @sdm-3C-26.3.1.4
  Scenario Outline: Invalid RFLAGS fail VM entry
    When userspace sets the vCPU register rflags to <rflags>
    And userspace runs the vCPU
    Then the exit reason is FAIL_ENTRY
    And kvm_run.fail_entry.hardware_entry_failure_reason is 0x80000021

    Examples: RFLAGS.VM with CR0.PE = 0
      | rflags  |
      | 0x20002 |

  @kvm-api-5 @sdm-3C-26.3.1.5
  Scenario: Blocking by STI with RFLAGS.IF = 0 fails VM entry
    When userspace prepares a kvm_vcpu_events argument
    And userspace sets the argument's flags to 4
    And userspace sets the argument's interrupt.shadow to 2
    And userspace calls SET_VCPU_EVENTS on the vCPU with the argument
    And userspace runs the vCPU
    Then the exit reason is FAIL_ENTRY

  @kvm-api-5 @sdm-3C-26.3.1.2
  Scenario: A consistent 32-bit protected-mode state enters and runs
    When userspace prepares a kvm_sregs argument
    And userspace calls GET_SREGS on the vCPU with the argument
    And the argument holds:
      | cr0      | 0x11       |
      | cs.base  | 0          |
      | cs.limit | 0xFFFFFFFF |
      | cs.g     | 1          |
      | cs.db    | 1          |
      | cs.selector | 0x8     |
      | ss.limit | 0xFFFFFFFF |
      | ss.g     | 1          |
      | ss.db    | 1          |
      | ss.selector | 0x10    |
    And userspace calls SET_SREGS on the vCPU with the argument
    And userspace runs the vCPU
    Then the exit reason is HLT

  @kvm-api-5 @sdm-3C-26.3.1.1
  Scenario: On 2.6.24 KVM_SET_SREGS accepts EFER.LMA without paging; VM entry then fails
    Given a host running KVM from Linux 2.6.24
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace sets the vCPU special register efer to 0x500
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the ioctl returns 0
    And the exit reason is FAIL_ENTRY
    And kvm_run.fail_entry.hardware_entry_failure_reason is 0x80000021

  @kvm-api-5
  Scenario: Jumping to a guest-physical address without memory stops with KVM_EXIT_INTERNAL_ERROR (emulation)
    # 0x1000: jmp far 0x2000:0x0000 (guest-physical 0x20000, outside every slot)
    Given "ram" holds the guest code "ea 00 00 00 20" at offset 0x1000
    When userspace runs the vCPU
    Then the ioctl returns 0
    And the exit reason is INTERNAL_ERROR
    And kvm_run.internal.suberror is 1
