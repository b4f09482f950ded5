# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Application processors and IPIs on a four-processor machine
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @sdm-3A-9.4.4 @sdm-3A-11.6.1 @sdm-3A-11.6.2.1 @sdm-3A-11.8.5 @sdm-3A-11.4.6
  Scenario: irq-smp-ipi-ring: Four processors: INIT-SIPI-SIPI through a real-mode trampoline, then a ring of fixed IPIs
    When the guest "irq-smp-ipi-ring" runs
    Then every TAP test passes
    And the exit status is 3
