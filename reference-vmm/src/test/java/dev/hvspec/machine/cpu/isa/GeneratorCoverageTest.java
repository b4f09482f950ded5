package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The generators reach every form of the tables in every mode where the form is valid. */
class GeneratorCoverageTest {
    @Test
    void everyValidFormCanBeGenerated() {
        InstructionGenerator g = new InstructionGenerator(new Random(1), false);
        List<String> missing = new ArrayList<>();
        for (int mode : new int[] {2, 4, 8}) {
            for (Slot s : OpcodeTables.standard().slots()) {
                if (s.validIn(mode) && !(s.feature() != null && !s.featurePresent()) && g.generate(s, mode) == null) {
                    missing.add(mode + ": " + s);
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
