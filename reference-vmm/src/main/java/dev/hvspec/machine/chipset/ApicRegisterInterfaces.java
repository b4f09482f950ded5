package dev.hvspec.machine.chipset;

import dev.hvspec.machine.chipset.LocalApicRegisters.Access;

import java.util.List;

import static dev.hvspec.machine.chipset.LocalApicRegisters.*;

/**
 * The two ways software reaches a local APIC's registers (SDM 3A §11.12.2, Table 11-7): the xAPIC
 * page in memory (xAPIC mode only) and the x2APIC MSRs 0x800-0x8FF (x2APIC mode only), each with
 * its access rules from {@link LocalApicRegisters}. The MSRs IA32_APIC_BASE and IA32_TSC_DEADLINE
 * are reached in every mode.
 *
 * <p>Every method runs with the APIC's lock held (the APIC calls in); effects that leave the APIC
 * are queued in {@code out}.
 */
final class ApicRegisterInterfaces {
    private ApicRegisterInterfaces() {
    }

    /**
     * A read of the register page at {@code offset}. Registers are 32 bits at 16-byte alignment
     * (SDM 3A §11.4.1): narrower reads return the addressed bytes, bytes 4-15 of a slot read 0. A
     * reserved register reads 0 and sets ESR "illegal register address" (§11.5.3). Outside xAPIC
     * mode the page does not decode and reads 0.
     */
    static long mmioRead(LocalApic apic, long offset, int size, List<Runnable> out) {
        int within = (int) (offset & 0xF);
        if (apic.mode() != LocalApic.Mode.XAPIC || offset < 0 || offset >= 0x1000 || within + size > 4) {
            return 0;
        }
        int slot = (int) (offset & 0xFF0);
        Access access = offset >= PAGE_SIZE ? Access.RESERVED : LocalApicRegisters.access(slot, false);
        if (access == Access.RESERVED) {
            apic.raiseError(ESR_ILLEGAL_REGISTER_ADDRESS, out);
            return 0;
        }
        int value = access.readable() ? apic.readRegister(slot) : 0;
        long shifted = Integer.toUnsignedLong(value) >>> (8 * within);
        return size >= 4 ? shifted : shifted & ((1L << (8 * size)) - 1);
    }

    /** A write to the register page; only aligned 32-bit writes have an effect (SDM 3A §11.4.1). */
    static void mmioWrite(LocalApic apic, long offset, int size, long value, List<Runnable> out) {
        if (apic.mode() != LocalApic.Mode.XAPIC || offset < 0 || offset >= 0x1000 || (offset & 0xF) != 0
                || size != 4) {
            return;
        }
        int slot = (int) offset;
        Access access = offset >= PAGE_SIZE ? Access.RESERVED : LocalApicRegisters.access(slot, false);
        if (access == Access.RESERVED) {
            apic.raiseError(ESR_ILLEGAL_REGISTER_ADDRESS, out);
        } else if (access.writable()) {
            apic.writeRegister(slot, (int) value & apic.writableBits(slot, false), out);
        }
    }

    /** RDMSR (SDM 3A §11.12.1.2): x2APIC registers fault outside x2APIC mode and when not readable. */
    static MsrResult readMsr(LocalApic apic, int msr) {
        if (msr == IA32_APIC_BASE) {
            return MsrResult.ok(apic.apicBase());
        }
        if (msr == IA32_TSC_DEADLINE) {
            return apic.config().tscDeadlineSupported() ? MsrResult.ok(apic.tscDeadline())
                    : MsrResult.gp("TSC-deadline timer not supported");
        }
        if (apic.mode() != LocalApic.Mode.X2APIC) {
            return MsrResult.gp("x2APIC MSR while not in x2APIC mode");
        }
        int offset = offsetOfMsr(msr);
        Access access = LocalApicRegisters.access(offset, true);
        if (!access.readable()) {
            return MsrResult.gp("RDMSR of a " + access + " x2APIC register");
        }
        if (offset == ICR_LOW) {
            return MsrResult.ok(Integer.toUnsignedLong(apic.readRegister(ICR_HIGH)) << 32
                    | Integer.toUnsignedLong(apic.readRegister(ICR_LOW)));
        }
        return MsrResult.ok(Integer.toUnsignedLong(apic.readRegister(offset)));
    }

    /**
     * WRMSR (SDM 3A §11.12.1.3): non-zero reserved bits, including bits 63:32 of a 32-bit register,
     * raise #GP; read-only bits inside a register (delivery status, Remote IRR) are ignored. The
     * 64-bit ICR (§11.12.9) takes the destination in bits 63:32 and sends.
     */
    static MsrResult writeMsr(LocalApic apic, int msr, long value, List<Runnable> out) {
        if (msr == IA32_APIC_BASE) {
            return apic.writeApicBase(value, out);
        }
        if (msr == IA32_TSC_DEADLINE) {
            if (!apic.config().tscDeadlineSupported()) {
                return MsrResult.gp("TSC-deadline timer not supported");
            }
            apic.writeTscDeadline(value);
            return MsrResult.ok();
        }
        if (apic.mode() != LocalApic.Mode.X2APIC) {
            return MsrResult.gp("x2APIC MSR while not in x2APIC mode");
        }
        int offset = offsetOfMsr(msr);
        Access access = LocalApicRegisters.access(offset, true);
        if (!access.writable()) {
            return MsrResult.gp("WRMSR of a " + access + " x2APIC register");
        }
        if (offset == ICR_LOW) {
            if ((value & ~X2APIC_ICR_VALID) != 0) {
                return MsrResult.gp("x2APIC ICR reserved bits set");
            }
            apic.writeIcr64(value, out);
            return MsrResult.ok();
        }
        int writable = apic.writableBits(offset, true);
        int defined = writable | readOnlyBits(offset);
        if ((value >>> 32) != 0 || ((int) value & ~defined) != 0) {
            return MsrResult.gp("x2APIC register reserved bits set");
        }
        apic.writeRegister(offset, (int) value & writable, out);
        return MsrResult.ok();
    }
}
