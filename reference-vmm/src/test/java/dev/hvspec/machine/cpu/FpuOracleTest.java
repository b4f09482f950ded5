package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.IsaFeature;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.OpcodeTables;
import dev.hvspec.machine.cpu.isa.Slot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host processor as an oracle for every x87, MMX, SSE, SSE2 and SSE3 form of the opcode
 * tables: random instances of each form run in random states (special values, every rounding
 * and precision mode, DAZ/FTZ, masked and unmasked exceptions) on the real processor
 * ({@link HostFpuOracle}) and on the reference ({@link ReferenceFpuMachine}); the whole x87/SSE
 * state, the general registers, the status flags, the memory operand area and the exception
 * raised must agree ({@link FpuStateDiff}).
 */
@Tag("sdm-1-8")
@Tag("sdm-1-11")
class FpuOracleTest {
    private static final int PER_FORM = Integer.getInteger("hvspec.fpu.cases", 40);
    private static final long SEED = Long.getLong("hvspec.fpu.seed", 0xF87);
    private static final int SHOWN = 40;

    /** The x87/MMX/SSE forms of the tables. */
    static List<Slot> forms(Set<Mnemonic> only) {
        Set<Mnemonic> fp = EnumSet.range(Mnemonic.FLD, Mnemonic.MOVDDUP);
        List<Slot> out = new ArrayList<>();
        for (Slot s : OpcodeTables.standard().slots()) {
            if (fp.contains(s.form().mnemonic()) && s.validIn(8) && !(s.feature() != null && !s.featurePresent())
                    && (only.isEmpty() || only.contains(s.form().mnemonic()))) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void everyFormAgreesWithTheHostProcessor(@TempDir Path dir) throws Exception {
        assumeTrue(HostAluOracle.gccAvailable(), "gcc is not installed (CI installs it)");
        HostFpuOracle host = HostFpuOracle.compile(dir);
        Set<Mnemonic> only = EnumSet.noneOf(Mnemonic.class);
        for (String name : System.getProperty("hvspec.fpu.only", "").split(",")) {
            if (!name.isBlank()) {
                only.add(Mnemonic.valueOf(name.trim()));
            }
        }
        FpuCaseGenerator generator = new FpuCaseGenerator(new Random(SEED));
        List<FpuCase> cases = new ArrayList<>();
        List<Slot> slotOfCase = new ArrayList<>();
        for (Slot s : forms(only)) {
            for (int n = 0; n < PER_FORM; n++) {
                byte[] code = generator.instruction(s);
                if (code != null) {
                    cases.add(generator.state(code));
                    slotOfCase.add(s);
                }
            }
        }
        List<FpuCase> theirs = host.run(cases);
        ReferenceFpuMachine machine = new ReferenceFpuMachine();
        Map<String, Integer> failuresByForm = new TreeMap<>();
        Map<String, String> firstFailure = new TreeMap<>();
        for (int k = 0; k < cases.size(); k++) {
            FpuCase c = cases.get(k);
            FpuCase ours;
            try {
                ours = machine.run(c);
            } catch (RuntimeException e) {
                failuresByForm.merge(slotOfCase.get(k).form().toString(), 1, Integer::sum);
                firstFailure.putIfAbsent(slotOfCase.get(k).form().toString(),
                        c.codeHex() + " " + slotOfCase.get(k) + ": reference threw " + e + "\n      in: " + describe(c));
                continue;
            }
            List<String> diff = FpuTolerance.remaining(slotOfCase.get(k).form().mnemonic(), c, theirs.get(k), ours,
                    FpuStateDiff.differences(theirs.get(k), ours));
            if (!diff.isEmpty()) {
                failuresByForm.merge(slotOfCase.get(k).form().toString(), 1, Integer::sum);
                firstFailure.putIfAbsent(slotOfCase.get(k).form().toString(),
                        c.codeHex() + " " + slotOfCase.get(k).form() + ": " + diff + "\n      in: " + describe(c));
            }
        }
        assertThat(cases).hasSizeGreaterThan(only.isEmpty() ? 5000 : 0);
        List<String> shown = firstFailure.values().stream().limit(SHOWN).toList();
        assertThat(failuresByForm).as("forms that differ from the host (%d cases), the first case of each:\n%s",
                cases.size(), String.join("\n", shown)).isEmpty();
    }

    static String describe(FpuCase c) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(c.fx()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        StringBuilder s = new StringBuilder(String.format("FCW %04x FSW %04x FTW %02x MXCSR %08x",
                b.getShort(0), b.getShort(2), b.get(4), b.getInt(24)));
        for (int i = 0; i < 8; i++) {
            s.append(" ST").append(i).append('=').append(FpuStateDiff.reversed(c.fx(), 32 + 16 * i, 10));
        }
        return s.toString();
    }
}
