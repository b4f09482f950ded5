package dev.hvspec.cli;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;
import dev.hvspec.vmm.boot.FlatMultibootImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import static dev.hvspec.machine.cpu.isa.Asm.EAX;
import static dev.hvspec.machine.cpu.isa.Asm.EBX;
import static dev.hvspec.machine.cpu.isa.Asm.ECX;
import static dev.hvspec.machine.cpu.isa.Asm.DX;

/**
 * {@code hvspec bench cpu}: how many guest instructions per second the reference interprets on a
 * CPU-bound loop (a benchmark, not a test: the figure depends on the machine). The guest runs the
 * loop of {@link #loop} a given number of times through the whole stack (VMM, KVM_RUN, CPU), so
 * the count of retired instructions is known exactly.
 */
@Command(name = "cpu", mixinStandardHelpOptions = true,
        description = "Guest instructions per second on a CPU-bound loop (warm-up run, then measured runs).")
public final class BenchCpuCommand implements Callable<Integer> {
    static final long LOAD_ADDRESS = 0x100000;
    /** Instructions per loop iteration: add, xor, dec, jnz. */
    static final int PER_ITERATION = 4;
    /** Instructions outside the loop: mov ecx, xor eax, mov ebx, mov dx, mov eax, out. */
    static final int SETUP = 6;

    @Option(names = "--iterations", defaultValue = "100000000", description = "Loop iterations per run (default: ${DEFAULT-VALUE}).")
    long iterations;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs after one warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The guest: a register-only loop, then isa-debug-exit with 0. */
    static byte[] loop(long iterations) {
        Assembler a = new Assembler(LOAD_ADDRESS + FlatMultibootImage.HEADER_SIZE, 4);
        Label top = a.label();
        a.mov(ECX, iterations).xor(EAX, EAX).mov(EBX, 1);
        a.bind(top).add(EAX, EBX).xor(EBX, EAX).dec(ECX).jcc(dev.hvspec.machine.cpu.isa.Condition.NE, top);
        a.mov(DX, 0xF4).mov(EAX, 0).out(DX, EAX);
        return FlatMultibootImage.of(LOAD_ADDRESS, a.assemble());
    }

    @Override
    public Integer call() throws BootException {
        if (iterations < 1 || iterations > 0xFFFF_FFFFL || runs < 1) {
            throw new UsageException("--iterations must be 1..4294967295 and --runs at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        byte[] image = loop(iterations);
        long instructions = iterations * PER_ITERATION + SETUP;
        RunConfig config = RunConfig.of(image, "bench-cpu", Duration.ofMinutes(10));
        measure(config); // warm-up: let the JIT compile the interpreter
        double best = 0;
        for (int i = 0; i < runs; i++) {
            double seconds = measure(config);
            double mips = instructions / seconds / 1e6;
            best = Math.max(best, mips);
            out.printf("run %d: instructions=%d seconds=%.3f mips=%.1f%n", i + 1, instructions, seconds, mips);
        }
        out.printf("best: %.1f million guest instructions per second%n", best);
        return 0;
    }

    private static double measure(RunConfig config) throws BootException {
        long start = System.nanoTime();
        RunResult result = ReferenceVmm.run(HostKernel.modern(), config, OutputStream.nullOutputStream(), null);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (result.reason() != RunResult.Reason.DEBUG_EXIT || result.exitStatus() != 1) {
            throw new IllegalStateException("benchmark guest ended unexpectedly: " + result);
        }
        return seconds;
    }
}
