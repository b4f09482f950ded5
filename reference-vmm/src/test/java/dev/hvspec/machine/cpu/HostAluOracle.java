package dev.hvspec.machine.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The host processor as an oracle: {@code src/test/resources/alu-oracle/oracle.c}, compiled by
 * gcc, executes each case's instruction for real (GCC inline assembly between POPF and PUSHF) and
 * reports the registers and RFLAGS after it, or that it raised #DE. One process per batch.
 */
final class HostAluOracle {
    /** One case: the op name of the harness, the operand size, and the registers and flags going in. */
    record Case(String op, int size, long rax, long rcx, long rdx, long rflags) {
        String line() {
            return String.format("%s %d %x %x %x %x", op, size, rax, rcx, rdx, rflags);
        }

        @Override
        public String toString() {
            return String.format("%s/%d rax=%x rcx=%x rdx=%x flags=%x", op, 8 * size, rax, rcx, rdx, rflags);
        }
    }

    /** What an instruction did: registers and flags after it, or #DE. */
    sealed interface Outcome {
        record Ran(long rax, long rcx, long rdx, long rflags) implements Outcome {
            @Override
            public String toString() {
                return String.format("rax=%x rcx=%x rdx=%x flags=%x", rax, rcx, rdx, rflags);
            }
        }

        record DivideError() implements Outcome {
            @Override
            public String toString() {
                return "#DE";
            }
        }
    }

    private final Path executable;

    private HostAluOracle(Path executable) {
        this.executable = executable;
    }

    static boolean gccAvailable() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Compiles the harness into {@code dir}: for x86-64, or with {@code -m32} for the 32-bit build
     * that also has the BCD instructions. Empty when gcc cannot build 32-bit programs at all
     * (no gcc-multilib); any other failure to build the harness is an error.
     */
    static Optional<HostAluOracle> compile(Path dir, boolean m32) throws IOException, InterruptedException {
        Path source = dir.resolve("oracle.c");
        if (!Files.exists(source)) {
            try (InputStream in = HostAluOracle.class.getResourceAsStream("/alu-oracle/oracle.c")) {
                if (in == null) {
                    throw new IllegalStateException("alu-oracle/oracle.c is missing from the test resources");
                }
                Files.copy(in, source);
            }
        }
        if (m32) {
            // Without the 32-bit C library (gcc-multilib) not even an empty program links.
            Path empty = dir.resolve("empty.c");
            Files.writeString(empty, "int main(void) { return 0; }\n");
            if (gcc(List.of("-m32", "-o", dir.resolve("empty32").toString(), empty.toString())) != null) {
                return Optional.empty();
            }
        }
        Path out = dir.resolve(m32 ? "oracle32" : "oracle64");
        List<String> options = new ArrayList<>(List.of("-O1", "-Wall", "-Werror", "-masm=intel"));
        // No red zone: the harness pushes on the stack inside inline assembly.
        options.addAll(m32 ? List.of("-m32") : List.of("-mno-red-zone"));
        options.addAll(List.of("-o", out.toString(), source.toString()));
        String failure = gcc(options);
        if (failure != null) {
            throw new IllegalStateException("gcc failed to build the oracle harness:\n" + failure);
        }
        return Optional.of(new HostAluOracle(out));
    }

    /** Runs gcc; null on success, else its output. */
    private static String gcc(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(options);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? null : log;
    }

    /** Runs a batch; one outcome per case, in order. Fails on "unsupported" answers. */
    List<Outcome> run(List<Case> cases) throws IOException, InterruptedException {
        List<String> lines = exchange(cases.stream().map(Case::line).toList());
        if (lines.size() != cases.size()) {
            throw new IllegalStateException("the oracle answered " + lines.size() + " of " + cases.size() + " cases");
        }
        List<Outcome> outcomes = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.equals("#DE")) {
                outcomes.add(new Outcome.DivideError());
                continue;
            }
            String[] f = line.split(" ");
            if (f.length != 4) {
                throw new IllegalStateException("the oracle cannot run " + cases.get(i) + ": " + line);
            }
            outcomes.add(new Outcome.Ran(Long.parseUnsignedLong(f[0], 16), Long.parseUnsignedLong(f[1], 16),
                    Long.parseUnsignedLong(f[2], 16), Long.parseUnsignedLong(f[3], 16)));
        }
        return outcomes;
    }

    /** The "features" answer: e.g. {@code popcnt=1 lzcnt=1 tzcnt=0}, from the host's CPUID. */
    boolean hostHas(String feature) throws IOException, InterruptedException {
        String answer = exchange(List.of("features")).getFirst();
        return answer.contains(feature + "=1");
    }

    private List<String> exchange(List<String> input) throws IOException, InterruptedException {
        Path dir = executable.getParent();
        Path in = Files.createTempFile(dir, "cases", ".txt");
        Path out = Files.createTempFile(dir, "outcomes", ".txt");
        try {
            Files.write(in, input, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(executable.toString()).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the oracle harness did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the oracle harness exited with " + p.exitValue());
            }
            return Files.readAllLines(out, StandardCharsets.US_ASCII);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
