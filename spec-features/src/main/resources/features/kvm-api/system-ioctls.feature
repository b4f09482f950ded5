@model
Feature: /dev/kvm system ioctls (api.rst §4.1-4.5)
  Userspace opens /dev/kvm and talks to it with ioctls whose request codes and structs are
  those of linux/kvm.h. Expected values are the ones api.rst states.

  Background:
    Given a host running KVM from Linux 6.1
    And /dev/kvm is open

  @kvm-api-4.1
  Scenario: KVM_GET_API_VERSION returns 12, the stable API
    When userspace calls GET_API_VERSION on /dev/kvm
    Then the ioctl returns 12

  @kvm-api-4.2
  Scenario: KVM_CREATE_VM with machine type 0 returns a VM file descriptor
    When userspace calls CREATE_VM on /dev/kvm with argument 0
    Then the ioctl returns a file descriptor

  @kvm-api-4.2
  Scenario: KVM_CREATE_VM rejects machine types other than 0 on x86
    When userspace calls CREATE_VM on /dev/kvm with argument 1
    Then the ioctl fails with EINVAL

  @kvm-api-4.4
  Scenario Outline: KVM_CHECK_EXTENSION answers 0 for absent and a value for present capabilities
    When userspace checks the extension <capability>
    Then the ioctl returns <value>

    Examples:
      | capability     | value |
      | USER_MEMORY    | 1     |
      | NR_MEMSLOTS    | 32    |
      | MAX_VCPUS      | 255   |
      | COALESCED_MMIO | 2     |
      | IMMEDIATE_EXIT | 1     |
      | READONLY_MEM   | 1     |
      | S390_PSW       | 0     |
      | ARM_PSCI       | 0     |

  @kvm-api-4.5
  Scenario: KVM_GET_VCPU_MMAP_SIZE covers kvm_run, the PIO data page and the coalesced MMIO ring
    When userspace calls GET_VCPU_MMAP_SIZE on /dev/kvm
    Then the ioctl returns 12288

  @kvm-api-4.1 @kvm-api-3
  Scenario: An unknown request code fails with ENOTTY
    When userspace issues the request code 0xAEFF on /dev/kvm
    Then the ioctl fails with ENOTTY

  @kvm-api-4.10 @kvm-api-3
  Scenario: A vcpu ioctl sent to /dev/kvm fails with ENOTTY (dispatch is by file and request code)
    When userspace calls RUN on /dev/kvm
    Then the ioctl fails with ENOTTY

  @kvm-api-4.4
  Scenario: An old host (2.6.24) without user memory regions does not claim the capability
    Given a host running KVM from Linux 2.6.24
    And /dev/kvm is open
    When userspace checks the extension USER_MEMORY
    Then the ioctl returns 0
