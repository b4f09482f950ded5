# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: Real-address mode and the switch to protected mode (SDM 3A 21.1, 10.9)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1 and exits through isa-debug-exit. Expected values were worked out by hand from the SDM.

  @sdm-3A-21.1.1 @sdm-3A-21.1
  Scenario: mode-real-addressing: Real-mode addresses: segment * 16 + offset, 16-bit wrap, A20
    When the guest "mode-real-addressing" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-21.1.4 @sdm-2-int-n @sdm-2-iret @sdm-2-lidt
  Scenario: mode-real-interrupts: Real-mode interrupts: the IVT, the frame, IRET, LIDT, exceptions
    When the guest "mode-real-interrupts" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-21.1 @sdm-2-call @sdm-2-ret @sdm-2-jmp @sdm-2-iret
  Scenario: mode-real-far-transfers: Real-mode far CALL, RETF, far JMP and IRET
    When the guest "mode-real-far-transfers" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-21.1.1 @sdm-2-mov
  Scenario: mode-real-segment-limit: A word access at offset 0xFFFF exceeds the 64 KiB limit: GP
    When the guest "mode-real-segment-limit" runs
    Then every TAP test passes
    And the exit status is 3

  @sdm-3A-10.9.1 @sdm-3A-10.9.2 @sdm-3A-2.5
  Scenario: mode-real-protected-round-trip: Real mode to 16-bit protected mode and back, keeping a 4 GiB FS
    When the guest "mode-real-protected-round-trip" runs
    Then every TAP test passes
    And the exit status is 3
