package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KvmExitReason;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmRunLayout;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuidModel;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A vCPU file descriptor with its mapped kvm_run area. Used by one thread, the vCPU thread that
 * calls {@link #run()}; other threads may only call {@link #signal()}.
 */
public final class Vcpu implements AutoCloseable {
    private final Vm vm;
    private final int fd;
    private final int id;
    private final ByteBuffer area;
    private final StructView run;
    private final Scratch scratch;

    Vcpu(Vm vm, int fd, int id, long address, long size) {
        this.vm = vm;
        this.fd = fd;
        this.id = id;
        this.area = vm.hostMemory(address, size);
        this.run = StructView.of(KvmRunLayout.KVM_RUN, area.slice(0, (int) KvmRunLayout.KVM_RUN.size())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN));
        this.scratch = new Scratch(vm.kernel());
    }

    public int id() {
        return id;
    }

    public int fd() {
        return fd;
    }

    private HostKernel kernel() {
        return vm.kernel();
    }

    private long call(KvmIoctl ioctl, long arg) {
        vm.kvm().requireKnown(ioctl);
        return Kvm.call(kernel(), fd, ioctl, arg);
    }

    /** KVM_RUN (api.rst §4.10): enters the guest and returns why it left. */
    public Exit run() {
        long r = kernel().ioctl(fd, KvmIoctl.RUN.code(), 0);
        if (r == Errno.EINTR.negative()) {
            return new Exit.Interrupted();
        }
        if (r < 0) {
            throw new KvmException("KVM_RUN", r);
        }
        long reason = run.get("exit_reason");
        return switch (KvmExitReason.of(reason).orElse(KvmExitReason.UNKNOWN)) {
            case IO -> new Exit.Io(run.get("io.direction") == 0, (int) run.get("io.size"), (int) run.get("io.port"),
                    (int) run.get("io.count"), run.get("io.data_offset"));
            case MMIO -> new Exit.Mmio(run.get("mmio.phys_addr"), (int) run.get("mmio.len"),
                    run.get("mmio.is_write") != 0, littleEndian(run.bytes("mmio.data"), (int) run.get("mmio.len")));
            case HLT -> new Exit.Hlt();
            case SHUTDOWN -> new Exit.Shutdown();
            case FAIL_ENTRY -> new Exit.FailEntry(run.get("fail_entry.hardware_entry_failure_reason"),
                    (int) run.get("fail_entry.cpu"));
            case INTERNAL_ERROR -> new Exit.InternalError((int) run.get("internal.suberror"));
            case SYSTEM_EVENT -> new Exit.SystemEvent((int) run.get("system_event.type"));
            case DEBUG -> new Exit.Debug((int) run.get("debug.arch.exception"), run.get("debug.arch.pc"));
            case IRQ_WINDOW_OPEN -> new Exit.IrqWindowOpen();
            default -> new Exit.Other(reason);
        };
    }

    private static long littleEndian(byte[] bytes, int length) {
        long v = 0;
        for (int i = Math.min(length, 8) - 1; i >= 0; i--) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return v;
    }

    /** The data of item {@code index} of an IO exit (an OUT's value). */
    public long ioData(Exit.Io io, int index) {
        int at = (int) io.dataOffset() + index * io.size();
        long v = 0;
        for (int k = io.size() - 1; k >= 0; k--) {
            v = (v << 8) | (area.get(at + k) & 0xFF);
        }
        return v;
    }

    /** Supplies the value an IN reads; KVM_RUN completes the instruction with it. */
    public void setIoData(Exit.Io io, int index, long value) {
        int at = (int) io.dataOffset() + index * io.size();
        for (int k = 0; k < io.size(); k++) {
            area.put(at + k, (byte) (value >>> (8 * k)));
        }
    }

    /** Supplies the value an MMIO read returns; KVM_RUN completes the instruction with it. */
    public void setMmioData(long value) {
        byte[] data = new byte[8];
        for (int k = 0; k < 8; k++) {
            data[k] = (byte) (value >>> (8 * k));
        }
        run.setBytes("mmio.data", data);
    }

    public void requestInterruptWindow(boolean on) {
        run.set("request_interrupt_window", on ? 1 : 0);
    }

    public boolean readyForInterruptInjection() {
        return run.get("ready_for_interrupt_injection") != 0;
    }

    /** kvm_run.apic_base after KVM_RUN (api.rst §5: IA32_APIC_BASE, out after every run). */
    public long apicBaseAfterRun() {
        return run.get("apic_base");
    }

    public boolean interruptFlag() {
        return run.get("if_flag") != 0;
    }

    public void immediateExit(boolean on) {
        run.set("immediate_exit", on ? 1 : 0);
    }

    public Regs regs() {
        StructView v = scratch.view(KvmStructs.KVM_REGS);
        call(KvmIoctl.GET_REGS, scratch.address());
        long[] values = new long[Regs.FIELDS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = v.get(Regs.FIELDS[i]);
        }
        return Regs.of(values);
    }

    public void setRegs(Regs regs) {
        StructView v = scratch.view(KvmStructs.KVM_REGS);
        long[] values = regs.values();
        for (int i = 0; i < values.length; i++) {
            v.set(Regs.FIELDS[i], values[i]);
        }
        call(KvmIoctl.SET_REGS, scratch.address());
    }

    public Sregs sregs() {
        StructView v = scratch.view(KvmStructs.KVM_SREGS);
        call(KvmIoctl.GET_SREGS, scratch.address());
        return new Sregs(segment(v.view("cs")), segment(v.view("ds")), segment(v.view("es")), segment(v.view("fs")),
                segment(v.view("gs")), segment(v.view("ss")), segment(v.view("tr")), segment(v.view("ldt")),
                new Sregs.Dtable(v.get("gdt.base"), (int) v.get("gdt.limit")),
                new Sregs.Dtable(v.get("idt.base"), (int) v.get("idt.limit")),
                v.get("cr0"), v.get("cr2"), v.get("cr3"), v.get("cr4"), v.get("cr8"), v.get("efer"), v.get("apic_base"));
    }

    public void setSregs(Sregs s) {
        StructView v = scratch.view(KvmStructs.KVM_SREGS);
        segment(v.view("cs"), s.cs());
        segment(v.view("ds"), s.ds());
        segment(v.view("es"), s.es());
        segment(v.view("fs"), s.fs());
        segment(v.view("gs"), s.gs());
        segment(v.view("ss"), s.ss());
        segment(v.view("tr"), s.tr());
        segment(v.view("ldt"), s.ldt());
        v.set("gdt.base", s.gdt().base()).set("gdt.limit", s.gdt().limit())
                .set("idt.base", s.idt().base()).set("idt.limit", s.idt().limit())
                .set("cr0", s.cr0()).set("cr2", s.cr2()).set("cr3", s.cr3()).set("cr4", s.cr4()).set("cr8", s.cr8())
                .set("efer", s.efer()).set("apic_base", s.apicBase());
        call(KvmIoctl.SET_SREGS, scratch.address());
    }

    private static Sregs.Segment segment(StructView v) {
        return new Sregs.Segment(v.get("base"), v.get("limit"), (int) v.get("selector"), (int) v.get("type"),
                v.get("present") != 0, (int) v.get("dpl"), v.get("db") != 0, v.get("s") != 0, v.get("l") != 0,
                v.get("g") != 0, v.get("avl") != 0, v.get("unusable") != 0);
    }

    private static void segment(StructView v, Sregs.Segment s) {
        v.set("base", s.base()).set("limit", s.limit()).set("selector", s.selector()).set("type", s.type())
                .set("present", s.present() ? 1 : 0).set("dpl", s.dpl()).set("db", s.db() ? 1 : 0)
                .set("s", s.s() ? 1 : 0).set("l", s.l() ? 1 : 0).set("g", s.g() ? 1 : 0)
                .set("avl", s.avl() ? 1 : 0).set("unusable", s.unusable() ? 1 : 0);
    }

    /** KVM_SET_CPUID2 (api.rst §4.20). */
    public void setCpuid(List<CpuidModel.Entry> entries) {
        StructView v = scratch.view(KvmStructs.KVM_CPUID2, entries.size()).set("nent", entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CpuidModel.Entry e = entries.get(i);
            String p = "entries[" + i + "].";
            v.set(p + "function", Integer.toUnsignedLong(e.function())).set(p + "index", Integer.toUnsignedLong(e.index()))
                    .set(p + "flags", e.indexed() ? 1 : 0).set(p + "eax", Integer.toUnsignedLong(e.eax()))
                    .set(p + "ebx", Integer.toUnsignedLong(e.ebx())).set(p + "ecx", Integer.toUnsignedLong(e.ecx()))
                    .set(p + "edx", Integer.toUnsignedLong(e.edx()));
        }
        call(KvmIoctl.SET_CPUID2, scratch.address());
    }

    /**
     * KVM_SET_CPUID (api.rst §4.20), the form before KVM_CAP_EXT_CPUID: entries without a subleaf
     * index (indexed leaves cannot be expressed and are left out).
     */
    public void setCpuidLegacy(List<CpuidModel.Entry> entries) {
        List<CpuidModel.Entry> plain = entries.stream().filter(e -> !e.indexed()).toList();
        StructView v = scratch.view(KvmStructs.KVM_CPUID, plain.size()).set("nent", plain.size());
        for (int i = 0; i < plain.size(); i++) {
            CpuidModel.Entry e = plain.get(i);
            String p = "entries[" + i + "].";
            v.set(p + "function", Integer.toUnsignedLong(e.function())).set(p + "eax", Integer.toUnsignedLong(e.eax()))
                    .set(p + "ebx", Integer.toUnsignedLong(e.ebx())).set(p + "ecx", Integer.toUnsignedLong(e.ecx()))
                    .set(p + "edx", Integer.toUnsignedLong(e.edx()));
        }
        call(KvmIoctl.SET_CPUID, scratch.address());
    }

    /** KVM_GET_MSRS for one MSR; empty result → the MSR does not exist. */
    public java.util.OptionalLong msr(int index) {
        StructView v = scratch.view(KvmStructs.KVM_MSRS, 1).set("nmsrs", 1).set("entries[0].index", Integer.toUnsignedLong(index));
        long n = call(KvmIoctl.GET_MSRS, scratch.address());
        return n == 1 ? java.util.OptionalLong.of(v.get("entries[0].data")) : java.util.OptionalLong.empty();
    }

    /** KVM_SET_MSRS for one MSR; false if the MSR does not exist or the value is invalid. */
    public boolean setMsr(int index, long value) {
        scratch.view(KvmStructs.KVM_MSRS, 1).set("nmsrs", 1).set("entries[0].index", Integer.toUnsignedLong(index))
                .set("entries[0].data", value);
        return call(KvmIoctl.SET_MSRS, scratch.address()) == 1;
    }

    /** KVM_INTERRUPT (api.rst §4.16): queue an external interrupt (userspace irqchip only). */
    public void interrupt(int vector) {
        scratch.view(KvmStructs.KVM_INTERRUPT).set("irq", vector);
        call(KvmIoctl.INTERRUPT, scratch.address());
    }

    public void nmi() {
        call(KvmIoctl.NMI, 0);
    }

    /** KVM_SET_GUEST_DEBUG (api.rst §4.87): e.g. KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP = 3. */
    public void setGuestDebug(int control) {
        scratch.view(KvmStructs.KVM_GUEST_DEBUG).set("control", control);
        call(KvmIoctl.SET_GUEST_DEBUG, scratch.address());
    }

    /** KVM_TRANSLATE (api.rst §4.15): the guest-physical address of a linear address, or -1 if unmapped. */
    public long translate(long linear) {
        StructView t = scratch.view(KvmStructs.KVM_TRANSLATION).set("linear_address", linear);
        call(KvmIoctl.TRANSLATE, scratch.address());
        return t.get("valid") != 0 ? t.get("physical_address") : -1;
    }

    /**
     * KVM_SET_TSC_KHZ (api.rst §4.55): the guest TSC's frequency in kHz; 0 means the host's.
     * Needs KVM_CAP_TSC_CONTROL; EINVAL (a {@link KvmException}) beyond what TSC scaling expresses.
     */
    public void setTscKhz(long khz) {
        call(KvmIoctl.SET_TSC_KHZ, khz);
    }

    /** KVM_GET_TSC_KHZ (api.rst §4.56): the guest TSC's frequency in kHz. Needs KVM_CAP_GET_TSC_KHZ. */
    public long tscKhz() {
        return call(KvmIoctl.GET_TSC_KHZ, 0);
    }

    /** Interrupts a KVM_RUN in progress on another thread. */
    public void signal() {
        kernel().signal(fd);
    }

    /** Arms (or with Long.MAX_VALUE disarms) this vCPU thread's virtual-time alarm. */
    public void alarm(long virtualNanos) {
        kernel().alarm(fd, virtualNanos);
    }

    @Override
    public void close() {
        kernel().close(fd);
    }
}
