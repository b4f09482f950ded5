# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.
@guest
Feature: COM1 as the guest sees it (PC16550D section 8)
  Each scenario runs a guest program from guest-fixtures on the target; the program prints TAP 14
  on COM1. Expected values come from the PC16550D datasheet (June 1995), section 8.

  @pc16550d-8.1 @pc16550d-8.3 @pc16550d-8.4 @pc16550d-8.6 @pc16550d-8.7 @pc16550d-8.8 @pc16550d-8.10
  Scenario: dev-com1-16550a: COM1 from the guest: LSR, scratch, divisor latch, IER, IIR, loopback
    When the guest "dev-com1-16550a" runs
    Then every TAP test passes
    And the exit status is 3
