package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Assembler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The host processor as an oracle for the reference CPU's integer instructions. For each op of
 * {@link AluOracleOps} at each operand size, the same instruction on the same registers runs on
 * the real processor (oracle.c, built by gcc) and on the reference {@link Cpu} (assembled by our
 * assembler, so operand decoding and register write-back are covered as well as {@link Alu}); the
 * full registers, #DE, and the status flags the SDM defines ({@link SdmDefined}) must agree.
 * Undefined flags and result bits are not compared; where the reference's documented choice
 * differs from this host, the difference is tallied and printed (and written to
 * target/alu-oracle-undefined.txt), not failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AluOracleTest {
    private static final String[] FLAG_NAMES = {"CF", "PF", "AF", "ZF", "SF", "OF"};
    private static final long[] FLAG_BITS = {Rflags.CF, Rflags.PF, Rflags.AF, Rflags.ZF, Rflags.SF, Rflags.OF};
    private static final int SHOWN_FAILURES = 15;

    private HostAluOracle host64;
    private HostAluOracle host32;
    private final ReferenceAluMachine machine64 = ReferenceAluMachine.longMode();
    private final ReferenceAluMachine machine32 = ReferenceAluMachine.protectedMode32();
    /** "op/bits undefined-thing" → tally, for the report. */
    private final Map<String, Tally> undefined = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, String> caseCounts = Collections.synchronizedMap(new TreeMap<>());

    /** How often something undefined was undefined, and how often host and reference differed there. */
    private static final class Tally {
        int undefinedCases;
        int differing;
        /** For flags: how often the host left it set, and left it as it came in. */
        int hostSet;
        int hostUnchanged;
        String example;

        /** What the host seems to do with an undefined flag, over these cases. */
        String hostPattern() {
            if (hostSet == 0) {
                return "host always clears it";
            }
            if (hostSet == undefinedCases) {
                return "host always sets it";
            }
            return hostUnchanged == undefinedCases ? "host leaves it unchanged" : "host computes it";
        }
    }

    @BeforeAll
    void buildHarness(@TempDir Path dir) throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "the host is " + arch + ", not x86-64: no oracle");
        assumeTrue(HostAluOracle.gccAvailable(), "gcc is not installed (CI installs it): the host-CPU oracle needs it");
        host64 = HostAluOracle.compile(dir, false).orElseThrow();
        host32 = HostAluOracle.compile(dir, true).orElse(null);
    }

    @TestFactory
    Stream<DynamicTest> in64BitMode() {
        return AluOracleOps.longMode().stream().map(op -> dynamicTest(op.name(), () -> check(op, host64, machine64)));
    }

    @TestFactory
    Stream<DynamicTest> decimalIn32BitMode() {
        return AluOracleOps.decimal().stream().map(op -> dynamicTest(op.name(), () -> {
            assumeTrue(host32 != null, "gcc -m32 cannot build the 32-bit harness (install gcc-multilib), "
                    + "so DAA DAS AAA AAS AAM AAD are not checked against the host");
            check(op, host32, machine32);
        }));
    }

    private void check(AluOracleOps.Op op, HostAluOracle host, ReferenceAluMachine machine) throws Exception {
        String feature = switch (op.name()) {
            case "popcnt", "lzcnt", "tzcnt" -> op.name();
            default -> null;
        };
        if (feature != null) {
            // Without LZCNT (BMI1 for TZCNT) the host runs F3 0F BD (BC) as BSR (BSF): no oracle for them.
            assumeTrue(host.hostHas(feature), "the host CPU does not advertise " + feature + " in CPUID");
        }
        Map<String, Long> rip = assemble(op, machine);
        List<HostAluOracle.Case> cases = new ArrayList<>();
        for (int size : op.sizes()) {
            cases.addAll(AluOracleInputs.cases(op, size, machine.registerSize()));
        }
        List<HostAluOracle.Outcome> expected = host.run(cases);
        List<String> failures = new ArrayList<>();
        int divideErrors = 0;
        for (int i = 0; i < cases.size(); i++) {
            HostAluOracle.Case c = cases.get(i);
            HostAluOracle.Outcome want = expected.get(i);
            divideErrors += want instanceof HostAluOracle.Outcome.DivideError ? 1 : 0;
            for (AluOracleOps.Form form : op.forms()) {
                int memoryRole = form == AluOracleOps.Form.MEMORY ? op.memoryRole() : -1;
                HostAluOracle.Outcome got = machine.run(rip.get(c.size() + " " + form), c, memoryRole);
                String problem = compare(c, want, got, memoryRole, Alu.mask(machine.registerSize()));
                if (problem != null) {
                    failures.add(c + (memoryRole >= 0 ? " (reference: r/m in memory)" : "") + "\n    host:      "
                            + want + "\n    reference: " + got + "\n    " + problem);
                }
            }
        }
        caseCounts.put(op.name(), cases.size() + " × " + op.forms().size() + " forms"
                + (divideErrors > 0 ? ", " + divideErrors + " #DE" : ""));
        assertThat(failures).as("%d of %d cases of %s differ from the host CPU; the first %d:\n%s", failures.size(),
                cases.size() * op.forms().size(), op.name(), Math.min(SHOWN_FAILURES, failures.size()),
                String.join("\n", failures.subList(0, Math.min(SHOWN_FAILURES, failures.size())))).isEmpty();
    }

    /** One instruction per size and form, each at its own address, on a fresh page of the machine. */
    private static Map<String, Long> assemble(AluOracleOps.Op op, ReferenceAluMachine machine) {
        Assembler a = new Assembler(machine.nextCodeAddress(), machine.codeMode());
        Map<String, Long> rip = new HashMap<>();
        for (int size : op.sizes()) {
            for (AluOracleOps.Form form : op.forms()) {
                a.align(16);
                rip.put(size + " " + form, a.position());
                op.emitter().emit(a, size, AluOracleOps.regs(size, form == AluOracleOps.Form.MEMORY ? op.memoryRole() : -1));
            }
        }
        machine.place(a.assemble());
        return rip;
    }

    /** Null when the reference agrees with the host on everything the SDM defines. */
    private String compare(HostAluOracle.Case c, HostAluOracle.Outcome want, HostAluOracle.Outcome got,
                           int memoryRole, long registerMask) {
        if (!(want instanceof HostAluOracle.Outcome.Ran w) || !(got instanceof HostAluOracle.Outcome.Ran g)) {
            return want.getClass() == got.getClass() ? null : "#DE differs";
        }
        long[] hostRegs = {w.rax(), w.rcx(), w.rdx()};
        if (memoryRole >= 0) {
            // In memory only the operand's bytes change (a 32-bit result is not zero-extended there);
            // the bytes after it are the guards the reference machine put in.
            long[] in = {c.rax(), c.rcx(), c.rdx()};
            long operand = Alu.mask(c.size());
            hostRegs[memoryRole] = hostRegs[memoryRole] & operand | in[memoryRole] & ~operand;
        }
        long[] refRegs = {g.rax(), g.rcx(), g.rdx()};
        String[] names = {"rax", "rcx", "rdx"};
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            long defined = SdmDefined.resultBits(c, r) & registerMask;
            long diff = (hostRegs[r] ^ refRegs[r]) & registerMask;
            if ((diff & defined) != 0) {
                problems.add(names[r] + " differs");
            }
            if ((registerMask & ~defined) != 0) {
                tally(c, names[r] + " (undefined bits " + Long.toHexString(registerMask & ~defined) + ")",
                        (diff & ~defined) != 0, w, g);
            }
        }
        long definedFlags = SdmDefined.flags(c);
        long flagDiff = (w.rflags() ^ g.rflags()) & Rflags.STATUS;
        for (int f = 0; f < FLAG_BITS.length; f++) {
            long bit = FLAG_BITS[f];
            if ((definedFlags & bit) != 0) {
                if ((flagDiff & bit) != 0) {
                    problems.add(FLAG_NAMES[f] + " differs");
                }
            } else {
                Tally t = tally(c, FLAG_NAMES[f], (flagDiff & bit) != 0, w, g);
                synchronized (t) {
                    t.hostSet += (w.rflags() & bit) != 0 ? 1 : 0;
                    t.hostUnchanged += ((w.rflags() ^ c.rflags()) & bit) == 0 ? 1 : 0;
                }
            }
        }
        return problems.isEmpty() ? null : String.join(", ", problems);
    }

    private Tally tally(HostAluOracle.Case c, String what, boolean differs, HostAluOracle.Outcome.Ran host,
                        HostAluOracle.Outcome.Ran reference) {
        Tally t = undefined.computeIfAbsent(c.op() + "/" + 8 * c.size() + " " + what, k -> new Tally());
        synchronized (t) {
            t.undefinedCases++;
            if (differs) {
                t.differing++;
                if (t.example == null) {
                    t.example = c + " → host " + host + ", reference " + reference;
                }
            }
        }
        return t;
    }

    @AfterAll
    void reportUndefined() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("ALU oracle cases per op (host runs × reference forms): " + caseCounts);
        lines.add("Undefined flags/bits where the reference's choice differs from this host (not failures):");
        undefined.forEach((key, t) -> {
            if (t.differing > 0) {
                boolean flag = !key.contains("undefined bits");
                lines.add(String.format("  %-34s differs in %d of %d cases%s, e.g. %s", key, t.differing,
                        t.undefinedCases, flag ? " (" + t.hostPattern() + ")" : "", t.example));
            }
        });
        lines.add("Undefined flags/bits where they agree in every case: " + undefined.entrySet().stream()
                .filter(e -> e.getValue().differing == 0).map(Map.Entry::getKey).toList());
        lines.forEach(System.out::println);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.write(target.resolve("alu-oracle-undefined.txt"), lines);
        }
    }
}
