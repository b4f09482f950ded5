# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: The local APIC as a guest programs it (SDM 3A chapter 11)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values come from the chips' datasheets and
  the SDM (each check cites its clause); timing is asserted only as orderings and relationships.

  @sdm-3A-11.4.6 @sdm-3A-11.4.8 @sdm-3A-11.8.3.1 @sdm-3A-11.9
  Scenario: irq-lapic-registers: Local APIC ID, version, TPR/PPR and the spurious-interrupt vector register
    When the guest "irq-lapic-registers" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.4.7.2 @sdm-3A-11.9
  Scenario: irq-lapic-software-disable: A software-disabled local APIC keeps its LVT entries masked
    When the guest "irq-lapic-software-disable" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.5.3
  Scenario: irq-lapic-esr: The error status register: illegal vectors and register addresses
    When the guest "irq-lapic-esr" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.6.1 @sdm-3A-11.8.3 @sdm-3A-11.8.3.1 @sdm-3A-11.8.4 @sdm-3A-11.8.5
  Scenario: irq-lapic-ipi: Self-IPIs through the ICR: IRR, ISR, priority classes, TPR, nesting and EOI
    When the guest "irq-lapic-ipi" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.5.4 @sdm-3A-11.5.1 @sdm-3A-11.8.5
  Scenario: irq-lapic-timer: Local APIC timer: divide configuration, one-shot and periodic modes
    When the guest "irq-lapic-timer" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.5.4.1 @sdm-2-cpuid
  Scenario: irq-lapic-tsc-deadline: TSC-deadline mode of the local APIC timer (when CPUID offers it)
    When the guest "irq-lapic-tsc-deadline" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.4.4 @sdm-3A-11.12.1 @sdm-2-wrmsr
  Scenario: irq-lapic-apic-base-reserved: IA32_APIC_BASE: reserved bits and EXTD without x2APIC raise #GP
    When the guest "irq-lapic-apic-base-reserved" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.4.3 @sdm-3A-11.12.5 @sdm-2-cpuid
  Scenario: irq-lapic-global-disable: Disabling the local APIC through IA32_APIC_BASE and enabling it again
    When the guest "irq-lapic-global-disable" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.4.4 @sdm-3A-11.4.1
  Scenario: irq-lapic-relocation: Moving the xAPIC register page through IA32_APIC_BASE
    When the guest "irq-lapic-relocation" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-11.12.1 @sdm-3A-11.12.1.2 @sdm-3A-11.12.5 @sdm-3A-11.12.10.2 @sdm-3A-11.12.11 @sdm-3A-11.12.9
  Scenario: irq-x2apic: x2APIC mode and its MSR interface (when CPUID offers it)
    When the guest "irq-x2apic" runs
    Then every TAP test passes
    And the exit status is 3
