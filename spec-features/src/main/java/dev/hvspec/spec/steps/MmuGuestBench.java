package dev.hvspec.spec.steps;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.vmm.kvm.Exit;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.Regs;
import dev.hvspec.vmm.kvm.Sregs;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;

import java.nio.ByteBuffer;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * A 64-bit guest for the MMU scenarios, driven through the KVM ABI: 4 MiB of RAM in slot 0, 4-level
 * paging with the first 2 MiB identity-mapped (GDT, IDT, routines, stack and page tables live
 * there, so the guest can write its own tables), and the region at {@link #USER} (PML4 entry 1)
 * mapped as each scenario says. Each operation points the vCPU at a routine — read or write 8
 * bytes at RBX, INVLPG [RBX], MOV CR3 — that ends with OUT to port 0xE0; a #PF goes through the
 * IDT to a handler that reports the error code and CR2 with OUT to port 0xE1.
 */
final class MmuGuestBench implements AutoCloseable {
    public static final long USER = 0x80_0000_0000L;
    static final long GDT = 0x1000, IDT = 0x2000, CODE = 0x3000, STACK = 0x6000;
    static final long PML4 = 0x1_0000, PDPT_ID = 0x1_1000, PD_ID = 0x1_2000, PDPT = 0x1_3000, PD = 0x1_4000,
            PT = 0x1_5000, PML4_B = 0x1_6000, PDPT_B = 0x1_7000, PD_B = 0x1_8000, PT_B = 0x1_9000;
    static final long RAM = 4L << 20;
    static final int READ = 0, WRITE = 0x10, INVLPG = 0x20, MOV_CR3 = 0x30, FAULT = 0x40;

    /** What one operation did. */
    public sealed interface Outcome {
    }

    public record Value(long value) implements Outcome {
    }

    public record PageFault(long errorCode, long cr2) implements Outcome {
    }

    /** KVM_EXIT_MMIO to userspace. */
    public record Mmio(long address, boolean write, long data) implements Outcome {
    }

    final HostKernel host;
    final Kvm kvm;
    final Vm vm;
    final Vcpu vcpu;
    final ByteBuffer ram;
    long cr0 = 1 | 0x10 | 1L << 16 | 1L << 31;
    long cr3 = PML4;
    private Map<String, Long> before = Map.of();
    /** What the last MMIO read exit is answered with. */
    long mmioAnswer;

    MmuGuestBench(KvmParameters parameters, boolean dirtyLog) {
        host = HostKernel.modern(parameters);
        kvm = Kvm.open(host);
        vm = kvm.createVm();
        long address = vm.allocateMemory(RAM);
        vm.setUserMemoryRegion(0, dirtyLog ? Vm.KVM_MEM_LOG_DIRTY_PAGES : 0, 0, RAM, address);
        ram = vm.hostMemory(address, RAM);
        vcpu = vm.createVcpu(0);
        long[] gdt = {0, 0, 0, 0x00AF_9B00_0000_FFFFL, 0x00CF_9300_0000_FFFFL};
        for (int i = 0; i < gdt.length; i++) {
            ram.putLong((int) GDT + 8 * i, gdt[i]);
        }
        Assembler a = new Assembler(CODE, 8);
        at(a, READ);
        a.mov(RAX, qword(RBX, 0)).out(0xE0, AL);
        at(a, WRITE);
        a.mov(qword(RBX, 0), RCX).out(0xE0, AL);
        at(a, INVLPG);
        a.emit(Mnemonic.INVLPG, mem(0, RBX, 0)).out(0xE0, AL);
        at(a, MOV_CR3);
        a.mov(CR3, RBX).out(0xE0, AL);
        at(a, FAULT);
        a.pop(RDX).mov(RSI, CR2).out(0xE1, AL);
        ram.put((int) CODE, a.assemble());
        long handler = CODE + FAULT;
        ram.putLong((int) IDT + 14 * 16, (handler & 0xFFFF) | 0x18L << 16 | 0x8E00L << 32 | (handler >>> 16 & 0xFFFF) << 48);
        for (long[] e : new long[][] {{PML4, PDPT_ID | 0x27}, {PML4 + 8, PDPT | 7}, {PDPT_ID, PD_ID | 0x27},
            {PD_ID, 0xE7}, {PDPT, PD | 7}, {PD, PT | 7}}) {
            ram.putLong((int) e[0], e[1]);
        }
        Sregs s = vcpu.sregs();
        Sregs.Segment cs = new Sregs.Segment(0, 0xFFFF_FFFFL, 0x18, 0xB, true, 0, false, true, true, true, false, false);
        Sregs.Segment ds = new Sregs.Segment(0, 0xFFFF_FFFFL, 0x20, 0x3, true, 0, true, true, false, true, false, false);
        // A busy 64-bit TSS in TR, as VM entry requires of an IA-32e mode guest (SDM 3C §26.3.1.2).
        Sregs.Segment tr = new Sregs.Segment(GDT + 0x800, 0x67, 0x28, 0xB, true, 0, false, false, false, false, false,
                false);
        vcpu.setSregs(new Sregs(cs, ds, ds, ds, ds, ds, tr, s.ldt(), new Sregs.Dtable(GDT, 0x37),
                new Sregs.Dtable(IDT, 0xFF), cr0, 0, cr3, 1 << 5, 0, 1 << 8 | 1 << 10 | 1 << 11, s.apicBase()));
    }

    private static void at(Assembler a, int offset) {
        a.space((int) (CODE + offset - a.position()));
    }

    public ByteBuffer ram() {
        return ram;
    }

    /** Marks where counting starts: {@link #delta} reports the counters' change since. */
    void mark() {
        before = host.vmStatistics().get(0);
    }

    long delta(String counter) {
        return host.vmStatistics().get(0).getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
    }

    long counter(String counter) {
        return host.vmStatistics().get(0).getOrDefault(counter, 0L);
    }

    /** KVM_SET_SREGS with a new CR0 (the paging bits of CR0 are the guest's to choose). */
    void setCr0(long value) {
        cr0 = value;
        Sregs s = vcpu.sregs();
        vcpu.setSregs(s.withCr0(value));
    }

    /**
     * {@code count} page tables (in the identity-mapped area from 0x20000), table i mapping the
     * first page of the 2-MiB region i from {@code linear} to guest-physical 0x200000 + 4 KiB × i,
     * whose first quadword is 0x50000000 + i.
     */
    void mapAcrossTables(int count, long linear) {
        int first = (int) ((linear - USER) >>> 21);
        for (int i = 0; i < count; i++) {
            long pt = 0x2_0000L + 0x1000L * i;
            long gpa = 0x20_0000L + 0x1000L * i;
            ram.putLong((int) (PD + 8L * (first + i)), pt | 7);
            ram.putLong((int) pt, gpa | 7);
            ram.putLong((int) gpa, 0x5000_0000L + i);
        }
    }

    /** Maps USER + 4 KiB × {@code index} to {@code gpa} with the given PTE flags (written by the VMM, before use). */
    void mapUser(int index, long gpa, long flags) {
        ram.putLong((int) (PT + 8L * index), gpa | flags);
    }

    Outcome call(int routine, long rbx, long rcx) {
        vcpu.setRegs(new Regs(0, rbx, rcx, 0, 0, 0, STACK, 0, 0, 0, 0, 0, 0, 0, 0, 0, CODE + routine, 0x2));
        while (true) {
            Exit exit = vcpu.run();
            if (exit instanceof Exit.Io io) {
                Regs r = vcpu.regs();
                return io.port() == 0xE1 ? new PageFault(r.rdx(), r.rsi()) : new Value(r.rax());
            }
            if (exit instanceof Exit.Mmio m) {
                if (!m.write()) {
                    vcpu.setMmioData(mmioAnswer);
                }
                // The exit is the outcome; the guest completes the access on the next KVM_RUN.
                Outcome o = new Mmio(m.address(), m.write(), m.data());
                vcpu.run();
                return o;
            }
            throw new AssertionError("unexpected exit " + exit);
        }
    }

    Outcome read(long linear) {
        return call(READ, linear, 0);
    }

    Outcome write(long linear, long value) {
        return call(WRITE, linear, value);
    }

    Outcome invlpg(long linear) {
        return call(INVLPG, linear, 0);
    }

    Outcome movToCr3(long value) {
        return call(MOV_CR3, value, 0);
    }

    @Override
    public void close() {
        vcpu.close();
        vm.close();
        kvm.close();
    }
}
