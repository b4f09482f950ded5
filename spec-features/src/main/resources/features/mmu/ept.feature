@model
Feature: Two-dimensional paging (KVM with ept=1, or npt=1 on AMD)
  With EPT (or AMD nested paging) the processor walks the guest's own page tables and translates
  every guest-physical address — those of the guest's paging structures included — through the
  EPT (NPT) tables KVM builds lazily from the memory slots. Guest page faults, MOV to CR3 and
  INVLPG do not exit; the first access to a guest-physical page that KVM has not mapped is an EPT
  violation (SDM 3C §29.3.3.2); MMIO is marked with a misconfigured entry (§29.3.3.1).

  Background:
    Given a host whose KVM memory virtualisation is ept
    And the guest's page table maps linear 0x8000000000 to guest-physical 0x300000 with flags 0x7
    And the guest's page table maps linear 0x8000001000 to guest-physical 0x301000 with flags 0x7
    And the guest's page table maps linear 0x8000003000 to guest-physical 0xC0000000 with flags 0x7
    And guest-physical 0x300000 holds 0x1122334455667788
    And guest-physical 0x301000 holds 0x0102030405060708
    And the guest is running

  @sdm-3C-29.3.3.2 @kvm-api-4.35
  Scenario: KVM maps guest-physical memory on the first EPT violation, a whole 2-MByte page at once
    When the guest reads linear 0x8000000000
    Then the ept_violations counter went up by 1
    And the pf_fixed counter went up by 1
    And the guest read 0x1122334455667788
    # The slot covers the aligned 2 MiB around 0x300000 and is not logging: one 2-MByte EPT leaf.
    When the guest reads linear 0x8000001000
    Then the ept_violations counter did not move
    And the guest read 0x0102030405060708

  @sdm-3A-4.7
  Scenario: A guest page fault is delivered by the processor without an exit
    When the guest reads linear 0x8000002000
    Then the guest took a page fault with error code 0x0 and CR2 0x8000002000
    And the mmu_exits counter did not move

  @sdm-3A-4.10.4
  Scenario: MOV to CR3 and INVLPG do not exit
    When the guest executes INVLPG for linear 0x8000000000
    Then the mmu_exits counter did not move
    When the guest loads CR3 with 0x10000
    Then the mmu_exits counter did not move

  @sdm-3C-29.3.3.1 @sdm-3C-29.3.3.2 @kvm-api-5
  Scenario: MMIO: an EPT violation the first time, an EPT misconfiguration afterwards, KVM_EXIT_MMIO each time
    When an MMIO read is answered with 0x5A5A
    And the guest reads linear 0x8000003000
    Then the access exited to userspace as an MMIO read of 0xC0000000
    And the ept_violations counter went up by 1
    And the pf_mmio_spte_created counter went up by 1
    # (The instruction re-executes after userspace completes the read, and that re-execution
    # meets the misconfigured entry too: KVM emulates the read with the completed data.)
    When the guest reads linear 0x8000003000
    Then the access exited to userspace as an MMIO read of 0xC0000000
    And the ept_misconfigs counter went up
    And the ept_violations counter did not move

  @kvm-api-4.35 @sdm-3C-29.3.3.2
  Scenario: A read-only slot is read from memory and written through KVM_EXIT_MMIO
    Given a read-only memory slot at guest-physical 0x800000 holds 0x600DF00D
    And the guest's page table maps linear 0x8000004000 to guest-physical 0x800000 with flags 0x7
    When the guest reads linear 0x8000004000
    Then the guest read 0x600DF00D
    When the guest writes 0x99 to linear 0x8000004000
    Then the access exited to userspace as an MMIO write of 0x99 to 0x800000

  @sdm-3A-4.8
  Scenario: The processor sets the guest's accessed and dirty flags itself
    When the guest writes 0x1 to linear 0x8000000000
    Then the guest's page-table entry for linear 0x8000000000 has its dirty flag set
    And the mmu_pte_write counter did not move
