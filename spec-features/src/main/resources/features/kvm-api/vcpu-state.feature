@model
Feature: vCPU state ioctls (api.rst §4.11-4.14, §4.18-4.23, §4.33-4.34, §4.42-4.45, §4.131-4.132)
  Userspace reads and writes the registers of a stopped vCPU; what it writes is what the guest
  runs with and what it reads back. Guest programs are real-mode code, hand-assembled.

  Background:
    Given a host running KVM from Linux 6.1
    And a VM
    And 64 KiB of process memory called "ram"
    When userspace sets memory region slot 0 with flags 0 at guest 0x0 size 0x10000 from "ram" plus 0
    And a vCPU with id 0 and its kvm_run area mapped

  @kvm-api-4.11 @kvm-api-4.12
  Scenario: KVM_SET_REGS values are read back by KVM_GET_REGS and used by the guest
    # 0x1000: mov al, bl ; out 0x80, al ; hlt
    Given "ram" holds the guest code "88 d8 e6 80 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace sets the vCPU register rbx to 0x40
    And userspace sets the vCPU register r15 to 0x123456789ABCDEF0
    Then the vCPU register rbx is 0x40
    And the vCPU register r15 is 0x123456789ABCDEF0
    When userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x40

  @kvm-api-4.13 @kvm-api-4.14
  Scenario: KVM_SET_SREGS descriptor tables and control registers are read back
    When userspace sets the vCPU special register gdt.base to 0x2000
    And userspace sets the vCPU special register gdt.limit to 0x27
    And userspace sets the vCPU special register cr4 to 0x200
    Then the ioctl returns 0
    And the vCPU special register gdt.base is 0x2000
    And the vCPU special register gdt.limit is 0x27
    And the vCPU special register cr4 is 0x200

  @kvm-api-4.14
  Scenario: 6.1 rejects inconsistent long-mode state in KVM_SET_SREGS (EFER.LMA without CR0.PG) with EINVAL
    When userspace sets the vCPU special register efer to 0x500
    Then the ioctl fails with EINVAL

  @kvm-api-4.14
  Scenario: 6.1 rejects CS.L outside IA-32e mode in KVM_SET_SREGS with EINVAL
    When userspace sets the vCPU special register cs.l to 1
    Then the ioctl fails with EINVAL

  @kvm-api-4.13 @kvm-api-4.16
  Scenario: On 2.6.24 KVM_GET_SREGS shows an interrupt queued with KVM_INTERRUPT in interrupt_bitmap
    Given a host running KVM from Linux 2.6.24
    And a VM
    And a vCPU with id 0 and its kvm_run area mapped
    When userspace prepares a kvm_interrupt argument
    And userspace sets the argument's irq to 33
    And userspace calls INTERRUPT on the vCPU with the argument
    Then the ioctl returns 0
    And the vCPU special register interrupt_bitmap[0] is 0x200000000

  @kvm-api-4.131 @kvm-api-4.132 @sdm-3A-4.4.1
  Scenario: With PAE paging KVM_SET_SREGS loads the PDPTEs from guest memory; KVM_GET_SREGS2 reports them
    # PDPT at 0x6000: PDPTE0 = 0x7001 (present, page directory at 0x7000), PDPTE1 = 0x8001
    Given "ram" holds the guest code "01 70 00 00 00 00 00 00 01 80 00 00 00 00 00 00" at offset 0x6000
    And the vCPU uses PAE paging with its page-directory-pointer table at 0x6000
    When userspace prepares a kvm_sregs2 argument
    And userspace calls GET_SREGS2 on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's flags is 1
    And the argument's pdptrs[0] is 0x7001
    And the argument's pdptrs[1] is 0x8001
    And the argument's pdptrs[2] is 0

  @kvm-api-4.132
  Scenario: KVM_SET_SREGS2 with KVM_SREGS2_FLAGS_PDPTRS_VALID takes the PDPTRs from userspace, not memory
    Given the vCPU uses PAE paging with its page-directory-pointer table at 0x6000
    When userspace prepares a kvm_sregs2 argument
    And userspace calls GET_SREGS2 on the vCPU with the argument
    And userspace sets the argument's flags to 1
    And userspace sets the argument's pdptrs[3] to 0x9001
    And userspace calls SET_SREGS2 on the vCPU with the argument
    Then the ioctl returns 0
    When userspace prepares a kvm_sregs2 argument
    And userspace calls GET_SREGS2 on the vCPU with the argument
    Then the argument's pdptrs[3] is 0x9001

  @kvm-api-4.131
  Scenario: Without PAE paging KVM_GET_SREGS2 reports no PDPTRs (flags 0)
    When userspace prepares a kvm_sregs2 argument
    And userspace calls GET_SREGS2 on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's flags is 0
    And the argument's cr0 is 0x60000010

  @kvm-api-4.132
  Scenario Outline: KVM_SET_SREGS2 rejects unknown flags, and PDPTRs without PAE paging, with EINVAL
    When userspace prepares a kvm_sregs2 argument
    And userspace calls GET_SREGS2 on the vCPU with the argument
    And userspace sets the argument's flags to <flags>
    And userspace calls SET_SREGS2 on the vCPU with the argument
    Then the ioctl fails with EINVAL

    Examples:
      | flags |
      | 1     |
      | 2     |

  @kvm-api-4.18 @kvm-api-4.19
  Scenario: KVM_SET_MSRS and KVM_GET_MSRS process entries in order and return how many succeeded
    When userspace prepares a kvm_msrs argument with room for 2 entries
    And the argument holds:
      | nmsrs             | 2          |
      | entries[0].index  | 0x174      |
      | entries[0].data   | 0x10       |
      | entries[1].index  | 0x12345678 |
      | entries[1].data   | 1          |
    And userspace calls SET_MSRS on the vCPU with the argument
    Then the ioctl returns 1
    When userspace prepares a kvm_msrs argument with room for 3 entries
    And the argument holds:
      | nmsrs             | 3          |
      | entries[0].index  | 0x174      |
      | entries[1].index  | 0x12345678 |
      | entries[2].index  | 0xC0000080 |
    And userspace calls GET_MSRS on the vCPU with the argument
    Then the ioctl returns 1
    And the argument's entries[0].data is 0x10

  @kvm-api-4.18
  Scenario: KVM_GET_MSRS of IA32_SYSENTER_EIP returns what the guest wrote with WRMSR
    # 0x1000: mov ecx, 0x176 ; mov eax, 0x1234 ; xor edx, edx ; wrmsr ; hlt
    Given "ram" holds the guest code "66 b9 76 01 00 00 66 b8 34 12 00 00 66 31 d2 0f 30 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace runs the vCPU
    Then the exit reason is HLT
    When userspace prepares a kvm_msrs argument with room for 1 entries
    And the argument holds:
      | nmsrs            | 1     |
      | entries[0].index | 0x176 |
    And userspace calls GET_MSRS on the vCPU with the argument
    Then the ioctl returns 1
    And the argument's entries[0].data is 0x1234

  @kvm-api-4.18
  Scenario: More than MAX_IO_MSRS (256) entries fail with E2BIG
    When userspace prepares a kvm_msrs argument
    And userspace sets the argument's nmsrs to 256
    And userspace calls GET_MSRS on the vCPU with the argument
    Then the ioctl fails with E2BIG

  @kvm-api-4.20 @sdm-2-3.3
  Scenario: KVM_SET_CPUID2 decides what the guest's CPUID returns
    # 0x1000: xor ax, ax ; cpuid ; mov al, bl ; out 0x80, al ; hlt
    Given "ram" holds the guest code "31 c0 0f a2 88 d8 e6 80 f4" at offset 0x1000
    And the vCPU is in real mode at 0x0:0x1000
    When userspace prepares a kvm_cpuid2 argument with room for 1 entries
    And the argument holds:
      | nent               | 1          |
      | entries[0].function | 0         |
      | entries[0].eax     | 1          |
      | entries[0].ebx     | 0x12345678 |
    And userspace calls SET_CPUID2 on the vCPU with the argument
    Then the ioctl returns 0
    When userspace runs the vCPU
    Then the exit reason is IO
    And the byte at the I/O data offset is 0x78

  @kvm-api-4.20
  Scenario: KVM_GET_CPUID2 returns the table set, and E2BIG when the array is too small
    When userspace prepares a kvm_cpuid2 argument with room for 2 entries
    And the argument holds:
      | nent                | 2          |
      | entries[0].function | 0          |
      | entries[0].eax      | 1          |
      | entries[1].function | 1          |
      | entries[1].edx      | 0x10       |
    And userspace calls SET_CPUID2 on the vCPU with the argument
    And userspace prepares a kvm_cpuid2 argument with room for 1 entries
    And userspace sets the argument's nent to 1
    And userspace calls GET_CPUID2 on the vCPU with the argument
    Then the ioctl fails with E2BIG
    When userspace prepares a kvm_cpuid2 argument with room for 4 entries
    And userspace sets the argument's nent to 4
    And userspace calls GET_CPUID2 on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's nent is 2
    And the argument's entries[1].function is 1
    And the argument's entries[1].edx is 0x10

  @kvm-api-4.20
  Scenario: More than KVM_MAX_CPUID_ENTRIES (256) fail with E2BIG
    When userspace prepares a kvm_cpuid2 argument
    And userspace sets the argument's nent to 257
    And userspace calls SET_CPUID2 on the vCPU with the argument
    Then the ioctl fails with E2BIG

  @kvm-api-4.22 @kvm-api-4.23 @sdm-1-8.1.5
  Scenario: A new vCPU's FPU is in the FNINIT state; KVM_SET_FPU values are read back
    When userspace prepares a kvm_fpu argument
    And userspace calls GET_FPU on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's fcw is 0x37F
    And the argument's mxcsr is 0x1F80
    When userspace sets the argument's fcw to 0x27F
    And userspace sets the argument's xmm[1][0] to 0xAB
    And userspace calls SET_FPU on the vCPU with the argument
    And userspace prepares a kvm_fpu argument
    And userspace calls GET_FPU on the vCPU with the argument
    Then the argument's fcw is 0x27F
    And the argument's xmm[1][0] is 0xAB

  @kvm-api-4.42 @kvm-api-4.23
  Scenario: KVM_GET_XSAVE shows the FPU state in the legacy region (FCW at byte 0, MXCSR at byte 24)
    When userspace prepares a kvm_fpu argument
    And userspace calls GET_FPU on the vCPU with the argument
    And userspace sets the argument's fcw to 0x27F
    And userspace calls SET_FPU on the vCPU with the argument
    And userspace prepares a kvm_xsave argument
    And userspace calls GET_XSAVE on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's region[0] is 0x27F
    And the argument's region[6] is 0x1F80

  @kvm-api-4.43
  Scenario: KVM_SET_XSAVE round-trips through KVM_GET_XSAVE
    When userspace prepares a kvm_xsave argument
    And userspace calls GET_XSAVE on the vCPU with the argument
    And userspace sets the argument's region[100] to 0x5A5A5A5A
    And userspace calls SET_XSAVE on the vCPU with the argument
    And userspace prepares a kvm_xsave argument
    And userspace calls GET_XSAVE on the vCPU with the argument
    Then the argument's region[100] is 0x5A5A5A5A

  @kvm-api-4.44 @sdm-1-13.3
  Scenario: KVM_GET_XCRS reports XCR0 with its x87 bit set
    When userspace prepares a kvm_xcrs argument
    And userspace calls GET_XCRS on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's nr_xcrs is 1
    And the argument's xcrs[0].xcr is 0
    And the argument's xcrs[0].value is 1

  @kvm-api-4.45 @sdm-1-13.3
  Scenario: KVM_SET_XCRS with XCR0.x87 clear is invalid (EINVAL)
    When userspace prepares a kvm_xcrs argument
    And the argument holds:
      | nr_xcrs        | 1 |
      | xcrs[0].xcr    | 0 |
      | xcrs[0].value  | 0 |
    And userspace calls SET_XCRS on the vCPU with the argument
    Then the ioctl fails with EINVAL

  @kvm-api-4.33 @kvm-api-4.34
  Scenario: KVM_SET_DEBUGREGS values are read back; a new vCPU has DR6 = FFFF0FF0H and DR7 = 400H
    When userspace prepares a kvm_debugregs argument
    And userspace calls GET_DEBUGREGS on the vCPU with the argument
    Then the ioctl returns 0
    And the argument's dr6 is 0xFFFF0FF0
    And the argument's dr7 is 0x400
    When userspace sets the argument's db[2] to 0x8000
    And userspace calls SET_DEBUGREGS on the vCPU with the argument
    And userspace prepares a kvm_debugregs argument
    And userspace calls GET_DEBUGREGS on the vCPU with the argument
    Then the argument's db[2] is 0x8000

  @kvm-api-4.34
  Scenario Outline: KVM_SET_DEBUGREGS rejects flags and bits 63:32 of DR6/DR7 with EINVAL
    When userspace prepares a kvm_debugregs argument
    And userspace calls GET_DEBUGREGS on the vCPU with the argument
    And userspace sets the argument's <field> to <value>
    And userspace calls SET_DEBUGREGS on the vCPU with the argument
    Then the ioctl fails with EINVAL

    Examples:
      | field | value              |
      | flags | 1                  |
      | dr7   | 0x100000400        |
      | dr6   | 0x1FFFF0FF0        |
