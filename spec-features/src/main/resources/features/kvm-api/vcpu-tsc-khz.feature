@model
Feature: The guest TSC's frequency: KVM_SET_TSC_KHZ and KVM_GET_TSC_KHZ (api.rst §4.55, §4.56)
  Since 2.6.39 (KVM_CAP_TSC_CONTROL, KVM_CAP_GET_TSC_KHZ) userspace chooses the rate of a vCPU's
  time-stamp counter. KVM_SET_TSC_KHZ takes the frequency in kHz by value, as a u32 (Linux's
  kvm_arch_vcpu_ioctl truncates the argument); 0 stands for the host's TSC frequency; a rate the
  TSC multiplier cannot express (at or above kvm_caps.max_guest_tsc_khz, itself kept within a
  signed int) fails with EINVAL. KVM_GET_TSC_KHZ returns the frequency as the ioctl's value. The
  reference host's TSC runs at 1 GHz (1000000 kHz), one tick per virtual nanosecond.

  @kvm-api-4.56
  Scenario: A new vCPU's TSC runs at the host's frequency
    Given a host running KVM from Linux 6.1
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace checks the extension GET_TSC_KHZ
    Then the ioctl returns 1
    When userspace calls GET_TSC_KHZ on the vCPU
    Then the ioctl returns 1000000

  @kvm-api-4.55 @kvm-api-4.56
  Scenario: KVM_SET_TSC_KHZ sets the frequency KVM_GET_TSC_KHZ reports
    Given a host running KVM from Linux 6.1
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace checks the extension TSC_CONTROL
    Then the ioctl returns 1
    When userspace calls SET_TSC_KHZ on the vCPU with argument 2000000
    Then the ioctl returns 0
    When userspace calls GET_TSC_KHZ on the vCPU
    Then the ioctl returns 2000000

  @kvm-api-4.55 @kvm-api-4.56
  Scenario: Frequency 0 stands for the host's TSC frequency
    Given a host running KVM from Linux 6.1
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace calls SET_TSC_KHZ on the vCPU with argument 2000000
    And userspace calls SET_TSC_KHZ on the vCPU with argument 0
    Then the ioctl returns 0
    When userspace calls GET_TSC_KHZ on the vCPU
    Then the ioctl returns 1000000

  @kvm-api-4.55 @kvm-api-4.56
  Scenario Outline: The argument is a u32 below the largest frequency VMX's TSC multiplier can express
    # kvm_intel: a 64-bit multiplier with 48 fractional bits scales 1 GHz to about 65.5 THz, so the
    # kernel's signed-int cap decides: max_guest_tsc_khz = 0x7fffffff.
    Given a host running KVM from Linux 6.1
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace calls SET_TSC_KHZ on the vCPU with argument <argument>
    Then the ioctl <result>
    When userspace calls GET_TSC_KHZ on the vCPU
    Then the ioctl returns <frequency>

    Examples: the largest accepted, the first refused, the u32's top, 2^32 truncated to 0, 2^32 + 1
      | argument   | result            | frequency  |
      | 2147483646 | returns 0         | 2147483646 |
      | 2147483647 | fails with EINVAL | 1000000    |
      | 4294967295 | fails with EINVAL | 1000000    |
      | 4294967296 | returns 0         | 1000000    |
      | 4294967297 | returns 0         | 1          |

  @kvm-api-4.55
  Scenario Outline: With kvm_amd the TSC ratio's 8 integer bits cap the frequency at 256 times the host's
    # SVM's multiplier: 40 bits with 32 fractional bits, at most 2^40 - 1, so
    # max_guest_tsc_khz = (1000000 × (2^40 - 1)) >> 32 = 255999999.
    Given a host running KVM from Linux 6.1 on an AMD processor with nested paging
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace calls SET_TSC_KHZ on the vCPU with argument <argument>
    Then the ioctl <result>

    Examples:
      | argument  | result            |
      | 255999998 | returns 0         |
      | 255999999 | fails with EINVAL |

  @kvm-api-4.55 @kvm-api-4.56
  Scenario Outline: Before KVM_CAP_TSC_CONTROL the vCPU fd knows neither ioctl
    Given a host running KVM from Linux 2.6.26
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace calls <ioctl> on the vCPU with argument <argument>
    Then the ioctl fails with ENOTTY

    Examples:
      | ioctl       | argument |
      | SET_TSC_KHZ | 2000000  |
      | GET_TSC_KHZ | 0        |
