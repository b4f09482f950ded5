@model
Feature: The shadow-page cache
  KVM keeps shadow pages in a hash keyed by the guest table they shadow and their role, and
  recycles the least recently used ones when the cache is full (n_max_mmu_pages). Recycling is
  invisible to the guest: a recycled shadow page is rebuilt by the next fault through it.

  @sdm-3A-4.10.4 @sdm-3C-25.2
  Scenario: A 64-page cache serving 70 guest page tables recycles pages and every access stays right
    Given a host whose KVM memory virtualisation is shadow
    And its shadow-page cache holds 64 pages
    And the guest's page tables map one page in each of 70 page tables from linear 0x8000000000
    And the guest is running
    When the guest reads the first quadword of each of those 70 pages twice
    Then the mmu_recycled counter is positive
