package dev.hvspec.cli;

import picocli.CommandLine.Command;

/** {@code hvspec bench}: deterministic benchmarks of the reference (cpu, mmu, net). */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark of the reference hypervisor.",
        subcommands = {BenchCpuCommand.class, MmuBenchCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "bench: missing a benchmark (try hvspec bench --help)");
    }
}
