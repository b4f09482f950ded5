# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: MMX, SSE, SSE2 and SSE3 (SDM 1 chapters 9-12)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-1-9.2 @sdm-1-9.4 @sdm-1-9.5 @sdm-2-paddb @sdm-2-paddusb @sdm-2-packsswb @sdm-2-emms
  Scenario: cpu-mmx: MMX: wrap-around and saturating arithmetic, packing, shifts, the x87 aliasing, EMMS
    When the guest "cpu-mmx" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-10.4 @sdm-1-10.2.3 @sdm-2-addps @sdm-2-mulps @sdm-2-divss @sdm-2-cmpps @sdm-2-ucomiss
  Scenario: cpu-sse-arithmetic: SSE packed and scalar single precision: arithmetic, compare, UCOMISS
    When the guest "cpu-sse-arithmetic" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-11.4 @sdm-1-12.3 @sdm-2-sqrtsd @sdm-2-paddq @sdm-2-pmuludq @sdm-2-haddps @sdm-2-addsubps
  Scenario: cpu-sse2-sse3: SSE2 double precision and 128-bit integers, SSE3 horizontal and alternating operations
    When the guest "cpu-sse2-sse3" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-10.2.3 @sdm-1-4.8.4 @sdm-1-11.5.2 @sdm-2-cvtsd2si @sdm-2-cvttsd2si @sdm-2-ldmxcsr
  Scenario: cpu-sse-mxcsr: MXCSR: rounding control of conversions, truncation, sticky flags, masked results
    When the guest "cpu-sse-mxcsr" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-2-fxsave @sdm-2-fxrstor @sdm-1-10.5 @sdm-3A-13.5
  Scenario: cpu-fxsave-layout: FXSAVE/FXRSTOR: the legacy image's fields and where they sit
    When the guest "cpu-fxsave-layout" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-1-10.2.2 @sdm-1-11.4 @sdm-2-cvtsi2sd @sdm-2-cvttsd2si @sdm-2-fxsave
  Scenario: cpu-sse-long-mode: SSE in 64-bit mode: XMM8-XMM15, 64-bit integer conversions, FXSAVE's XMM8-15 slots
    When the guest "cpu-sse-long-mode" runs
    Then every TAP test passes
    And the exit status is 3
