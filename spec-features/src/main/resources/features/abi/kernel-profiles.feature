@model
Feature: KVM capability profiles of the kernel releases
  A kernel release answers a set of ioctls (every other code is ENOTTY) and reports a set of
  KVM_CAP_* extensions through KVM_CHECK_EXTENSION. api.rst §3: the ABI is stable since 2.6.22,
  new features come as extensions. Releases: the journey 2.6.22 ... 2.6.26 and 6.1.

  @kvm-api-3 @kvm-api-4.4
  Scenario: Capability numbers are fixed
    Then the ABI constant KVM_CAP_IRQCHIP is 0
    And the ABI constant KVM_CAP_HLT is 1
    And the ABI constant KVM_CAP_USER_MEMORY is 3
    And the ABI constant KVM_CAP_PIT is 11
    And the ABI constant KVM_CAP_IRQ_ROUTING is 25
    And the ABI constant KVM_CAP_PIT2 is 33
    And the ABI constant KVM_CAP_READONLY_MEM is 81
    And the ABI constant KVM_CAP_SREGS2 is 200

  @kvm-api-3 @kvm-api-4.24
  Scenario: The in-kernel irqchip arrives in 2.6.24
    Then kernel 2.6.23 does not answer KVM_CREATE_IRQCHIP
    And kernel 2.6.23 does not report KVM_CAP_IRQCHIP
    And kernel 2.6.24 answers KVM_CREATE_IRQCHIP
    And kernel 2.6.24 answers KVM_SET_IRQCHIP
    And kernel 2.6.24 answers KVM_GET_LAPIC
    And kernel 2.6.24 reports KVM_CAP_IRQCHIP

  @kvm-api-3 @kvm-api-4.35 @kvm-api-4.6
  Scenario: User memory regions arrive in 2.6.25, the old memory ioctl is gone by 6.1
    Then kernel 2.6.24 answers KVM_SET_MEMORY_REGION
    And kernel 2.6.24 does not answer KVM_SET_USER_MEMORY_REGION
    And kernel 2.6.25 answers KVM_SET_USER_MEMORY_REGION
    And kernel 2.6.25 reports KVM_CAP_USER_MEMORY
    And kernel 6.1 does not answer KVM_SET_MEMORY_REGION
    And kernel 6.1 records the removal of KVM_SET_MEMORY_REGION

  @kvm-api-3 @kvm-api-4.71
  Scenario: The in-kernel PIT: KVM_CREATE_PIT in 2.6.26, KVM_CREATE_PIT2 later
    Then kernel 2.6.25 does not report KVM_CAP_PIT
    And kernel 2.6.26 reports KVM_CAP_PIT
    And kernel 2.6.26 answers KVM_CREATE_PIT
    And kernel 2.6.26 does not answer KVM_CREATE_PIT2
    And kernel 6.1 answers KVM_CREATE_PIT2
    And kernel 6.1 reports KVM_CAP_PIT2

  @kvm-api-3 @kvm-api-4.17 @kvm-api-4.87
  Scenario: KVM_DEBUG_GUEST gave way to KVM_SET_GUEST_DEBUG
    Then kernel 2.6.22 answers KVM_DEBUG_GUEST
    And kernel 6.1 does not answer KVM_DEBUG_GUEST
    And kernel 6.1 answers KVM_SET_GUEST_DEBUG
    And kernel 6.1 records the removal of KVM_DEBUG_GUEST

  @kvm-api-3
  Scenario: Old userspace keeps working: each release offers what the previous one did
    Then every kernel profile offers everything the one before it offered, except recorded removals

  @kvm-api-3
  Scenario Outline: Every ioctl of a release is announced by a capability it reports, or is basic
    Then every ioctl kernel <release> answers is announced by a capability it reports or is basic

    Examples:
      | release |
      | 2.6.22  |
      | 2.6.24  |
      | 2.6.25  |
      | 2.6.26  |
      | 6.1     |
