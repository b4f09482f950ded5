package dev.hvspec.machine.chipset;

/**
 * The local APIC's priority arithmetic as pure functions (SDM 3A §11.8.3.1 and §11.6.2.4). A
 * vector's priority class is bits 7:4; "IRRV" and "ISRV" are the highest vectors in IRR and ISR
 * (0 when empty).
 */
public final class ApicPriority {
    private ApicPriority() {
    }

    /** SDM 3A §11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] with bits 3:0 clear. */
    public static int processorPriority(int tpr, int isrv) {
        return (tpr & 0xF0) >= (isrv & 0xF0) ? tpr & 0xFF : isrv & 0xF0;
    }

    /**
     * SDM 3A §11.6.2.4 (the P6 arbitration priority): TPR if TPR[7:4] >= IRRV[7:4] and TPR[7:4] >
     * ISRV[7:4], else the largest of the three classes with bits 3:0 clear.
     */
    public static int arbitrationPriority(int tpr, int irrv, int isrv) {
        int t = tpr & 0xF0;
        int irrClass = irrv & 0xF0;
        int isrClass = isrv & 0xF0;
        if (t >= irrClass && t > isrClass) {
            return tpr & 0xFF;
        }
        return Math.max(t, Math.max(irrClass, isrClass));
    }

    /** SDM 3A §11.8.3.1: a pending vector is delivered only if its class is above PPR's. */
    public static boolean deliverable(int vector, int ppr) {
        return (vector & 0xF0) > (ppr & 0xF0);
    }
}
