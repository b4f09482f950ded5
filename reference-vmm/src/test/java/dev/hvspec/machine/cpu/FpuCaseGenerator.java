package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Encoder;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.InstructionBuilder;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.OperandType;
import dev.hvspec.machine.cpu.isa.RegisterKind;
import dev.hvspec.machine.cpu.isa.Slot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random x87/MMX/SSE instructions and states for the host-CPU oracle: an instruction of a chosen
 * form of the opcode tables with random registers, a memory operand at RBX + displacement, and
 * random immediates; and a state whose registers and memory are drawn mostly from special values
 * (zeros, denormals and pseudo-denormals, the largest and smallest normals, infinities, QNaNs,
 * SNaNs, the indefinite, unsupported 80-bit encodings, integers, values near rounding
 * boundaries), under random rounding and precision control, DAZ/FTZ, and mostly masked
 * exceptions.
 */
final class FpuCaseGenerator {
    private final Random random;

    FpuCaseGenerator(Random random) {
        this.random = random;
    }

    // ---- values ----

    /** An 80-bit value as ten little-endian bytes. */
    byte[] extended() {
        long sig;
        int se;
        boolean neg = random.nextBoolean();
        int sign = neg ? 0x8000 : 0;
        switch (random.nextInt(18)) {
            case 0 -> { se = 0; sig = 0; }
            case 1 -> { se = 0x3FFF; sig = Long.MIN_VALUE; } // ±1
            case 2 -> { se = 0x3FFF + random.nextInt(9) - 4; sig = Long.MIN_VALUE | random.nextLong(); }
            case 3 -> { se = random.nextInt(0x7FFE) + 1; sig = Long.MIN_VALUE | random.nextLong(); }
            case 4 -> { se = 0x7FFE; sig = -1L; } // largest finite
            case 5 -> { se = 1; sig = Long.MIN_VALUE | (random.nextBoolean() ? 0 : random.nextLong()); } // smallest normals
            case 6 -> { se = 0; sig = random.nextLong() >>> (1 + random.nextInt(63)); } // denormal
            case 7 -> { se = 0; sig = Long.MIN_VALUE | random.nextLong(); } // pseudo-denormal
            case 8 -> { se = 0x7FFF; sig = Long.MIN_VALUE; } // infinity
            case 9 -> { se = 0x7FFF; sig = 0xC000_0000_0000_0000L | (random.nextBoolean() ? 0 : random.nextLong() >>> 2); }
            case 10 -> { se = 0x7FFF; sig = Long.MIN_VALUE | (random.nextLong() >>> 2) | 1; } // SNaN
            case 11 -> { se = random.nextInt(0x7FFF); sig = random.nextLong() >>> 1; } // unnormal (or zero/denormal)
            case 12 -> { se = 0x7FFF; sig = random.nextLong() >>> 1; } // pseudo-NaN / pseudo-infinity
            case 13 -> { // a small integer
                long v = random.nextInt(2000) + 1;
                int lz = Long.numberOfLeadingZeros(v);
                se = 0x3FFF + 63 - lz;
                sig = v << lz;
            }
            case 14 -> { se = 0x3FFF + 62 + random.nextInt(3); sig = Long.MIN_VALUE | random.nextLong(); } // near 2^63
            case 15 -> { se = random.nextBoolean() ? 0x3FFF + 16000 + random.nextInt(380) : random.nextInt(400) + 1;
                sig = Long.MIN_VALUE | random.nextLong(); } // near the ends
            default -> { // a double, widened exactly
                long d = doubleBits();
                dev.hvspec.machine.cpu.fp.Unpacked u = dev.hvspec.machine.cpu.fp.Unpacked.ofDouble(d);
                return u.toExtended().toBytes();
            }
        }
        return new dev.hvspec.machine.cpu.fp.Extended80(sign | se, sig).toBytes();
    }

    long doubleBits() {
        long sign = random.nextBoolean() ? Long.MIN_VALUE : 0;
        long frac = random.nextLong() & 0x000F_FFFF_FFFF_FFFFL;
        return sign | switch (random.nextInt(14)) {
            case 0 -> 0L;
            case 1 -> 0x3FF0_0000_0000_0000L;
            case 2 -> (long) (1023 + random.nextInt(21) - 10) << 52 | frac;
            case 3 -> (long) (random.nextInt(2046) + 1) << 52 | frac;
            case 4 -> 0x7FEF_FFFF_FFFF_FFFFL;
            case 5 -> 1L << 52 | (random.nextBoolean() ? 0 : frac);
            case 6 -> frac >>> random.nextInt(52); // denormal
            case 7 -> 0x7FF0_0000_0000_0000L;
            case 8 -> 0x7FF8_0000_0000_0000L | (random.nextBoolean() ? 0 : frac >>> 1);
            case 9 -> 0x7FF0_0000_0000_0000L | (frac >>> 1) | 1; // SNaN
            case 10 -> Double.doubleToRawLongBits(random.nextInt(4000) - 2000) & Long.MAX_VALUE;
            case 11 -> (long) (1023 + 60 + random.nextInt(8)) << 52 | frac; // near integer limits
            default -> Double.doubleToRawLongBits(random.nextDouble() * Math.pow(2, random.nextInt(40) - 20)) & Long.MAX_VALUE;
        };
    }

    int singleBits() {
        int sign = random.nextBoolean() ? Integer.MIN_VALUE : 0;
        int frac = random.nextInt() & 0x007F_FFFF;
        return sign | switch (random.nextInt(14)) {
            case 0 -> 0;
            case 1 -> 0x3F80_0000;
            case 2 -> (127 + random.nextInt(21) - 10) << 23 | frac;
            case 3 -> (random.nextInt(254) + 1) << 23 | frac;
            case 4 -> 0x7F7F_FFFF;
            case 5 -> 1 << 23 | (random.nextBoolean() ? 0 : frac);
            case 6 -> frac >>> random.nextInt(23);
            case 7 -> 0x7F80_0000;
            case 8 -> 0x7FC0_0000 | (random.nextBoolean() ? 0 : frac >>> 1);
            case 9 -> 0x7F80_0000 | (frac >>> 1) | 1;
            case 10 -> Float.floatToRawIntBits(random.nextInt(4000) - 2000) & Integer.MAX_VALUE;
            case 11 -> (127 + 28 + random.nextInt(6)) << 23 | frac;
            default -> Float.floatToRawIntBits((float) (random.nextDouble() * Math.pow(2, random.nextInt(40) - 20))) & Integer.MAX_VALUE;
        };
    }

    /** A 64-bit value for integer and packed lanes: small, extreme, random, or float bits. */
    long anyLong() {
        return switch (random.nextInt(8)) {
            case 0 -> random.nextInt(256) - 128;
            case 1 -> random.nextBoolean() ? 0 : -1;
            case 2 -> random.nextBoolean() ? Long.MIN_VALUE : 0x8000_0000L;
            case 3 -> doubleBits();
            case 4 -> (singleBits() & 0xFFFF_FFFFL) | ((long) singleBits() << 32);
            default -> random.nextLong();
        };
    }

    // ---- state ----

    FpuCase state(byte[] code) {
        byte[] fx = new byte[512];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(fx).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int masks = random.nextInt(10) < 8 ? 0x3F : random.nextInt(64);
        int pc = new int[] {0, 2, 3, 3, 3, 1}[random.nextInt(6)];
        int fcw = 0x40 | masks | pc << 8 | random.nextInt(4) << 10;
        int top = random.nextInt(8);
        int fsw = top << 11 | (random.nextBoolean() ? 0x4700 & random.nextInt() : 0); // TOP and C0-C3
        if (random.nextInt(5) == 0) {
            // Sticky flags; with one of them unmasked an exception is pending (ES, B): the next
            // waiting instruction raises #MF (SDM 1 §8.6).
            int flags = random.nextInt(64);
            fsw |= flags | ((flags & ~masks) != 0 ? 0x8080 : 0);
        }
        b.putShort(0, (short) fcw).putShort(2, (short) fsw);
        fx[4] = (byte) (random.nextInt(10) < 7 ? 0xFF : random.nextInt(256));
        int mxMasks = random.nextInt(10) < 8 ? 0x3F : random.nextInt(64);
        int mxcsr = mxMasks << 7 | random.nextInt(4) << 13 | (random.nextInt(4) == 0 ? 0x40 : 0)
                | (random.nextInt(4) == 0 ? 0x8000 : 0) | (random.nextBoolean() ? random.nextInt(64) & mxMasks : 0);
        b.putInt(24, mxcsr);
        b.putInt(28, 0xFFFF);
        for (int i = 0; i < 8; i++) {
            b.put(32 + 16 * i, extended());
        }
        for (int i = 0; i < 16; i++) {
            boolean singles = random.nextBoolean();
            for (int k = 0; k < 2; k++) {
                long v = singles ? (singleBits() & 0xFFFF_FFFFL) | ((long) singleBits() << 32)
                        : random.nextInt(4) == 0 ? anyLong() : doubleBits();
                b.putLong(160 + 16 * i + 8 * k, v);
            }
        }
        byte[] mem = new byte[FpuCase.MEM_SIZE];
        java.nio.ByteBuffer mb = java.nio.ByteBuffer.wrap(mem).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < mem.length; at += 16) {
            switch (random.nextInt(4)) {
                case 0 -> mb.putInt(at, singleBits()).putInt(at + 4, singleBits()).putInt(at + 8, singleBits())
                        .putInt(at + 12, singleBits());
                case 1 -> mb.putLong(at, doubleBits()).putLong(at + 8, doubleBits());
                case 2 -> mb.put(at, extended());
                default -> mb.putLong(at, anyLong()).putLong(at + 8, anyLong());
            }
        }
        if (random.nextInt(4) == 0) {
            // A loadable FXSAVE image (valid MXCSR) for FXRSTOR, built from this state.
            byte[] image = fx.clone();
            java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(24, random.nextInt(0x10000)).putShort(0, (short) random.nextInt(0x10000));
            image[4] = (byte) random.nextInt(256);
            System.arraycopy(image, 0, mem, 0, 416);
        }
        long[] gpr = {anyLong(), anyLong(), anyLong(), anyLong()};
        long rflags = random.nextLong() & Rflags.STATUS;
        return new FpuCase(code, -1, fx, gpr, rflags, mem);
    }

    // ---- instructions ----

    /** The bytes of a random instance of {@code slot} in 64-bit mode, or null if none fits. */
    byte[] instruction(Slot slot) {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<Operand> operands = new ArrayList<>();
            int osize = random.nextBoolean() ? 4 : 8;
            for (OperandType t : slot.form().operands()) {
                operands.add(operand(t, slot, osize));
            }
            Instruction i = InstructionBuilder.build(slot, 8, 0, 0, -1, operands);
            if (i != null) {
                byte[] bytes = Encoder.encode(i, 8);
                if (random.nextInt(8) == 0 && bytes.length < 15) {
                    // One more 66, F2 or F3 in front: the mandatory-prefix rules (SDM 2 §2.1.2,
                    // Table A-3 columns) and ignored prefixes, as the host decodes them.
                    byte[] prefixed = new byte[bytes.length + 1];
                    prefixed[0] = (byte) new int[] {0x66, 0xF2, 0xF3}[random.nextInt(3)];
                    System.arraycopy(bytes, 0, prefixed, 1, bytes.length);
                    if (onlyHarnessRegisters(prefixed)) {
                        return prefixed;
                    }
                }
                return bytes;
            }
        }
        return null;
    }

    private static final int[] GPRS = {CpuState.RAX, CpuState.RCX, CpuState.RDX, CpuState.RSI};
    private static final dev.hvspec.machine.cpu.isa.Decoder DECODER =
            new dev.hvspec.machine.cpu.isa.Decoder(java.util.EnumSet.allOf(dev.hvspec.machine.cpu.isa.IsaFeature.class));

    /**
     * Whether the bytes decode to an instruction (or #UD) whose general-register operands are
     * among the harness's RAX/RCX/RDX/RSI: a prefix can turn CVTTPS2PI mm4, xmm1 into CVTTSS2SI
     * esp, xmm1, and the harness's stack or context pointer must survive.
     */
    private static boolean onlyHarnessRegisters(byte[] bytes) {
        Instruction i;
        try {
            i = DECODER.decode(dev.hvspec.machine.cpu.isa.CodeSource.of(bytes, 0), 8);
        } catch (dev.hvspec.machine.cpu.isa.DecodeException e) {
            return true;
        }
        for (int k = 0; k < i.operandCount(); k++) {
            if (i.operand(k) instanceof Operand.Reg r && r.kind() == RegisterKind.GPR
                    && java.util.Arrays.stream(GPRS).noneMatch(g -> g == r.index())) {
                return false;
            }
            if (i.operand(k) instanceof Operand.Mem m && m.base() != CpuState.RBX) {
                return false;
            }
        }
        return true;
    }

    private Operand operand(OperandType t, Slot slot, int osize) {
        int size = t.bytes(osize, 8);
        boolean memory = slot.mod() == Slot.ModRequirement.MEMORY
                || slot.mod() == Slot.ModRequirement.ANY && random.nextBoolean();
        return switch (t.method()) {
            case V, XMM_RM -> xmm();
            case W -> memory ? memory(size) : xmm();
            case P, N -> new Operand.Reg(RegisterKind.MMX, random.nextInt(8), 8);
            case Q -> memory ? memory(size) : new Operand.Reg(RegisterKind.MMX, random.nextInt(8), 8);
            case ST0 -> new Operand.Reg(RegisterKind.X87, 0, 10);
            case STI -> new Operand.Reg(RegisterKind.X87, random.nextInt(8), 10);
            case M -> memory(size);
            case E -> memory ? memory(size) : gpr(size);
            case G, R -> gpr(size);
            case R_OR_MW -> memory ? memory(2) : gpr(t.size() == OperandType.Size.D ? 4 : osize);
            case FIXED_GPR -> new Operand.Reg(RegisterKind.GPR, t.register(), size);
            case U, I -> new Operand.Imm(random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(16), 0, 0);
            default -> throw new IllegalStateException("no generator for " + t + " in " + slot);
        };
    }

    private Operand.Reg xmm() {
        return new Operand.Reg(RegisterKind.XMM, random.nextInt(16), 16);
    }

    private Operand.Reg gpr(int size) {
        return new Operand.Reg(RegisterKind.GPR, GPRS[random.nextInt(GPRS.length)], size);
    }

    /** [RBX + disp] inside the 512-byte area, 16-byte aligned nine times in ten. */
    private Operand.Mem memory(int size) {
        int room = FpuCase.MEM_SIZE - Math.max(size, 1);
        int disp = random.nextInt(room + 1);
        if (random.nextInt(10) != 0) {
            disp &= ~15;
        }
        return new Operand.Mem(SegmentRegister.DS, CpuState.RBX, Operand.Mem.NONE, 1, disp, size, 8, false);
    }
}
