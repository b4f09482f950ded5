@model
Feature: ioeventfds, the VM clock, KVM_ENABLE_CAP and dispatch by file kind (api.rst §4.29-4.30, §4.37, §4.59, §3)
  A guest write that matches an ioeventfd signals the eventfd inside the kernel and the vCPU
  keeps running: no KVM_EXIT_IO. Request codes are dispatched on the full code and the kind of
  file: the same number means different ioctls on a VM and a vCPU fd.

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And a vCPU with id 0 and its kvm_run area mapped
    And an eventfd called "kick"

  @kvm-api-4.59
  Scenario: A port write matching a PIO ioeventfd signals the eventfd without an exit
    # 0x1000: mov al, 7 ; out 0x90, al ; hlt
    Given "ram" holds the guest code "b0 07 e6 90 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_ioeventfd argument
    And the argument holds:
      | addr  | 0x90 |
      | len   | 1    |
      | flags | 2    |
    And userspace sets the argument's fd to the eventfd "kick"
    And userspace calls IOEVENTFD on the VM with the argument
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is HLT
    And reading the eventfd "kick" gives 1

  @kvm-api-4.59
  Scenario: With KVM_IOEVENTFD_FLAG_DATAMATCH only the matching value signals; others exit to userspace
    # 0x1000: mov al, 0x41 ; out 0x90, al ; mov al, 0x42 ; out 0x90, al ; hlt
    Given "ram" holds the guest code "b0 41 e6 90 b0 42 e6 90 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_ioeventfd argument
    And the argument holds:
      | addr      | 0x90 |
      | len       | 1    |
      | flags     | 3    |
      | datamatch | 0x42 |
    And userspace sets the argument's fd to the eventfd "kick"
    And userspace calls IOEVENTFD on the VM with the argument
    And userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x41
    And reading the eventfd "kick" gives 0
    When userspace runs the vCPU
    Then the exit reason is HLT
    And reading the eventfd "kick" gives 1

  @kvm-api-4.59 @kvm-api-5
  Scenario: An MMIO write to an ioeventfd address outside guest RAM signals it without KVM_EXIT_MMIO
    # 0x1000: mov ax, 0x2000 ; mov ds, ax ; mov word [0x0010], 0x1234 ; hlt   (guest-physical 0x20010)
    Given "ram" holds the guest code "b8 00 20 8e d8 c7 06 10 00 34 12 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_ioeventfd argument
    And the argument holds:
      | addr | 0x20010 |
      | len  | 2       |
    And userspace sets the argument's fd to the eventfd "kick"
    And userspace calls IOEVENTFD on the VM with the argument
    And userspace runs the vCPU
    Then the exit reason is HLT
    And reading the eventfd "kick" gives 1

  @kvm-api-4.59
  Scenario Outline: KVM_IOEVENTFD argument errors
    When userspace prepares a kvm_ioeventfd argument
    And the argument holds:
      | addr  | 0x90    |
      | len   | <len>   |
      | flags | <flags> |
    And userspace sets the argument's fd to the eventfd "kick"
    And userspace calls IOEVENTFD on the VM with the argument
    Then the ioctl fails with <errno>

    Examples: a length other than 0, 1, 2, 4, 8; an unknown flag; deassigning what was never assigned
      | len | flags | errno  |
      | 3   | 2     | EINVAL |
      | 1   | 0x100 | EINVAL |
      | 1   | 6     | ENOENT |

  @kvm-api-4.59
  Scenario: The same ioeventfd twice fails with EEXIST; a closed fd with EBADF
    When userspace prepares a kvm_ioeventfd argument
    And the argument holds:
      | addr  | 0x90 |
      | len   | 1    |
      | flags | 2    |
    And userspace sets the argument's fd to the eventfd "kick"
    And userspace calls IOEVENTFD on the VM with the argument
    And userspace calls IOEVENTFD on the VM with the argument
    Then the ioctl fails with EEXIST
    When userspace sets the argument's fd to 999
    And userspace calls IOEVENTFD on the VM with the argument
    Then the ioctl fails with EBADF

  @kvm-api-4.29 @kvm-api-4.30
  Scenario: KVM_SET_CLOCK sets the VM's clock; KVM_GET_CLOCK reads it back while no vCPU runs
    When userspace prepares a kvm_clock_data argument
    And userspace sets the argument's clock to 5000000000
    And userspace calls SET_CLOCK on the VM with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_clock_data argument
    And userspace calls GET_CLOCK on the VM with the argument
    Then the ioctl returns 0
    And the argument's clock is 5000000000

  @kvm-api-4.30
  Scenario: KVM_SET_CLOCK with an unknown flag fails with EINVAL
    When userspace prepares a kvm_clock_data argument
    And userspace sets the argument's flags to 0x100
    And userspace calls SET_CLOCK on the VM with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.30
  Scenario: Guest time continues from the clock userspace set
    # 0x1000: 32 x nop ; hlt
    Given "ram" holds the guest code "90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 90 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_clock_data argument
    And userspace sets the argument's clock to 1000000
    And userspace calls SET_CLOCK on the VM with the argument
    And userspace runs the vCPU
    Then the exit reason is HLT
    When userspace prepares a kvm_clock_data argument
    And userspace calls GET_CLOCK on the VM with the argument
    Then the argument's clock is at least 1000001

  @kvm-api-4.37
  Scenario Outline: KVM_ENABLE_CAP of a capability that cannot be enabled, or with flags, fails with EINVAL
    When userspace prepares a kvm_enable_cap argument
    And userspace sets the argument's cap to <cap>
    And userspace sets the argument's flags to <flags>
    And userspace calls ENABLE_CAP on <file> with the argument
    Then the ioctl fails with EINVAL

    Examples:
      | file     | cap | flags |
      | the VM   | 0   | 0     |
      | the vCPU | 0   | 0     |
      | the VM   | 0   | 1     |

  @kvm-api-3 @kvm-api-4.31 @kvm-api-4.72
  Scenario: nr 0x9F is KVM_GET_PIT2 on a VM fd and KVM_GET_VCPU_EVENTS on a vCPU fd; each is ENOTTY on the other
    When userspace prepares a kvm_vcpu_events argument
    And userspace calls GET_VCPU_EVENTS on the vCPU with the argument
    Then the ioctl returns 0
    When userspace calls GET_VCPU_EVENTS on the VM with the argument
    Then the ioctl fails with ENOTTY
    When userspace prepares a kvm_pit_state2 argument
    And userspace calls GET_PIT2 on the vCPU with the argument
    Then the ioctl fails with ENOTTY
    When userspace calls GET_PIT2 on the VM with the argument
    Then the ioctl fails with ENXIO

  @kvm-api-3 @kvm-api-4.4
  Scenario: KVM_CHECK_EXTENSION is one code for /dev/kvm and a VM fd, but no vCPU ioctl
    When userspace checks the extension CHECK_EXTENSION_VM on the VM
    Then the ioctl returns 1
    When userspace calls CHECK_EXTENSION on the vCPU with argument 1
    Then the ioctl fails with ENOTTY

  @kvm-api-3 @kvm-api-4.7
  Scenario: A VM ioctl on /dev/kvm fails with ENOTTY
    When userspace calls CREATE_VCPU on /dev/kvm with argument 0
    Then the ioctl fails with ENOTTY
