package dev.hvspec.machine.chipset;

import static dev.hvspec.machine.chipset.LocalApicRegisters.*;

/**
 * The plain registers of a {@link LocalApic} (SDM 3A Table 11-1): values software writes and reads
 * back, and the 256-bit IRR, ISR and TMR. Registers computed from others (PPR, APR, the timer's
 * current count) and the local vector table live in the APIC. Also holds the errors detected since
 * the last ESR write (§11.5.3).
 *
 * <p>Not thread-safe: part of {@link LocalApic}, which holds its lock.
 */
final class ApicRegisterFile {
    int xapicId;
    int tpr;
    int ldr;
    int dfr;
    int svr;
    int esr;
    int pendingErrors;
    int icrLow;
    int icrHigh;
    final ApicVectorSet irr = new ApicVectorSet();
    final ApicVectorSet isr = new ApicVectorSet();
    final ApicVectorSet tmr = new ApicVectorSet();

    /** SDM 3A §11.4.7.1 and §11.12.5.1: zeros, SVR 0xFF, DFR all ones; the ID is kept. */
    void powerUp() {
        irr.clearAll();
        isr.clearAll();
        tmr.clearAll();
        tpr = 0;
        ldr = 0;
        dfr = 0xFFFF_FFFF;
        svr = 0xFF;
        esr = 0;
        pendingErrors = 0;
        icrLow = 0;
        icrHigh = 0;
    }

    /** Loads the plain registers from a saved register page (the ID register is the APIC's business). */
    void load(KvmLapicState page) {
        tpr = page.getInt(TPR) & 0xFF;
        ldr = page.getInt(LDR);
        dfr = page.getInt(DFR) | 0x0FFF_FFFF;
        svr = page.getInt(SVR);
        for (int w = 0; w < 8; w++) {
            isr.setWord(w, page.getInt(ISR + 16 * w));
            tmr.setWord(w, page.getInt(TMR + 16 * w));
            irr.setWord(w, page.getInt(IRR + 16 * w));
        }
        esr = page.getInt(ESR);
        icrLow = page.getInt(ICR_LOW);
        icrHigh = page.getInt(ICR_HIGH);
    }
}
