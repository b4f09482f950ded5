package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmIrqStructs;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.chipset.GsiRouter;
import dev.hvspec.machine.chipset.KvmIoapicState;
import dev.hvspec.machine.chipset.KvmPicState;
import dev.hvspec.machine.chipset.KvmPitState2;
import dev.hvspec.machine.chipset.Pic8259Pair;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The VM ioctls of the in-kernel irqchip and PIT: KVM_CREATE_IRQCHIP (api.rst §4.24),
 * KVM_IRQ_LINE[_STATUS] (§4.25), KVM_GET/SET_IRQCHIP (§4.26-4.27), KVM_SET_GSI_ROUTING (§4.52),
 * KVM_CREATE_PIT[2] (§4.71), KVM_GET/SET_PIT[2] (§4.72-4.73), KVM_SIGNAL_MSI (§4.71 numbering of
 * 6.1: "KVM_SIGNAL_MSI"), KVM_IRQFD (§4.75).
 */
final class IrqchipIoctls {
    static final int KVM_PIT_SPEAKER_DUMMY = 1;
    static final int IRQFD_DEASSIGN = 1;
    static final int IRQFD_RESAMPLE = 2;
    static final int ROUTING_IRQCHIP = 1;
    static final int ROUTING_MSI = 2;
    static final int MSI_VALID_DEVID = 1;
    // kvm_irq_routing_irqchip.irqchip (linux/kvm.h KVM_IRQCHIP_*).
    static final int IRQCHIP_PIC_MASTER = 0;
    static final int IRQCHIP_PIC_SLAVE = 1;
    static final int IRQCHIP_IOAPIC = 2;
    /** KVM_MAX_IRQ_ROUTES in Linux 6.1. */
    static final int MAX_ROUTES = 4096;

    private final VmFile vm;
    private final List<Irqfd> irqfds = new ArrayList<>();

    /** An assigned irqfd; {@code resampler} and {@code resampleFd} are null unless it resamples. */
    private record Irqfd(EventFd eventfd, int gsi, Runnable listener, IrqfdResampler resampler, EventFd resampleFd) {
    }

    IrqchipIoctls(VmFile vm) {
        this.vm = vm;
    }

    private StructView view(StructLayout layout, long arg) {
        return StructView.of(layout, vm.kernel.user(arg, layout.size()));
    }

    private InKernelIrqchip chip() {
        if (vm.irqchip == null) {
            throw KvmError.of(Errno.ENXIO, "no in-kernel irqchip");
        }
        return vm.irqchip;
    }

    long ioctl(KvmIoctl ioctl, long arg) {
        return switch (ioctl) {
            case CREATE_IRQCHIP -> createIrqchip();
            case IRQ_LINE, IRQ_LINE_STATUS -> irqLine(view(KvmIrqStructs.KVM_IRQ_LEVEL, arg), ioctl == KvmIoctl.IRQ_LINE_STATUS);
            case GET_IRQCHIP -> getIrqchip(view(KvmIrqStructs.KVM_IRQCHIP, arg));
            case SET_IRQCHIP -> setIrqchip(view(KvmIrqStructs.KVM_IRQCHIP, arg));
            case CREATE_PIT -> createPit(0);
            case CREATE_PIT2 -> createPit(view(KvmIrqStructs.KVM_PIT_CONFIG, arg).get("flags"));
            case GET_PIT, GET_PIT2 -> getPit(arg, ioctl == KvmIoctl.GET_PIT2);
            case SET_PIT, SET_PIT2 -> setPit(arg, ioctl == KvmIoctl.SET_PIT2);
            case SET_GSI_ROUTING -> setRouting(arg);
            case SIGNAL_MSI -> signalMsi(view(KvmIrqStructs.KVM_MSI, arg));
            case IRQFD -> irqfd(view(KvmIrqStructs.KVM_IRQFD, arg));
            default -> throw new IllegalArgumentException(ioctl.name());
        };
    }

    /** §4.24: once per VM, before any vCPU exists. */
    private long createIrqchip() {
        synchronized (vm.vcpus) {
            if (vm.irqchip != null) {
                throw KvmError.of(Errno.EEXIST, "the irqchip already exists");
            }
            if (!vm.vcpus.isEmpty()) {
                throw KvmError.of(Errno.EINVAL, "KVM_CREATE_IRQCHIP must precede KVM_CREATE_VCPU");
            }
            vm.irqchip = new InKernelIrqchip(vm);
        }
        return 0;
    }

    /** §4.25: drives a GSI; with _STATUS, kvm_irq_level.status receives the delivery result. */
    private long irqLine(StructView level, boolean withStatus) {
        vm.stats.count(KvmStats.IRQ_LINE_CALLS);
        int gsi = (int) level.get("irq");
        int result = chip().setIrq(InKernelIrqchip.SOURCE_USERSPACE, gsi, level.get("level") != 0);
        if (withStatus) {
            level.set("status", result);
        }
        return 0;
    }

    private long getIrqchip(StructView irqchip) {
        int id = (int) irqchip.get("chip_id");
        byte[] bytes = switch (id) {
            case 0 -> chip().chips.pic().save(Pic8259Pair.Chip.MASTER).toBytes();
            case 1 -> chip().chips.pic().save(Pic8259Pair.Chip.SLAVE).toBytes();
            case 2 -> chip().chips.ioapic().save().toBytes();
            default -> throw KvmError.of(Errno.EINVAL, "chip_id must be 0, 1 or 2");
        };
        irqchip.setBytes("chip.dummy", java.util.Arrays.copyOf(bytes, 512));
        return 0;
    }

    private long setIrqchip(StructView irqchip) {
        int id = (int) irqchip.get("chip_id");
        byte[] bytes = irqchip.bytes("chip.dummy");
        switch (id) {
            case 0 -> chip().chips.pic().restore(Pic8259Pair.Chip.MASTER, KvmPicState.fromBytes(bytes, 0));
            case 1 -> chip().chips.pic().restore(Pic8259Pair.Chip.SLAVE, KvmPicState.fromBytes(bytes, 0));
            case 2 -> chip().chips.ioapic().restore(KvmIoapicState.fromBytes(bytes, 0));
            default -> throw KvmError.of(Errno.EINVAL, "chip_id must be 0, 1 or 2");
        }
        return 0;
    }

    private long createPit(long flags) {
        if ((flags & ~(long) KVM_PIT_SPEAKER_DUMMY) != 0) {
            throw KvmError.of(Errno.EINVAL, "unknown kvm_pit_config flags");
        }
        chip().createPit((flags & KVM_PIT_SPEAKER_DUMMY) != 0);
        return 0;
    }

    private InKernelIrqchip pitChip() {
        InKernelIrqchip chip = chip();
        if (chip.pit == null) {
            throw KvmError.of(Errno.ENXIO, "no in-kernel PIT");
        }
        return chip;
    }

    /** kvm_pit_state is kvm_pit_state2 without flags and reserved words: the same channel bytes. */
    private long getPit(long arg, boolean two) {
        byte[] bytes = pitChip().pit.save().kvm().toBytes();
        int size = two ? KvmPitState2.SIZE : (int) KvmIrqStructs.KVM_PIT_STATE.size();
        vm.kernel.user(arg, size).put(0, bytes, 0, size);
        return 0;
    }

    private long setPit(long arg, boolean two) {
        byte[] bytes = new byte[KvmPitState2.SIZE];
        int size = two ? KvmPitState2.SIZE : (int) KvmIrqStructs.KVM_PIT_STATE.size();
        vm.kernel.user(arg, size).get(0, bytes, 0, size);
        pitChip().pit.restore(KvmPitState2.fromBytes(bytes, 0));
        return 0;
    }

    /**
     * §4.52: replaces the routing table. Types KVM_IRQ_ROUTING_IRQCHIP (PIC pins 0-7, I/O APIC
     * pins 0-23) and KVM_IRQ_ROUTING_MSI; flags must be 0; at most KVM_MAX_IRQ_ROUTES entries.
     */
    private long setRouting(long arg) {
        StructView header = view(KvmIrqStructs.KVM_IRQ_ROUTING, arg);
        long n = header.get("nr");
        if (n > MAX_ROUTES || header.get("flags") != 0) {
            throw KvmError.of(Errno.EINVAL, "bad kvm_irq_routing");
        }
        StructView all = StructView.of(KvmIrqStructs.KVM_IRQ_ROUTING,
                vm.kernel.user(arg, KvmIrqStructs.KVM_IRQ_ROUTING.sizeWith((int) n)));
        Map<Integer, List<GsiRouter.Route>> routes = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String p = "entries[" + i + "].";
            long gsi = all.get(p + "gsi");
            if (gsi >= MAX_ROUTES || all.get(p + "flags") != 0) {
                throw KvmError.of(Errno.EINVAL, "bad routing entry " + i);
            }
            GsiRouter.Route route = switch ((int) all.get(p + "type")) {
                case ROUTING_IRQCHIP -> {
                    int irqchip = (int) all.get(p + "u.irqchip.irqchip");
                    int pin = (int) all.get(p + "u.irqchip.pin");
                    yield switch (irqchip) {
                        case IRQCHIP_PIC_MASTER, IRQCHIP_PIC_SLAVE -> {
                            if (pin >= 8) {
                                throw KvmError.of(Errno.EINVAL, "8259A pin out of range in entry " + i);
                            }
                            yield new GsiRouter.Route.PicPin(irqchip == IRQCHIP_PIC_MASTER
                                    ? Pic8259Pair.Chip.MASTER : Pic8259Pair.Chip.SLAVE, pin);
                        }
                        case IRQCHIP_IOAPIC -> {
                            if (pin >= KvmIoapicState.PINS) {
                                throw KvmError.of(Errno.EINVAL, "I/O APIC pin out of range in entry " + i);
                            }
                            yield new GsiRouter.Route.IoapicPin(pin);
                        }
                        default -> throw KvmError.of(Errno.EINVAL, "bad irqchip in entry " + i);
                    };
                }
                case ROUTING_MSI -> new GsiRouter.Route.Msi(
                        all.get(p + "u.msi.address_lo") | all.get(p + "u.msi.address_hi") << 32,
                        (int) all.get(p + "u.msi.data"));
                default -> throw KvmError.of(Errno.EINVAL, "unsupported routing type in entry " + i);
            };
            routes.computeIfAbsent((int) gsi, g -> new ArrayList<>()).add(route);
        }
        chip().gsi().setRoutes(routes);
        return 0;
    }

    /**
     * 6.1 kvm_send_userspace_msi: -EINVAL without an in-kernel irqchip or with flags other than
     * KVM_MSI_VALID_DEVID (which x86 ignores).
     */
    private long signalMsi(StructView msi) {
        if (vm.irqchip == null || (msi.get("flags") & ~(long) MSI_VALID_DEVID) != 0) {
            throw KvmError.of(Errno.EINVAL, "no in-kernel irqchip, or unsupported kvm_msi flags");
        }
        long address = msi.get("address_lo") | msi.get("address_hi") << 32;
        vm.stats.count(KvmStats.MSI_SIGNALS);
        return chip().signalMsi(address, (int) msi.get("data"));
    }

    /**
     * §4.75 KVM_IRQFD. A plain irqfd: a write to the eventfd pulses the GSI (assert then deassert,
     * as KVM's irqfd_inject does). With KVM_IRQFD_FLAG_RESAMPLE (KVM_CAP_IRQFD_RESAMPLE) the irqfd
     * emulates a level-triggered line: a write only asserts the GSI (from the source all
     * resampling irqfds share), and on the irqchip's acknowledgement of that GSI the
     * {@link IrqfdResampler} de-asserts it and signals kvm_irqfd.resamplefd. The flag "is only
     * necessary on assignment": KVM_IRQFD_FLAG_DEASSIGN matches fd and gsi; the last resampling
     * irqfd of a GSI leaves its line de-asserted.
     */
    private long irqfd(StructView args) {
        long flags = args.get("flags");
        if ((flags & ~(long) (IRQFD_DEASSIGN | IRQFD_RESAMPLE)) != 0) {
            throw KvmError.of(Errno.EINVAL, "unsupported kvm_irqfd flags");
        }
        int gsi = (int) args.get("gsi");
        EventFd eventfd = vm.eventfd((int) args.get("fd"));
        synchronized (irqfds) {
            if ((flags & IRQFD_DEASSIGN) != 0) {
                for (Irqfd i : List.copyOf(irqfds)) {
                    if (i.eventfd() == eventfd && i.gsi() == gsi) {
                        eventfd.removeListener(i.listener());
                        irqfds.remove(i);
                        if (i.resampler() != null && i.resampler().remove(i.resampleFd())) {
                            chip().dropResampler(i.resampler());
                            i.resampler().deassertLine();
                        }
                    }
                }
                return 0;
            }
            for (Irqfd i : irqfds) {
                if (i.eventfd() == eventfd) {
                    throw KvmError.of(Errno.EBUSY, "the eventfd is already an irqfd");
                }
            }
            InKernelIrqchip chip = chip();
            if ((flags & IRQFD_RESAMPLE) != 0) {
                // 6.1 kvm_irqfd_assign: the resamplefd is looked up like the fd (EBADF, EINVAL).
                EventFd resampleFd = vm.eventfd((int) args.get("resamplefd"));
                IrqfdResampler resampler = chip.resampler(gsi);
                resampler.add(resampleFd);
                Runnable listener = () -> {
                    if (eventfd.take() != 0) {
                        vm.stats.count(KvmStats.IRQFD_INJECTIONS);
                        resampler.assertLine();
                    }
                };
                eventfd.addListener(listener);
                irqfds.add(new Irqfd(eventfd, gsi, listener, resampler, resampleFd));
                return 0;
            }
            Runnable listener = () -> {
                if (eventfd.take() != 0) {
                    vm.stats.count(KvmStats.IRQFD_INJECTIONS);
                    chip.setIrq(InKernelIrqchip.SOURCE_IRQFD, gsi, true);
                    chip.setIrq(InKernelIrqchip.SOURCE_IRQFD, gsi, false);
                }
            };
            eventfd.addListener(listener);
            irqfds.add(new Irqfd(eventfd, gsi, listener, null, null));
        }
        return 0;
    }
}
