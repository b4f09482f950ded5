@model
Feature: Dirty logging under each MMU strategy
  KVM_GET_DIRTY_LOG (api.rst §4.8) reports every page written since the last call and clears the
  log. KVM maps the pages of a logging slot without write permission (EPT entries with W = 0, or
  read-only shadow entries), records a page on the write fault and write-protects the slot again
  when the log is harvested.

  @kvm-api-4.8 @sdm-3C-29.3.3.2
  Scenario Outline: Written pages are logged, and writes after a harvest are caught again (<strategy>)
    Given a host whose KVM memory virtualisation is <strategy>
    And guest RAM is a memory slot that logs dirty pages
    And the guest's page table maps linear 0x8000000000 to guest-physical 0x300000 with flags 0x7
    And the guest's page table maps linear 0x8000001000 to guest-physical 0x301000 with flags 0x7
    And the guest is running
    When the guest reads linear 0x8000001000
    And the guest writes 0x1 to linear 0x8000000000
    And the VMM takes the dirty log
    Then guest-physical page 0x300000 is in the dirty log
    And guest-physical page 0x301000 is not in the dirty log
    When the VMM takes the dirty log
    Then guest-physical page 0x300000 is not in the dirty log
    When the guest writes 0x2 to linear 0x8000000000
    Then the pf_taken counter went up
    When the VMM takes the dirty log
    Then guest-physical page 0x300000 is in the dirty log

    Examples:
      | strategy |
      | ept      |
      | npt      |
      | shadow   |
