package dev.hvspec.machine.cpu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host processor as an oracle for x87, MMX and SSE instructions:
 * {@code src/test/resources/fpu-oracle/oracle.c}, compiled by gcc, runs each case's instruction
 * for real between FXRSTOR64 and FXSAVE64 (or catches its fault with the vector) and answers the
 * state after it. One process per batch.
 */
final class HostFpuOracle {
    private final Path executable;

    private HostFpuOracle(Path executable) {
        this.executable = executable;
    }

    /** Compiles the harness into {@code dir}; fails with gcc's output if that does not work. */
    static HostFpuOracle compile(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("fpu-oracle.c");
        try (InputStream in = HostFpuOracle.class.getResourceAsStream("/fpu-oracle/oracle.c")) {
            if (in == null) {
                throw new IllegalStateException("fpu-oracle/oracle.c is missing from the test resources");
            }
            Files.copy(in, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = dir.resolve("fpu-oracle");
        Process p = new ProcessBuilder("gcc", "-O1", "-Wall", "-Werror", "-masm=intel", "-mno-red-zone",
                "-o", out.toString(), source.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gcc failed to build the FPU oracle harness:\n" + log);
        }
        return new HostFpuOracle(out);
    }

    /** Runs a batch of cases; one outcome per case, in order. */
    List<FpuCase> run(List<FpuCase> cases) throws IOException, InterruptedException {
        Path dir = executable.getParent();
        Path in = Files.createTempFile(dir, "cases", ".bin");
        Path out = Files.createTempFile(dir, "outcomes", ".bin");
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (FpuCase c : cases) {
                bytes.writeBytes(c.toRecord());
            }
            Files.write(in, bytes.toByteArray());
            Process p = new ProcessBuilder(executable.toString()).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the FPU oracle harness did not finish");
            }
            if (p.exitValue() != 0) {
                long done = Files.size(out) / FpuCase.RECORD;
                throw new IllegalStateException("the FPU oracle harness exited with " + p.exitValue() + " at case "
                        + done + (done < cases.size() ? " (" + cases.get((int) done).codeHex() + ")" : ""));
            }
            byte[] all = Files.readAllBytes(out);
            if (all.length != cases.size() * FpuCase.RECORD) {
                throw new IllegalStateException("the FPU oracle answered " + all.length / FpuCase.RECORD
                        + " of " + cases.size() + " cases");
            }
            List<FpuCase> outcomes = new ArrayList<>(cases.size());
            for (int k = 0; k < cases.size(); k++) {
                outcomes.add(FpuCase.fromRecord(java.util.Arrays.copyOfRange(all, k * FpuCase.RECORD, (k + 1) * FpuCase.RECORD)));
            }
            return outcomes;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
