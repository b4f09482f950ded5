@model
Feature: Variable-length system ioctls: KVM_GET_MSR_INDEX_LIST and KVM_GET_SUPPORTED_CPUID (api.rst §4.3, §4.46)
  Userspace passes a header with the capacity of the array that follows. api.rst §4.3: a too
  small kvm_msr_list fails with E2BIG and nmsrs tells how many are needed. api.rst §4.46: a too
  small kvm_cpuid2 fails with E2BIG (6.1 copies nothing back, so callers retry with a larger
  array); a large enough one has nent adjusted to the number of entries filled.

  Background:
    Given a host running KVM from Linux 6.1
    And /dev/kvm is open

  @kvm-api-4.3
  Scenario: A kvm_msr_list with no room fails with E2BIG and reports the number of MSRs
    When userspace prepares a kvm_msr_list argument
    And userspace calls GET_MSR_INDEX_LIST on /dev/kvm with the argument
    Then the ioctl fails with E2BIG
    And the argument's nmsrs is not 0

  @kvm-api-4.3
  Scenario: With room for the reported count the list is filled; the second call succeeds
    When userspace prepares a kvm_msr_list argument
    And userspace calls GET_MSR_INDEX_LIST on /dev/kvm with the argument
    And userspace prepares the argument again with room for its nmsrs entries
    And userspace calls GET_MSR_INDEX_LIST on /dev/kvm with the argument
    Then the ioctl returns 0
    And the argument's nmsrs is not 0

  @kvm-api-4.3
  Scenario: The list names the MSRs KVM_GET_MSRS saves, among them IA32_EFER (C000_0080H)
    When userspace prepares a kvm_msr_list argument with room for 64 entries
    And userspace sets the argument's nmsrs to 64
    And userspace calls GET_MSR_INDEX_LIST on /dev/kvm with the argument
    Then the ioctl returns 0
    And the argument's first 64 indices include 0xC0000080
    And the argument's first 64 indices include 0x174

  @kvm-api-4.46
  Scenario: A kvm_cpuid2 with room for one entry fails with E2BIG and nothing is copied back
    When userspace prepares a kvm_cpuid2 argument with room for 1 entries
    And userspace sets the argument's nent to 1
    And userspace calls GET_SUPPORTED_CPUID on /dev/kvm with the argument
    Then the ioctl fails with E2BIG
    And the argument's nent is 1

  @kvm-api-4.46
  Scenario: A kvm_cpuid2 with nent 0 fails with E2BIG
    When userspace prepares a kvm_cpuid2 argument
    And userspace calls GET_SUPPORTED_CPUID on /dev/kvm with the argument
    Then the ioctl fails with E2BIG

  @kvm-api-4.46 @sdm-2-3.3
  Scenario: A large enough kvm_cpuid2 is filled, nent adjusted; leaf 0 comes first with the highest basic leaf in EAX
    When userspace prepares a kvm_cpuid2 argument with room for 100 entries
    And userspace sets the argument's nent to 100
    And userspace calls GET_SUPPORTED_CPUID on /dev/kvm with the argument
    Then the ioctl returns 0
    And the argument's nent is not 100
    And the argument's nent is not 0
    And the argument's entries[0].function is 0
    And the argument's entries[0].eax is at least 1

  @kvm-api-4.46
  Scenario: Before 2.6.25 there is no KVM_GET_SUPPORTED_CPUID (ENOTTY)
    Given a host running KVM from Linux 2.6.24
    And /dev/kvm is open
    When userspace prepares a kvm_cpuid2 argument with room for 100 entries
    And userspace sets the argument's nent to 100
    And userspace calls GET_SUPPORTED_CPUID on /dev/kvm with the argument
    Then the ioctl fails with ENOTTY
