@model
Feature: Virtio console device (virtio 1.3 section 5.3)
  A virtio-console device over modern virtio-pci. Port 0 uses receiveq 0 and transmitq 1; with
  MULTIPORT the control receiveq is 2, the control transmitq 3 and port n uses queues 2 + 2n and
  3 + 2n. Configuration: rows (0x0), cols (0x2), max_nr_ports (0x4), emerg_wr (0x8).
  Control messages are written id:EVENT:value[:extra text].

  Background:
    Given a PCI host bridge with PIRQA-D wired to IRQs 16, 17, 18 and 19

  @virtio-1.3-dev.console-device.device-initialization
  Scenario: emerg_wr takes a character even on an unconfigured device
    Given a virtio-console device with 1 ports on PCI
    When the driver writes 0x48 to the 4-byte device configuration field at 0x08
    And the driver writes 0x69 to the 4-byte device configuration field at 0x08
    Then the emergency output is "Hi"
    And the device status is "0"

  @virtio-1.3-drv.console-device.device-operation
  Scenario: Port 0 carries output and input; configuration gives the console size
    Given a virtio-console device with 1 ports on PCI
    When the driver initializes the device with features "VERSION_1 bit0 bit2"
    Then the 2-byte device configuration field at 0x00 reads 25
    And the 2-byte device configuration field at 0x02 reads 80
    When the driver transmits "hello, host" on console port 0
    Then console port 0 has output "hello, host"
    When the driver adds 2 receive buffers of 8 bytes to console queue 0
    And the host sends "hello, guest" to console port 0
    Then console queue 0 returned "8:hello, g 4:uest"

  @virtio-1.3-drv.console-device.device-operation
  Scenario: A device-readable buffer in a receiveq gets no input
    Given a virtio-console device with 1 ports on PCI
    When the driver initializes the device with features "VERSION_1"
    And the driver adds a device-readable buffer of 16 bytes to console queue 0
    And the host sends "x" to console port 0
    Then console queue 0 returned "0:"
    When the driver adds 1 receive buffers of 16 bytes to console queue 0
    Then console queue 0 returned "1:x"

  @virtio-1.3-drv.console-device.device-operation
  Scenario: A console size change is announced with a configuration change
    Given a virtio-console device with 1 ports on PCI
    When the driver initializes the device with features "VERSION_1 bit0"
    And the host resizes the console to 40 rows and 132 columns
    Then the ISR status reads 0x02
    And the 2-byte device configuration field at 0x00 reads 40
    And the 2-byte device configuration field at 0x02 reads 132

  @virtio-1.3-dev.device-operation.multiport-device-operation @virtio-1.3-drv.device-operation.multiport-device-operation
  Scenario: After DEVICE_READY the device announces its ports; after PORT_READY it tells their kind and name
    Given a virtio-console device with 4 ports on PCI
    When the host adds console port 2 named "org.hvspec.agent"
    And the driver initializes the device with features "VERSION_1 bit1"
    Then the 4-byte device configuration field at 0x04 reads 4
    When the driver adds 8 receive buffers of 64 bytes to console queue 2
    And the driver sends the console control message port 0 event DEVICE_READY value 1
    Then the device sent the control messages "0:DEVICE_ADD:0 2:DEVICE_ADD:0"
    When the driver sends the console control message port 0 event PORT_READY value 1
    And the driver sends the console control message port 2 event PORT_READY value 1
    Then the device sent the control messages "0:CONSOLE_PORT:1 0:PORT_OPEN:1 2:PORT_NAME:1:org.hvspec.agent 2:PORT_OPEN:1"
    When the driver sends the console control message port 0 event PORT_OPEN value 1
    Then the guest has console port 0 open
    And the guest has console port 2 closed

  @virtio-1.3-dev.device-operation.multiport-device-operation
  Scenario: Ports are added only once and below max_nr_ports, removed only if added
    Given a virtio-console device with 4 ports on PCI
    When the host adds console port 1 named "one"
    Then the host cannot add console port 1
    And the host cannot add console port 4
    And the host cannot remove console port 3
    When the driver initializes the device with features "VERSION_1 bit1"
    And the driver adds 8 receive buffers of 64 bytes to console queue 2
    And the driver sends the console control message port 0 event DEVICE_READY value 1
    And the host adds console port 3 named "three"
    And the host removes console port 1
    Then the device sent the control messages "0:DEVICE_ADD:0 1:DEVICE_ADD:0 3:DEVICE_ADD:0 1:DEVICE_REMOVE:0"

  @virtio-1.3-dev.device-operation.multiport-device-operation
  Scenario: Each port has its own pair of queues
    Given a virtio-console device with 4 ports on PCI
    When the host adds console port 1 named "one"
    And the driver initializes the device with features "VERSION_1 bit1"
    And the driver transmits "to port one" on console port 1
    And the driver transmits "to port zero" on console port 0
    Then console port 1 has output "to port one"
    And console port 0 has output "to port zero"
    When the driver adds 1 receive buffers of 32 bytes to console queue 4
    And the host sends "from one" to console port 1
    Then console queue 4 returned "8:from one"
