package dev.hvspec.properties.mmu;

import dev.hvspec.vmm.kvm.Exit;
import dev.hvspec.vmm.kvm.Regs;

import java.nio.ByteBuffer;

/** Runs one scenario's operations on an {@link MmuTarget} by pointing the vCPU at the runtime's routines. */
final class GuestDriver implements AutoCloseable {
    final MmuTarget.Machine machine;
    private final GuestRuntime rt;
    private final Scenario s;
    private final long cr3;
    private final long apicBase;
    private int cpl = -1;

    GuestDriver(MmuTarget target, Scenario s, Forest forest) {
        this.machine = target.create(forest.ramSize);
        this.rt = forest.runtime;
        this.s = s;
        this.cr3 = forest.root;
        for (long page : forest.nonZeroPages()) {
            machine.ram().put((int) page, forest.image, (int) page, 0x1000);
        }
        this.apicBase = machine.sregs().apicBase();
    }

    private void at(int level) {
        if (cpl != level) {
            machine.setSregs(rt.sregs(level, s.cr0(), cr3, s.cr4(), s.efer(), apicBase));
            cpl = level;
        }
    }

    /** Runs the routine at {@code offset}; returns the exit's port with RAX, RDX, RSI. */
    private long[] call(int offset, int level, boolean ac, long rbx, long rcx) {
        at(level);
        long rflags = 0x3002 | (ac ? 1L << 18 : 0); // IOPL 3 so OUT works in ring 3
        machine.setRegs(new Regs(0, rbx, rcx, 0, 0, 0, rt.stack(level), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                rt.routine(offset, level), rflags));
        Exit exit = machine.run();
        if (!(exit instanceof Exit.Io io) || io.in()) {
            throw new AssertionError("unexpected exit " + exit);
        }
        Regs r = machine.regs();
        if (io.port() == GuestRuntime.UNEXPECTED_PORT) {
            throw new AssertionError("unexpected exception, vector " + r.rdi());
        }
        if (io.port() == GuestRuntime.FAULT_PORT) {
            cpl = -1; // the fault left the processor in ring 0 on the handler's stack
        }
        return new long[] {io.port(), r.rax(), r.rdx(), r.rsi()};
    }

    SdmOracle.Outcome access(Scenario.Access a) {
        int offset = switch (a.kind()) {
            case READ -> GuestRuntime.READ + 16 * Integer.numberOfTrailingZeros(a.size());
            case WRITE -> GuestRuntime.WRITE + 16 * Integer.numberOfTrailingZeros(a.size());
            case FETCH -> GuestRuntime.FETCH;
        };
        long[] r = call(offset, a.cpl(), a.ac(), a.linear(), a.value());
        if (r[0] == GuestRuntime.FAULT_PORT) {
            return new SdmOracle.PageFault((int) r[2], s.mode().longMode() ? r[3] : r[3] & 0xFFFF_FFFFL);
        }
        long mask = a.kind() == SdmOracle.Kind.FETCH ? 0xFFFF_FFFFL : a.size() == 8 ? -1L : (1L << 8 * a.size()) - 1;
        return new SdmOracle.Value(a.kind() == SdmOracle.Kind.WRITE ? 0 : r[1] & mask);
    }

    /** The guest writes {@code value} into the entry at guest-physical {@code at}, through the window. */
    void writeEntry(long at, long value) {
        long linear = rt.window(at);
        if (s.mode() == Mode.LEGACY_32 || s.mode() == Mode.PAE) {
            expectDone(call(GuestRuntime.WRITE + 32, 0, false, linear, value & 0xFFFF_FFFFL));
            if (s.mode() == Mode.PAE) {
                expectDone(call(GuestRuntime.WRITE + 32, 0, false, linear + 4, value >>> 32));
            }
        } else {
            expectDone(call(GuestRuntime.WRITE + 48, 0, false, linear, value));
        }
    }

    void movToCr3() {
        expectDone(call(GuestRuntime.MOV_CR3, 0, false, cr3, 0));
    }

    void invlpg(long linear) {
        expectDone(call(GuestRuntime.INVLPG, 0, false, linear, 0));
    }

    private static void expectDone(long[] r) {
        if (r[0] != GuestRuntime.DONE_PORT) {
            throw new AssertionError("a runtime routine faulted: error " + Long.toHexString(r[2]) + " at "
                    + Long.toHexString(r[3]));
        }
    }

    ByteBuffer ram() {
        return machine.ram();
    }

    @Override
    public void close() {
        machine.close();
    }
}
