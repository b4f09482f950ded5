# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Paging (SDM 3A chapter 4)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-3A-4.3 @sdm-3A-4.6 @sdm-3A-4.7 @sdm-3A-4.8 @sdm-3A-4.10.4 @sdm-2-invlpg
  Scenario: mmu-paging32: 32-bit paging: 4 KiB and 4 MiB pages, A/D, #PF, WP, U/S, INVLPG, CR3
    When the guest "mmu-paging32" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.4 @sdm-3A-4.6 @sdm-3A-4.7 @sdm-2-invlpg
  Scenario: mmu-pae: PAE paging: PDPTEs, 2 MiB and 4 KiB pages, NX and the reserved XD bit
    When the guest "mmu-pae" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.5 @sdm-3A-4.7 @sdm-3A-4.8 @sdm-3A-4.10.4 @sdm-2-invlpg
  Scenario: mmu-4level: 4-level paging: translation, A/D at every level, #PF and CR2, INVLPG, CR3
    When the guest "mmu-4level" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.6 @sdm-3A-4.7 @sdm-3A-4.5
  Scenario: mmu-access-rights: U/S, R/W with CR0.WP, NX and reserved bits under 4-level paging
    When the guest "mmu-access-rights" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.7 @sdm-3A-4.5
  Scenario: mmu-reserved-bit-fault: A reserved bit in a paging entry raises PF with RSVD and P set
    When the guest "mmu-reserved-bit-fault" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.10.2.4 @sdm-3A-4.10.4.1 @sdm-2-invlpg
  Scenario: mmu-global-pages: Global pages: INVLPG and CR4.PGE changes flush them
    When the guest "mmu-global-pages" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.6 @sdm-3A-2.5 @sdm-2-stac @sdm-2-clac
  Scenario: mmu-smep-smap: SMEP and SMAP per CPUID, or GP(0) when CR4 cannot enable them
    When the guest "mmu-smep-smap" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.7 @sdm-2-rep @sdm-2-movs @sdm-1-7.3.9
  Scenario: mmu-rep-string-fault: A page fault in REP MOVSB leaves RCX, RSI, RDI at the faulting element
    When the guest "mmu-rep-string-fault" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.5 @sdm-3A-4.7 @sdm-3A-4.8 @sdm-3A-3.3.7.1 @sdm-3A-4.1.1 @sdm-2-mov-cr @sdm-2-invlpg @sdm-2-cpuid
  Scenario: mmu-5level: 5-level paging (CR4.LA57): 57-bit translation, A/D at five levels, #PF, #GP, CR4
    When the guest "mmu-5level" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-4.10.1 @sdm-3A-4.10.4.1 @sdm-3A-4.5 @sdm-2-mov-cr @sdm-2-invlpg @sdm-2-invpcid
  Scenario: mmu-pcid: PCIDs: CR4.PCIDE rules, CR3[11:0] and bit 63, invalidation by MOV CR3, INVLPG, CR4, INVPCID
    When the guest "mmu-pcid" runs
    Then every TAP test passes
    And the exit status is 3
