package dev.hvspec.kvm.mmu;

import dev.hvspec.kvm.KvmParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The done-means of issue 6: guest programs print exactly what the SDM says, identically under
 * EPT, NPT and shadow paging.
 */
class MmuEquivalenceTest {
    static Map<String, String> lines(String serial) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : serial.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    static Stream<Arguments> programs() {
        Map<String, Object[]> programs = new LinkedHashMap<>();
        programs.put("paging32", new Object[] {Paging32Guest.image(), Paging32Guest.EXPECTED});
        programs.put("pae", new Object[] {PaeGuest.image(), PaeGuest.EXPECTED});
        programs.put("large-page-dirty", new Object[] {LargePageDirtyGuest.image(), LargePageDirtyGuest.EXPECTED});
        programs.put("long-mode", new Object[] {LongModeGuest.image(), LongModeGuest.EXPECTED});
        programs.put("la57", new Object[] {La57Guest.image(), La57Guest.EXPECTED});
        programs.put("real-mode", new Object[] {RealModeGuest.image(), RealModeGuest.EXPECTED});
        programs.put("exceptions", new Object[] {ExceptionsGuest.image(), ExceptionsGuest.EXPECTED});
        List<Arguments> all = new ArrayList<>();
        programs.forEach((name, p) -> {
            for (KvmParameters.Mmu mmu : KvmParameters.Mmu.values()) {
                all.add(Arguments.of(name, mmu, p[0], p[1]));
            }
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("programs")
    @SuppressWarnings("unchecked")
    void guestPrintsWhatTheSdmSays(String name, KvmParameters.Mmu mmu, byte[] image, Object expected) {
        GuestRun run = GuestRun.run(image, mmu);
        assertThat(lines(run.serial())).as(run.serial()).containsExactlyEntriesOf((Map<String, String>) expected);
        assertThat(run.exitStatus()).as("isa-debug-exit 0").isEqualTo(1);
    }
}
