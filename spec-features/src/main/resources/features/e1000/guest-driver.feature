# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: A guest driver for the Intel 82540EM (e1000)
  Each scenario runs a tiny 82540EM driver from guest-fixtures on the target with an e1000 whose
  frames loop back to it; the program prints TAP 14 on COM1. Expected values come from the 8254x
  SDM's registers and descriptor layouts and the NIC's MAC address 52:54:00:12:34:56.

  @e1000-sdm-5.6 @e1000-sdm-13.4.1 @e1000-sdm-13.4.2 @e1000-sdm-13.4.4 @e1000-sdm-13.4.17 @e1000-sdm-13.4.20 @e1000-sdm-13.4.22 @e1000-sdm-13.4.33 @e1000-sdm-3.2.3 @e1000-sdm-3.3.3 @e1000-sdm-13.7 @pci-6.2.5
  Scenario: e1000-driver: an 82540EM driver: EEPROM, reset, link, legacy rings, frames sent and received back, statistics, ICR and INTA
    When the guest "e1000-driver" runs
    Then every TAP test passes
    And the exit status is 3

  @e1000-sdm-13.2.1 @pci-6.2.5
  Scenario: e1000-io-bar: 82540EM registers through the I/O BAR: IOADDR selects, IODATA reads and writes
    When the guest "e1000-io-bar" runs
    Then every TAP test passes
    And the exit status is 3
