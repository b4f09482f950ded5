package dev.hvspec.machine.cpu;

import java.util.OptionalLong;

/**
 * Registers the processor core forwards to the platform — in practice the local APIC: the MSRs
 * IA32_APIC_BASE, the x2APIC range 800H-8FFH and IA32_TSC_DEADLINE, and CR8 (the TPR, SDM 3A
 * §11.8.6). An empty result / false means "not an MSR of the platform": the core then raises #GP.
 * Implementations raise {@link CpuException} themselves for #GP cases they define (x2APIC rules).
 */
public interface PlatformRegisters {
    OptionalLong readMsr(int msr);

    boolean writeMsr(int msr, long value);

    long readCr8();

    void writeCr8(long value);

    /** No APIC: no platform MSRs; CR8 is a plain 4-bit register. */
    static PlatformRegisters none() {
        return new PlatformRegisters() {
            private long cr8;

            @Override
            public OptionalLong readMsr(int msr) {
                return OptionalLong.empty();
            }

            @Override
            public boolean writeMsr(int msr, long value) {
                return false;
            }

            @Override
            public long readCr8() {
                return cr8;
            }

            @Override
            public void writeCr8(long value) {
                cr8 = value & 0xF;
            }
        };
    }
}
