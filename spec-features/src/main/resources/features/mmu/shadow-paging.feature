@model
Feature: Shadow paging (KVM with ept=0)
  Without EPT, KVM builds shadow page tables from the guest's and the processor walks those: its
  CR3 points at a shadow root, every guest #PF exits (exception bitmap bit 14), MOV to CR3 and
  INVLPG exit, and guest page-table pages are write-protected so that every guest write to them
  exits and keeps the shadow entries right. The guest is a 64-bit one whose page table maps the
  region at linear 0x8000000000 (PML4 entry 1); the counters are KVM's (docs/mmu.md).

  Background:
    Given a host whose KVM memory virtualisation is shadow
    And the guest's page table maps linear 0x8000000000 to guest-physical 0x300000 with flags 0x7
    And the guest's page table maps linear 0x8000002000 to guest-physical 0x302000 with flags 0x5
    And guest-physical 0x300000 holds 0x1122334455667788
    And guest-physical 0x301000 holds 0x0102030405060708
    And guest-physical 0x302000 holds 0x7777777777777777
    And the guest is running

  @sdm-3A-4.5 @sdm-3A-4.8 @sdm-3C-25.2
  Scenario: The seed's memory-access flow: a shadow page fault, step by step
    # The guest faults: no shadow entry maps the linear address yet, the hardware's walk of the
    # shadow tables fails and, with bit 14 set in the exception bitmap, the #PF is a VM exit.
    When the guest reads linear 0x8000000000
    Then the pf_taken counter went up by 1
    # KVM walks the guest page table, setting the accessed flags as the processor would …
    And the guest's page-table entry for linear 0x8000000000 has its accessed flag set
    # … guest-physical 0x300000 → host memory through memory slot 0, and a shadow entry is
    # installed: new shadow pages for the guest's PDPT, PD and page table, then the leaf entry …
    And the mmu_cache_miss counter went up by 3
    And the pf_fixed counter went up by 1
    # … and the instruction restarts and reads the host page behind guest-physical 0x300000.
    And the guest read 0x1122334455667788
    When the guest reads linear 0x8000000000
    Then the pf_taken counter did not move
    And the guest read 0x1122334455667788

  @sdm-3A-4.7 @sdm-3C-25.2
  Scenario: A fault of the guest's own is reflected with the guest's error code and CR2
    When the guest reads linear 0x8000001000
    Then the guest took a page fault with error code 0x0 and CR2 0x8000001000
    And the pf_guest counter went up by 1
    When the guest writes 0x5 to linear 0x8000002000
    Then the guest took a page fault with error code 0x3 and CR2 0x8000002000

  @sdm-3A-4.8
  Scenario: A clean page is mapped read-only so that the first write exits and the dirty flag is set
    When the guest reads linear 0x8000000000
    Then the guest's page-table entry for linear 0x8000000000 has its dirty flag clear
    When the guest writes 0xAB to linear 0x8000000000
    Then the pf_taken counter went up by 1
    And the guest's page-table entry for linear 0x8000000000 has its dirty flag set
    And guest-physical 0x300000 holds 0xAB in guest RAM

  @sdm-3A-4.10.4 @sdm-3C-26.1
  Scenario: A write to a shadowed guest page table exits, and the next access sees the new entry
    When the guest reads linear 0x8000000000
    And the guest writes 0x301007 into its page-table entry for linear 0x8000000000
    Then the mmu_pte_write counter went up by 1
    And the mmu_pte_zapped counter went up by 1
    When the guest executes INVLPG for linear 0x8000000000
    Then the invlpg counter went up by 1
    When the guest reads linear 0x8000000000
    Then the guest read 0x0102030405060708

  @sdm-3A-4.10.4 @sdm-3C-26.1
  Scenario: MOV to CR3 exits, and switching back finds the shadow root in the cache
    When the guest reads linear 0x8000000000
    And the guest builds a second address space mapping linear 0x8000000000 to guest-physical 0x301000
    And the guest loads CR3 with 0x16000
    Then the cr3_load_exits counter went up by 1
    When the guest reads linear 0x8000000000
    Then the guest read 0x0102030405060708
    When the guest loads CR3 with 0x10000
    Then the mmu_root_cached counter went up by 1
    When the guest reads linear 0x8000000000
    Then the guest read 0x1122334455667788
    And the pf_taken counter did not move

  @sdm-3A-4.6
  Scenario: With CR0.WP = 0 a supervisor write to a read-only page is emulated by KVM
    # The hardware always runs with CR0.WP = 1 under shadow paging, so the write faults; the guest
    # allows it, and KVM performs it (setting the guest's dirty flag) instead of widening the shadow entry.
    Given the guest's CR0.WP is clear
    When the guest writes 0x42 to linear 0x8000002000
    Then the pf_emulate counter went up by 1
    And guest-physical 0x302000 holds 0x42 in guest RAM
    And the guest's page-table entry for linear 0x8000002000 has its dirty flag set

  @sdm-3A-4.10.4 @sdm-3C-25.2
  Scenario: A page table rewritten three times without use stops being shadowed (write flooding)
    When the guest reads linear 0x8000000000
    And the guest writes 0x305007 into its page-table entry for linear 0x8000005000
    And the guest writes 0x306007 into its page-table entry for linear 0x8000006000
    Then the mmu_pte_write counter went up by 1
    When the guest writes 0x307007 into its page-table entry for linear 0x8000007000
    # The third emulated write with no fault through the shadow page in between: KVM takes the
    # page for something that is no longer a page table, zaps its shadow and stops write-protecting it.
    Then the mmu_flooded counter went up by 1
    When the guest writes 0x308007 into its page-table entry for linear 0x8000008000
    Then the mmu_pte_write counter did not move
    When the guest reads linear 0x8000000000
    Then the guest read 0x1122334455667788
