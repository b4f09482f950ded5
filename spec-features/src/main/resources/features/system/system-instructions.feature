# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: System instructions and MSRs
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-3A-2.8 @sdm-2-sgdt @sdm-2-sidt @sdm-2-str @sdm-2-sldt @sdm-2-lgdt
  Scenario: sys-descriptor-table-registers: SGDT, SIDT, STR and SLDT report what was loaded
    When the guest "sys-descriptor-table-registers" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-lar @sdm-2-lsl @sdm-2-verr @sdm-2-verw @sdm-3A-5.10
  Scenario: sys-lar-lsl-verr-verw: LAR, LSL, VERR and VERW inspect descriptors without loading them
    When the guest "sys-lar-lsl-verr-verw" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-2.5 @sdm-2-smsw @sdm-2-lmsw @sdm-2-clts @sdm-2-mov-cr @sdm-2-mov-dr @sdm-2-wbinvd @sdm-2-invd
  Scenario: sys-control-registers: SMSW, LMSW, CLTS, MOV DRn, WBINVD and INVD
    When the guest "sys-control-registers" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-2.5 @sdm-2-mov-cr
  Scenario: sys-cr0-checks: MOV to CR0 refuses PG without PE and NW without CD: GP(0)
    When the guest "sys-cr0-checks" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-2.5 @sdm-2-mov-cr
  Scenario: sys-cr4-reserved-bit: MOV to CR4 with a reserved bit set raises GP(0)
    When the guest "sys-cr4-reserved-bit" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-rdtsc @sdm-2-rdtscp @sdm-3A-2.5
  Scenario: sys-time-stamp-counter: RDTSC counts up, CR4.TSD restricts it to CPL 0, RDTSCP per CPUID
    When the guest "sys-time-stamp-counter" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-sysenter @sdm-2-sysexit @sdm-3A-5.8.7
  Scenario: sys-sysenter-sysexit: SYSEXIT to CPL 3 and SYSENTER back, with the MSR-defined selectors
    When the guest "sys-sysenter-sysexit" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-18.5.2 @sdm-3A-8.2.1 @sdm-2-in @sdm-2-out
  Scenario: mode-pm-io-bitmap: The TSS I/O permission bitmap decides IN/OUT at CPL 3 with IOPL 0
    When the guest "mode-pm-io-bitmap" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-rdmsr @sdm-2-wrmsr @sdm-4-2.1
  Scenario: sys-msr: RDMSR and WRMSR of architectural MSRs: EFER, SYSENTER, GS bases, APIC base, PAT
    When the guest "sys-msr" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-rdmsr @sdm-2-rdtsc @sdm-4-2.1
  Scenario: sys-tsc-msr: IA32_TIME_STAMP_COUNTER (MSR 10H) is the counter RDTSC reads
    When the guest "sys-tsc-msr" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-rdmsr @sdm-2-wrmsr
  Scenario: sys-msr-checks: RDMSR/WRMSR raise GP(0) for unknown MSRs and non-canonical bases
    When the guest "sys-msr-checks" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-syscall @sdm-2-sysret @sdm-3A-5.8.8
  Scenario: sys-syscall-sysret: SYSRET to CPL 3 and SYSCALL back: STAR selectors, LSTAR, RCX, R11, FMASK
    When the guest "sys-syscall-sysret" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-swapgs
  Scenario: sys-swapgs: SWAPGS exchanges GS base and IA32_KERNEL_GS_BASE, only at CPL 0
    When the guest "sys-swapgs" runs
    Then every TAP test passes
    And the exit status is 3
