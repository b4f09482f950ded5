package dev.hvspec.kvm.tsc;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest TSC's rate set through KVM_SET_TSC_KHZ (api.rst §4.55, {@code hvspec run --tsc-khz})
 * as a guest sees it. Virtual time is one nanosecond per retired instruction, so at F kHz the TSC
 * advances F / 10^6 ticks per instruction; the expectations below are counted by hand from the
 * guests' instruction sequences ({@link TscGuests}).
 */
class TscKhzGuestTest {
    private static Map<String, Long> run(byte[] image, PcBoard.IrqchipMode irqchip, long tscKhz) {
        RunConfig config = RunConfig.of(image, "tsc", Duration.ofSeconds(30)).withMachine(32L << 20, 1, irqchip)
                .withTscKhz(tscKhz);
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        RunResult result;
        try {
            result = ReferenceVmm.run(HostKernel.modern(), config, serial, null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        String out = serial.toString(StandardCharsets.US_ASCII);
        assertThat(result.exitStatus()).as(out).isEqualTo(1); // isa-debug-exit 0 → (0 << 1) | 1
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim(), 16));
            }
        }
        return values;
    }

    @ParameterizedTest
    @EnumSource(PcBoard.IrqchipMode.class)
    void theDefaultTscCountsOneTickPerRetiredInstruction(PcBoard.IrqchipMode irqchip) {
        // The host's 1 GHz: 1 tick per nanosecond, 1 ns per instruction.
        assertThat(run(TscGuests.rateImage(), irqchip, 0).get("delta"))
                .isEqualTo((long) TscGuests.INSTRUCTIONS_BETWEEN_READS);
    }

    @ParameterizedTest
    @EnumSource(PcBoard.IrqchipMode.class)
    void atTwoGigahertzTheTscAdvancesTwiceAsFastPerInstruction(PcBoard.IrqchipMode irqchip) {
        // ticks = floor(ns × 2000000 / 10^6) = 2 ns exactly, so the difference is twice the instructions.
        assertThat(run(TscGuests.rateImage(), irqchip, 2_000_000).get("delta"))
                .isEqualTo(2L * TscGuests.INSTRUCTIONS_BETWEEN_READS);
    }

    @ParameterizedTest
    @ValueSource(longs = {500_000, 3_000_000})
    void otherWholeMultiplesAndHalvesScaleTheSameWay(long khz) {
        // 0.5 GHz: floor(ns / 2) changes by 1001 or 1002 over 2003 ns, depending on where the
        // count starts; 3 GHz: exactly 3 × 2003.
        long delta = run(TscGuests.rateImage(), PcBoard.IrqchipMode.KERNEL, khz).get("delta");
        long ns = TscGuests.INSTRUCTIONS_BETWEEN_READS;
        if (khz == 3_000_000) {
            assertThat(delta).isEqualTo(3 * ns);
        } else {
            assertThat(delta).isBetween(ns / 2, ns / 2 + 1);
        }
    }

    /**
     * The TSC-deadline timer (in-kernel local APIC; without one KVM ignores IA32_TSC_DEADLINE) fires
     * when the scaled TSC reaches the deadline: DEADLINE_TICKS / rate nanoseconds after arming, i.e.
     * that many instructions, WAIT_LOOP_INSTRUCTIONS per spin. Up to 7 instructions between the
     * RDTSC that computes the deadline and the wait loop (ADD, ADC, 2 × MOV, MOV ECX, XOR, WRMSR,
     * STI) and the one the interrupt may have to wait for make the spin count slightly smaller; the
     * handler's RDTSC comes 2 instructions (PUSH, PUSH) after delivery.
     */
    @ParameterizedTest
    @ValueSource(longs = {1_000_000, 2_000_000})
    void aTscDeadlineFiresWhenTheScaledTscReachesIt(long khz) {
        Map<String, Long> v = run(TscGuests.deadlineImage(), PcBoard.IrqchipMode.KERNEL, khz);
        long ticksPerNs = khz / 1_000_000;
        long nanos = TscGuests.DEADLINE_TICKS / ticksPerNs; // 600000 ns at 1 GHz, 300000 ns at 2 GHz
        long spins = nanos / TscGuests.WAIT_LOOP_INSTRUCTIONS;
        assertThat(v.get("spins")).isBetween(spins - 4, spins);
        assertThat(v.get("late")).isBetween(0L, 4 * ticksPerNs);
    }
}
