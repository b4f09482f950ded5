#!/bin/busybox sh
# /init of the linux-virtio guest: Linux's own virtio_pci, virtio_blk and virtio_net drivers
# (loaded from the kernel's modules) against the VMM's devices, reported in TAP 14 on the console.
# What to expect comes from the kernel command line (unknown name=value parameters become init's
# environment): disk_sectors, disk_md5 (of the first MiB), mac, and the two write markers.
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
load() { check "insmod $1" $B insmod /lib/modules/$1.ko $2; }
feature() { $B cut -c$(($2 + 1)) /sys/bus/virtio/devices/$1/features; }
blk_device() { for d in /sys/bus/virtio/devices/*; do [ "$($B cat $d/device)" = "0x0002" ] && $B basename $d; done; }

blk_pass() { # $1: interface name, $2: VERSION_1 expected (1 modern, 0 legacy), $3: sector, $4: marker
  for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; $B sleep 1; done
  check "$1: /dev/vda appears" test -b /dev/vda
  v=$(blk_device)
  equals "$1: VIRTIO_F_VERSION_1 is $2" "$(feature "$v" 32)" "$2"
  equals "$1: capacity is $disk_sectors sectors" "$($B cat /sys/block/vda/size)" "$disk_sectors"
  equals "$1: the first MiB reads as the host wrote it" \
    "$($B dd if=/dev/vda bs=65536 count=16 2>/dev/null | $B md5sum | $B cut -d' ' -f1)" "$disk_md5"
  printf '%-512s' "$4" | $B dd of=/dev/vda bs=512 seek="$3" conv=fsync 2>/dev/null
  echo 3 > /proc/sys/vm/drop_caches
  equals "$1: a written sector reads back after the page cache is dropped" \
    "$($B dd if=/dev/vda bs=512 skip="$3" count=1 2>/dev/null | $B tr -d ' ')" "$4"
}

echo "TAP version 14"
# The firmware's MP table (or ACPI MADT on QEMU) names every CPU: Linux brings them all up.
equals "${cpus:-1} CPUs are online" "$($B cat /sys/devices/system/cpu/online)" "$([ "${cpus:-1}" = 1 ] && echo 0 || echo "0-$((${cpus:-1} - 1))")"
check "the serial port's IRQ 4 goes through the I/O APIC" $B grep -Eq 'IO-APIC +4-edge +ttyS0' /proc/interrupts
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev; do load $m; done
load virtio_pci
load virtio_blk
blk_pass "virtio-pci modern" 1 "$marker_sector" "$modern_marker"

check "rmmod virtio_blk and virtio_pci" $B rmmod virtio_blk virtio_pci
load virtio_pci force_legacy=1
load virtio_blk
blk_pass "virtio-pci legacy" 0 "$((marker_sector + 1))" "$legacy_marker"

# INTx: MSI/MSI-X disallowed for virtio-blk's next driver (pci-sysfs msi_bus), its INTA# reaches
# the I/O APIC pin the firmware's table (MP or ACPI _PRT) names, level-triggered.
check "rmmod virtio_blk and virtio_pci (for INTx)" $B rmmod virtio_blk virtio_pci
for d in /sys/bus/pci/devices/*; do [ "$($B cat $d/device)" = 0x1001 ] && echo 0 > $d/msi_bus; done
load virtio_pci
load virtio_blk
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; $B sleep 1; done
equals "virtio-pci INTx: the first MiB reads as the host wrote it" \
  "$($B dd if=/dev/vda bs=65536 count=16 2>/dev/null | $B md5sum | $B cut -d' ' -f1)" "$disk_md5"
check "virtio-pci INTx: the interrupts come through the I/O APIC, level-triggered" \
  $B grep -Eq 'IO-APIC +[0-9]+-fasteoi +virtio' /proc/interrupts

for m in failover net_failover virtio_net; do load $m; done
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth0 ] && break; $B sleep 1; done
check "virtio-net: eth0 appears" test -e /sys/class/net/eth0
equals "virtio-net: the MAC address is the device's" "$($B cat /sys/class/net/eth0/address)" "$mac"
check "virtio-net: eth0 comes up" $B ip link set eth0 up
$B ip addr add 10.0.2.15/24 dev eth0
$B arping -c 2 -w 3 -I eth0 10.0.2.2 >/dev/null 2>&1
tx=$($B cat /sys/class/net/eth0/statistics/tx_packets)
check "virtio-net: the ARP requests were transmitted" test "$tx" -ge 2
echo "1..$n"
$B printf '\000' | $B dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
