@model
Feature: KVM ioctl request codes (linux/kvm.h, API 12, x86-64)
  Every KVM ioctl is a request code built by <asm-generic/ioctl.h>: number in bits 0-7, the
  type KVMIO = 0xAE in bits 8-15, sizeof the argument in bits 16-29 and the direction in bits
  30-31 (_IOW = 1, _IOR = 2, _IOWR = 3). The expected codes below are worked out by hand from the
  header's declarations and struct sizes; abi-compat checks every code against gcc on the real
  header.

  @kvm-api-4.1
  Scenario: KVM_GET_API_VERSION is _IO(KVMIO, 0x00) and the API version is 12
    Then the ABI request code of KVM_GET_API_VERSION is 0xAE00
    And the ABI constant KVM_API_VERSION is 12

  @kvm-api-4.2 @kvm-api-4.4 @kvm-api-4.5 @kvm-api-4.7
  Scenario: The fd-creating and query ioctls take their argument by value
    Then the ABI request code of KVM_CREATE_VM is 0xAE01
    And the ABI request code of KVM_CHECK_EXTENSION is 0xAE03
    And the ABI request code of KVM_GET_VCPU_MMAP_SIZE is 0xAE04
    And the ABI request code of KVM_CREATE_VCPU is 0xAE41

  @kvm-api-4.10
  Scenario: KVM_RUN is _IO(KVMIO, 0x80) and only a vCPU fd knows it
    Then the ABI request code of KVM_RUN is 0xAE80
    And the ABI constant KVM_RUN is 44672
    And on a vcpu fd the ABI request code 0xAE80 means KVM_RUN
    And on a vm fd the ABI request code 0xAE80 is unknown
    And on a system fd the ABI request code 0xAE80 is unknown

  @kvm-api-4.4
  Scenario: KVM_CHECK_EXTENSION is the same code on the system fd and on a VM fd
    Then on a system fd the ABI request code 0xAE03 means KVM_CHECK_EXTENSION
    And on a vm fd the ABI request code 0xAE03 means KVM_CHECK_EXTENSION
    And on a vcpu fd the ABI request code 0xAE03 is unknown

  @kvm-api-4.11 @kvm-api-4.12 @kvm-api-4.13 @kvm-api-4.14
  Scenario: Register ioctls carry sizeof kvm_regs (144) and kvm_sregs (312)
    Then the ABI request KVM_GET_REGS is _IOR with number 0x81 and a 144-byte argument
    And the ABI request code of KVM_GET_REGS is 0x8090AE81
    And the ABI request code of KVM_SET_REGS is 0x4090AE82
    And the ABI request code of KVM_GET_SREGS is 0x8138AE83
    And the ABI request code of KVM_SET_SREGS is 0x4138AE84

  @kvm-api-4.131 @kvm-api-4.132
  Scenario: KVM_GET_SREGS2 and KVM_SET_SREGS2 carry sizeof kvm_sregs2 (320)
    Then the ABI request code of KVM_GET_SREGS2 is 0x8140AECC
    And the ABI request code of KVM_SET_SREGS2 is 0x4140AECD

  @kvm-api-4.35
  Scenario: KVM_SET_USER_MEMORY_REGION is _IOW with a 32-byte region
    Then the ABI request KVM_SET_USER_MEMORY_REGION is _IOW with number 0x46 and a 32-byte argument
    And the ABI request code of KVM_SET_USER_MEMORY_REGION is 0x4020AE46

  @kvm-api-4.27
  Scenario: KVM_SET_IRQCHIP is declared _IOR although userspace supplies the state
    Then the ABI request KVM_SET_IRQCHIP is _IOR with number 0x63 and a 520-byte argument
    And the ABI request code of KVM_SET_IRQCHIP is 0x8208AE63
    And the ABI request KVM_GET_IRQCHIP is _IOWR with number 0x62 and a 520-byte argument

  @kvm-api-4.72 @kvm-api-4.31
  Scenario: Number 0x9F is KVM_GET_PIT2 on a VM fd and KVM_GET_VCPU_EVENTS on a vCPU fd
    Then the ABI request code of KVM_GET_PIT2 is 0x8070AE9F
    And the ABI request code of KVM_GET_VCPU_EVENTS is 0x8040AE9F
    And on a vm fd the ABI request code 0x8070AE9F means KVM_GET_PIT2
    And on a vcpu fd the ABI request code 0x8070AE9F is unknown
    And on a vcpu fd the ABI request code 0x8040AE9F means KVM_GET_VCPU_EVENTS

  @kvm-api-4.25 @kvm-api-4.116
  Scenario: Number 0x67 is both KVM_IRQ_LINE_STATUS and KVM_REGISTER_COALESCED_MMIO on a VM fd
    Then the ABI request code of KVM_IRQ_LINE_STATUS is 0xC008AE67
    And the ABI request code of KVM_REGISTER_COALESCED_MMIO is 0x4010AE67
    And on a vm fd the ABI request code 0xC008AE67 means KVM_IRQ_LINE_STATUS
    And on a vm fd the ABI request code 0x4010AE67 means KVM_REGISTER_COALESCED_MMIO
    And the ABI request code of KVM_IRQ_LINE is 0x4008AE61

  @kvm-api-4.24 @kvm-api-4.71 @kvm-api-4.73 @kvm-api-4.52 @kvm-api-4.75 @kvm-api-4.59
  Scenario: In-kernel irqchip, PIT, routing and eventfd ioctls
    Then the ABI request code of KVM_CREATE_IRQCHIP is 0xAE60
    And the ABI request code of KVM_CREATE_PIT2 is 0x4040AE77
    And the ABI request code of KVM_SET_PIT2 is 0x4070AEA0
    And the ABI request code of KVM_SET_GSI_ROUTING is 0x4008AE6A
    And the ABI request code of KVM_SIGNAL_MSI is 0x4020AEA5
    And the ABI request code of KVM_IRQFD is 0x4020AE76
    And the ABI request code of KVM_IOEVENTFD is 0x4040AE79

  @kvm-api-4.29 @kvm-api-4.30 @kvm-api-4.37 @kvm-api-4.46 @kvm-api-4.3 @kvm-api-4.8
  Scenario: Clock, capability, CPUID, MSR-list and dirty-log ioctls
    Then the ABI request code of KVM_GET_CLOCK is 0x8030AE7C
    And the ABI request code of KVM_SET_CLOCK is 0x4030AE7B
    And the ABI request code of KVM_ENABLE_CAP is 0x4068AEA3
    And the ABI request code of KVM_GET_SUPPORTED_CPUID is 0xC008AE05
    And the ABI request code of KVM_GET_MSR_INDEX_LIST is 0xC004AE02
    And the ABI request code of KVM_GET_DIRTY_LOG is 0x4010AE42

  @kvm-api-4.15 @kvm-api-4.16 @kvm-api-4.18 @kvm-api-4.22 @kvm-api-4.38 @kvm-api-4.57 @kvm-api-4.64 @kvm-api-4.87
  Scenario: vCPU state ioctls carry the size of their struct
    Then the ABI request code of KVM_TRANSLATE is 0xC018AE85
    And the ABI request code of KVM_INTERRUPT is 0x4004AE86
    And the ABI request code of KVM_GET_MSRS is 0xC008AE88
    And the ABI request code of KVM_GET_FPU is 0x81A0AE8C
    And the ABI request code of KVM_GET_LAPIC is 0x8400AE8E
    And the ABI request code of KVM_GET_MP_STATE is 0x8004AE98
    And the ABI request code of KVM_NMI is 0xAE9A
    And the ABI request code of KVM_SET_GUEST_DEBUG is 0x4048AE9B

  @kvm-api-4.33 @kvm-api-4.42 @kvm-api-4.44
  Scenario: Debug registers, XSAVE and XCRs
    Then the ABI request code of KVM_GET_DEBUGREGS is 0x8080AEA1
    And the ABI request code of KVM_GET_XSAVE is 0x9000AEA4
    And the ABI request code of KVM_GET_XCRS is 0x8188AEA6
