package dev.hvspec.kvm.mmu;

import dev.hvspec.kvm.KvmParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Map;

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

    @ParameterizedTest
    @EnumSource(KvmParameters.Mmu.class)
    void paging32(KvmParameters.Mmu mmu) {
        GuestRun run = GuestRun.run(Paging32Guest.image(), mmu);
        assertThat(lines(run.serial())).as(run.serial()).containsExactlyEntriesOf(Paging32Guest.EXPECTED);
        assertThat(run.exitStatus()).isEqualTo(1);
        System.out.println(mmu + " " + run.stats());
    }
}
