package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.FxsaveImage;
import dev.hvspec.machine.cpu.SseRegisters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The x87/SSE state in the KVM structs: kvm_fpu (api.rst §4.22-4.23, KVM_GET/SET_FPU) and the
 * legacy region and header of kvm_xsave (§4.42-4.43, KVM_GET/SET_XSAVE), both of which Linux
 * fills from the FXSAVE image (arch/x86/kvm/x86.c): kvm_fpu's fpr[8][16] are ST(0)-ST(7) as
 * FXSAVE lays them out, ftwx is the abridged tag byte, last_ip/last_dp are the 64-bit pointers.
 */
final class FpuStateMapping {
    /** Offset of the XSAVE header's XSTATE_BV in the kvm_xsave region (SDM 1 §13.4.2). */
    private static final int XSTATE_BV = 512;
    /** XSTATE_BV bits of the x87 and SSE components (SDM 1 §13.1). */
    static final long XFEATURE_X87 = 1, XFEATURE_SSE = 2;

    private FpuStateMapping() {
    }

    static void fpuOut(CpuState s, StructView fpu) {
        byte[] fx = FxsaveImage.save(s, true, true);
        ByteBuffer b = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
        fpu.clear();
        fpu.setBytes("fpr", Arrays.copyOfRange(fx, 32, 160));
        fpu.set("fcw", b.getShort(0) & 0xFFFF).set("fsw", b.getShort(2) & 0xFFFF).set("ftwx", b.get(4) & 0xFF)
                .set("last_opcode", b.getShort(6) & 0xFFFF).set("last_ip", b.getLong(8)).set("last_dp", b.getLong(16))
                .set("mxcsr", b.getInt(24) & 0xFFFF_FFFFL);
        fpu.setBytes("xmm", Arrays.copyOfRange(fx, 160, 416));
    }

    /** KVM_SET_FPU: Linux copies the fields without checks; MXCSR bits this processor lacks are dropped. */
    static void fpuIn(CpuState s, StructView fpu) {
        byte[] fx = FxsaveImage.save(s, true, true);
        ByteBuffer b = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(fpu.bytes("fpr"), 0, fx, 32, 128);
        b.putShort(0, (short) fpu.get("fcw")).putShort(2, (short) fpu.get("fsw")).put(4, (byte) fpu.get("ftwx"))
                .putShort(6, (short) fpu.get("last_opcode")).putLong(8, fpu.get("last_ip")).putLong(16, fpu.get("last_dp"))
                .putInt(24, (int) fpu.get("mxcsr") & SseRegisters.MXCSR_MASK);
        System.arraycopy(fpu.bytes("xmm"), 0, fx, 160, 256);
        FxsaveImage.load(s, fx, true, true);
    }

    /** KVM_GET_XSAVE: the 64-bit FXSAVE image, then a header with XSTATE_BV = x87 | SSE. */
    static void xsaveOut(CpuState s, ByteBuffer region) {
        for (int i = 0; i < region.capacity(); i++) {
            region.put(i, (byte) 0);
        }
        region.put(0, FxsaveImage.save(s, true, true));
        region.order(ByteOrder.LITTLE_ENDIAN).putLong(XSTATE_BV, XFEATURE_X87 | XFEATURE_SSE);
    }

    /**
     * KVM_SET_XSAVE: MXCSR with reserved bits is rejected (Linux: -EINVAL); a component whose
     * XSTATE_BV bit is clear takes its initial state (SDM 1 §13.8.1: FNINIT's x87 state, zeroed
     * XMM registers), as XRSTOR would. Returns false when the image is rejected.
     */
    static boolean xsaveIn(CpuState s, ByteBuffer region) {
        byte[] fx = new byte[FxsaveImage.SIZE];
        region.get(0, fx);
        if (!FxsaveImage.valid(fx)) {
            return false;
        }
        long bv = region.order(ByteOrder.LITTLE_ENDIAN).getLong(XSTATE_BV);
        FxsaveImage.load(s, fx, true, true);
        if ((bv & XFEATURE_X87) == 0) {
            s.x87.init();
            Arrays.fill(s.x87.significand, 0);
            Arrays.fill(s.x87.signExponent, 0);
        }
        if ((bv & XFEATURE_SSE) == 0) {
            Arrays.fill(s.sse.xmm, 0);
        }
        return true;
    }
}
