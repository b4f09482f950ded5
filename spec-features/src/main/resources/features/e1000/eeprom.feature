@model
Feature: 82540EM EEPROM (Microwire, 64 words)
  The 82540EM keeps its configuration in a 1 Kbit Microwire EEPROM of 64 16-bit words (8254x SDM
  §5.2; EECD.EE_SIZE = 0). Software reads it by bit-banging EECD (§13.4.3) the way the Linux
  driver does for Microwire parts: set EE_REQ and wait for EE_GNT, raise CS, shift out on DI,
  one SK pulse per bit, the start bit and the READ opcode (110b) and six address bits, then shift
  in sixteen data bits from DO, most significant first. Or through EERD (§13.4.4 for the
  82540EP/EM): write the address in bits 15:8 with START (bit 0), poll DONE (bit 4), take the
  data from bits 31:16. The address map is §5.6: words 00h-02h hold the Ethernet address low
  byte first, so 52:54:00:12:34:56 is 5452h 1200h 5634h; 0Ah is Initialization Control Word 1,
  whose Signature (bits 15:14) "must be 01b"; 0Bh the subsystem ID, 0Ch the subsystem vendor
  ID, 0Dh the device ID, 0Eh the vendor ID; and "after adding all the words (00h-3Fh),
  including the Checksum word itself, the sum should be BABAh" (§5.6.35).

  Background:
    Given an 82540EM at PCI slot 03.0 with MAC address 52:54:00:12:34:56
    And the driver has probed the 82540EM

  @e1000-sdm-5.6 @e1000-sdm-13.4.3
  Scenario: The Ethernet address is in words 00h to 02h
    When the driver reads EEPROM words 0x00 to 0x02 through EECD
    Then the EEPROM words read are "0x5452 0x1200 0x5634"

  @e1000-sdm-5.6.35 @e1000-sdm-13.4.3
  Scenario: The 64 words sum to BABAh
    When the driver reads EEPROM words 0x00 to 0x3F through EECD
    Then the EEPROM words read sum to 0xBABA, carries ignored

  @e1000-sdm-5.6 @e1000-sdm-13.4.4
  Scenario: EERD reads the identification words
    Then EEPROM word 0x0B read through EERD is 0x001E
    And EEPROM word 0x0C read through EERD is 0x8086
    And EEPROM word 0x0D read through EERD is 0x100E
    And EEPROM word 0x0E read through EERD is 0x8086
    And EEPROM word 0x00 read through EERD is 0x5452

  @e1000-sdm-5.6.35 @e1000-sdm-13.4.3
  Scenario: Initialization Control Word 1 carries the valid signature 01b
    Then EEPROM word 0x0A read through EECD is 0x4000 under mask 0xC000

  @e1000-sdm-13.4.3
  Scenario: EECD reports a present 64-word EEPROM and grants requests
    # EE_PRES bit 8, EE_SIZE bit 9 (0: 64 words), EE_REQ bit 6, EE_GNT bit 7.
    Then register EECD reads 0x00000100 under mask 0x000003C0
    When the driver writes 0x00000040 to register EECD
    Then register EECD reads 0x000001C0 under mask 0x000003C0
