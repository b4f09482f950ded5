@model
Feature: What each MMU strategy costs
  The same guest work costs different exits and memory references under each strategy: shadow
  paging exits on MOV to CR3, INVLPG and writes to page tables, and its hardware walks are
  one-dimensional; two-dimensional paging exits only when KVM has not mapped guest-physical memory
  yet, but every guest paging-structure access is itself translated through EPT/NPT.

  @sdm-3C-29.3 @sdm-3A-4.5
  Scenario: A cold 4-level guest walk over 4-level EPT costs 24 memory references
    Given a processor in guest mode under EPT whose tables map the first 64 KiB of guest-physical memory with 4-KByte pages
    And the guest runs 4-level paging with its PML4, PDPT, PD and page table at guest-physical 0x1000 to 0x4000
    And the processor has no paging-structure caches
    When the guest reads linear address 0x4020000010
    # Each of the 4 guest entries is at a guest-physical address that needs a 4-entry EPT walk,
    # and so does the final guest-physical address: 4 × (4 + 1) + 4.
    Then the walk read 4 guest paging-structure entries and 20 EPT entries: 24 references

  @sdm-3A-4.10.3 @sdm-3C-29.4
  Scenario: Paging-structure caches cut the walk
    Given a processor in guest mode under EPT whose tables map the first 64 KiB of guest-physical memory with 4-KByte pages
    And the guest runs 4-level paging with its PML4, PDPT, PD and page table at guest-physical 0x1000 to 0x4000
    When the guest reads linear address 0x4020000010
    # All guest-physical addresses share one EPT PDE: after one full EPT walk, the EPT PDE cache
    # leaves one EPT PTE read per address.
    Then the walk read 4 guest paging-structure entries and 8 EPT entries: 12 references
    When the guest reads linear address 0x4020001010
    # The guest PDE cache gives the page table; its page is in the guest-physical TLB.
    Then the walk read 1 guest paging-structure entries and 1 EPT entries: 2 references

  @sdm-3C-26.1 @sdm-3A-4.10.4
  Scenario Outline: INVLPG and MOV to CR3 exit only under shadow paging (<strategy>)
    When the remap workload with size 8 runs under <strategy>
    Then the workload counted <invlpg> invlpg
    When the address-spaces workload with size 3 runs under <strategy>
    # The boot stub's MOV to CR3, one per switch (3 spaces × 2 rounds), and one at the end.
    Then the workload counted <cr3> cr3_load_exits

    Examples:
      | strategy | invlpg | cr3 |
      | shadow   | 8      | 8   |
      | ept      | 0      | 0   |
      | npt      | 0      | 0   |

  @sdm-3C-26.1
  Scenario Outline: Demand paging: under shadow paging each PTE written to a shadowed table exits (<strategy>)
    When the touch-pages workload with size 32 runs under <strategy>
    Then the workload counted <writes> mmu_pte_write

    Examples:
      | strategy | writes |
      | shadow   | 31     |
      | ept      | 0      |
      | npt      | 0      |
