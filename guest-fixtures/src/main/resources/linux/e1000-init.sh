#!/bin/busybox sh
# /init of the linux-e1000 guest: Linux's own e1000 driver (loaded from the kernel's modules)
# against the VMM's Intel 82540EM, reported in TAP 14 on the console. The NIC's frames come back
# to it (the reference's loopback backend, a QEMU dgram socket sending to itself). What to expect
# comes from the kernel command line (unknown name=value parameters become init's environment):
# mac. Boot with ipv6.disable=1, so that only the frames this script sends are on the wire.
B=/bin/busybox
$B mkdir -p /proc /sys /dev /tmp
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d"; fi; }
equals() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  # got '$2', expected '$3'"; fi; }
stat() { $B cat /sys/class/net/eth0/statistics/$1; }
E=/sys/class/net/eth0

echo "TAP version 14"
check "insmod e1000" $B insmod /lib/modules/e1000.ko
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e $E ] && break; $B sleep 1; done
check "e1000: eth0 appears" test -e $E
equals "e1000: eth0 is bound to the e1000 driver" "$($B basename "$($B readlink $E/device/driver)")" e1000
check "e1000: the probe reports the MAC address" sh -c "$B dmesg | $B grep -q 'eth0: (PCI:33MHz:32-bit) $mac'"
equals "e1000: the MAC address read from the EEPROM is the device's" "$($B cat $E/address)" "$mac"
check "e1000: eth0 is set up" $B ip link set eth0 up
for i in 1 2 3 4 5 6 7 8 9 10; do [ "$($B cat $E/carrier)" = 1 ] && break; $B sleep 1; done
equals "e1000: the carrier comes up" "$($B cat $E/carrier)" 1
equals "e1000: operstate is up" "$($B cat $E/operstate)" up
equals "e1000: the link speed is 1000 Mb/s" "$($B cat $E/speed)" 1000
equals "e1000: the link is full duplex" "$($B cat $E/duplex)" full

$B ip addr add 10.0.2.15/24 dev eth0
# Broadcast ARP requests; then, to a neighbour whose address is the NIC's own (so the frame
# comes back through the unicast filter), an ICMP echo request and a UDP probe (the UDP
# checksum through the 82540EM's transmit checksum offload).
$B arping -c 2 -w 3 -I eth0 10.0.2.2 >/dev/null 2>&1
check "e1000: a static ARP entry gives 10.0.2.3 the NIC's own address" $B arp -i eth0 -s 10.0.2.3 "$mac"
$B ping -c 1 -W 1 10.0.2.3 >/dev/null 2>&1
$B traceroute -n -m 1 -q 1 -w 1 10.0.2.3 >/dev/null 2>&1
$B sleep 1
tx=$(stat tx_packets)
check "e1000: the ARP requests, the echo request and the UDP probe were transmitted" test "$tx" -ge 4
equals "e1000: every transmitted frame was received back" "$(stat rx_packets)" "$tx"
# Down (the driver resets the MAC and powers the PHY down) and up again (PHY power-up, new
# auto-negotiation, rings set up afresh): the link returns and frames still go out and back.
$B ip link set eth0 down
equals "e1000: operstate is down after ip link set eth0 down" "$($B cat $E/operstate)" down
$B ip link set eth0 up
for i in 1 2 3 4 5 6 7 8 9 10; do [ "$($B cat $E/carrier)" = 1 ] && break; $B sleep 1; done
equals "e1000: the carrier comes back after ip link set eth0 up" "$($B cat $E/carrier)" 1
$B arp -i eth0 -s 10.0.2.3 "$mac" # taking the interface down flushed its neighbours
$B ping -c 1 -W 1 10.0.2.3 >/dev/null 2>&1
$B sleep 1
equals "e1000: after down and up an echo request goes out" "$(stat tx_packets)" "$((tx + 1))"
equals "e1000: and comes back" "$(stat rx_packets)" "$((tx + 1))"
for s in tx_errors rx_errors rx_crc_errors rx_missed_errors rx_length_errors; do
  equals "e1000: $s is 0" "$(stat $s)" 0
done
echo "1..$n"
$B printf '\000' | $B dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
