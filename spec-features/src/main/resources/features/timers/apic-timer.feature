@model
Feature: Local APIC timer: one-shot, periodic, TSC-deadline and the divide configuration
  One processor, software-enabled. The timer's input clock runs at 1 GHz and the TSC at 1 GHz, so
  with divide-by-1 (DCR 0xB) one count is one nanosecond of virtual time. Expected counts are
  worked out by hand from the Intel SDM volume 3A §11.5.4 (Figure 11-10, divide configuration:
  bits 3,1,0 = 000 → 2, 001 → 4, 010 → 8, 011 → 16, 100 → 32, 101 → 64, 110 → 128, 111 → 1;
  the count decrements once per divided clock; one-shot stops at 0, periodic reloads) and
  §11.5.4.1 (TSC-deadline mode: LVT timer bits 18:17 = 10, IA32_TSC_DEADLINE is MSR 0x6E0).

  Background:
    Given a machine with 1 CPUs and local APICs
    And every local APIC is software-enabled with spurious vector 0xFF

  @sdm-3A-11.5.4
  Scenario: One-shot: the count falls once per clock and the interrupt comes at zero
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00000040 to local APIC register 0x320
    And CPU 0 writes 1000 to local APIC register 0x380
    And 400 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 600
    And CPU 0 has no interrupt to take
    When 599 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 1
    And CPU 0 has no interrupt to take
    When 1 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 0
    And CPU 0 takes the interrupt with vector 0x40
    When 5000 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 0
    And CPU 0 has no interrupt to take

  @sdm-3A-11.5.4
  Scenario Outline: The divide configuration sets how many clocks make one count
    When CPU 0 writes <dcr> to local APIC register 0x3E0
    And CPU 0 writes 0x00010040 to local APIC register 0x320
    And CPU 0 writes 1000 to local APIC register 0x380
    And 1000 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads <count>
    And local APIC 0 register 0x3E0 reads <dcr>

    Examples:
      | dcr | count |
      | 0x0 | 500   |
      | 0x1 | 750   |
      | 0x2 | 875   |
      | 0x3 | 938   |
      | 0x8 | 969   |
      | 0x9 | 985   |
      | 0xA | 993   |
      | 0xB | 0     |

  @sdm-3A-11.5.4
  Scenario: Divide by 16: 100 counts take 1600 nanoseconds
    When CPU 0 writes 0x3 to local APIC register 0x3E0
    And CPU 0 writes 0x00000041 to local APIC register 0x320
    And CPU 0 writes 100 to local APIC register 0x380
    And 800 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 50
    When 799 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take
    When 1 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x41

  @sdm-3A-11.5.4
  Scenario: Periodic: the count reloads from the initial count and interrupts every period
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00020042 to local APIC register 0x320
    And CPU 0 writes 500 to local APIC register 0x380
    And 500 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 500
    And CPU 0 takes the interrupt with vector 0x42
    When CPU 0 writes 0 to local APIC register 0xB0
    And 250 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 250
    And CPU 0 has no interrupt to take
    When 250 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x42

  @sdm-3A-11.5.4
  Scenario: Periods that pass while the CPU does not run collapse into one pending interrupt
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00020042 to local APIC register 0x320
    And CPU 0 writes 100 to local APIC register 0x380
    And 1050 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 50
    And CPU 0 takes the interrupt with vector 0x42
    And CPU 0 has no interrupt to take

  @sdm-3A-11.5.4 @sdm-3A-11.5.1
  Scenario: A masked timer keeps counting without interrupting
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00010043 to local APIC register 0x320
    And CPU 0 writes 300 to local APIC register 0x380
    And 100 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 200
    When 300 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 0
    And CPU 0 has no interrupt to take

  @sdm-3A-11.5.4
  Scenario: Writing 0 to the initial count stops the timer
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00000044 to local APIC register 0x320
    And CPU 0 writes 300 to local APIC register 0x380
    And 100 nanoseconds of virtual time pass
    And CPU 0 writes 0 to local APIC register 0x380
    And 500 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 0
    And CPU 0 has no interrupt to take

  @sdm-3A-11.5.4
  Scenario: A new initial count restarts the count
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00000044 to local APIC register 0x320
    And CPU 0 writes 300 to local APIC register 0x380
    And 200 nanoseconds of virtual time pass
    And CPU 0 writes 300 to local APIC register 0x380
    And 200 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 100
    And CPU 0 has no interrupt to take

  @sdm-3A-11.5.4
  Scenario: Changing the divide configuration while counting keeps the count and changes the rate
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00000045 to local APIC register 0x320
    And CPU 0 writes 1000 to local APIC register 0x380
    And 200 nanoseconds of virtual time pass
    And CPU 0 writes 0x0 to local APIC register 0x3E0
    Then local APIC 0 register 0x390 reads 800
    When 200 nanoseconds of virtual time pass
    Then local APIC 0 register 0x390 reads 700
    When 1399 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take
    When 1 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x45

  @sdm-3A-11.5.4
  Scenario: Switching a running one-shot timer to periodic makes it reload at zero
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00000046 to local APIC register 0x320
    And CPU 0 writes 400 to local APIC register 0x380
    And 100 nanoseconds of virtual time pass
    And CPU 0 writes 0x00020046 to local APIC register 0x320
    Then local APIC 0 register 0x390 reads 300
    When 300 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x46
    And local APIC 0 register 0x390 reads 400

  @sdm-3A-11.5.4.1
  Scenario: TSC-deadline mode interrupts when the TSC reaches IA32_TSC_DEADLINE, which then reads 0
    When CPU 0 writes 0x00040047 to local APIC register 0x320
    And CPU 0 writes 5000 to MSR 0x6E0
    Then CPU 0 reading MSR 0x6E0 gives 5000
    When 4999 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take
    When 1 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x47
    And CPU 0 reading MSR 0x6E0 gives 0

  @sdm-3A-11.5.4.1
  Scenario: In TSC-deadline mode the initial count is ignored and the current count reads 0
    When CPU 0 writes 0x00040047 to local APIC register 0x320
    And CPU 0 writes 100 to local APIC register 0x380
    And 200 nanoseconds of virtual time pass
    Then local APIC 0 register 0x380 reads 0
    And local APIC 0 register 0x390 reads 0
    And CPU 0 has no interrupt to take

  @sdm-3A-11.5.4.1
  Scenario: A deadline in the past fires at once; writing 0 disarms
    When 1000 nanoseconds of virtual time pass
    And CPU 0 writes 0x00040047 to local APIC register 0x320
    And CPU 0 writes 10 to MSR 0x6E0
    And 0 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x47
    When CPU 0 writes 0 to local APIC register 0xB0
    And CPU 0 writes 3000 to MSR 0x6E0
    And CPU 0 writes 0 to MSR 0x6E0
    And 5000 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take

  @sdm-3A-11.5.4.1
  Scenario: Outside TSC-deadline mode IA32_TSC_DEADLINE ignores writes and reads 0
    When CPU 0 writes 0x00000047 to local APIC register 0x320
    And CPU 0 writes 100 to MSR 0x6E0
    Then CPU 0 reading MSR 0x6E0 gives 0
    When 200 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take

  @sdm-3A-11.5.4.1
  Scenario: Leaving TSC-deadline mode disarms the deadline
    When CPU 0 writes 0x00040047 to local APIC register 0x320
    And CPU 0 writes 500 to MSR 0x6E0
    And CPU 0 writes 0x00000047 to local APIC register 0x320
    And 1000 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take
    When CPU 0 writes 0x00040047 to local APIC register 0x320
    Then CPU 0 reading MSR 0x6E0 gives 0

  @sdm-3A-11.5.4
  Scenario: A timer restored through KVM_SET_LAPIC continues from the saved current count (TMCCT)
    When CPU 0 writes 0xB to local APIC register 0x3E0
    And CPU 0 writes 0x00000048 to local APIC register 0x320
    And CPU 0 writes 1000 to local APIC register 0x380
    And 400 nanoseconds of virtual time pass
    And local APIC 0 is saved, 10000 nanoseconds pass, and it is restored through KVM_SET_LAPIC
    Then local APIC 0 register 0x390 reads 600
    And saving and restoring local APIC 0 changes nothing
    When 599 nanoseconds of virtual time pass
    Then CPU 0 has no interrupt to take
    When 1 nanoseconds of virtual time pass
    Then CPU 0 takes the interrupt with vector 0x48
