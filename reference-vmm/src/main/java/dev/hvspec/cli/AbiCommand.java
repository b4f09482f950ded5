package dev.hvspec.cli;

import picocli.CommandLine.Command;

/** {@code hvspec abi}: facts about the KVM ABI the kernel layer speaks. */
@Command(name = "abi",
        mixinStandardHelpOptions = true,
        description = "Inspect the KVM ABI (linux/kvm.h, API 12, x86-64) spoken by the reference kernel layer.",
        subcommands = {AbiDumpCommand.class, AbiProfilesCommand.class, AbiMatrixCommand.class})
public final class AbiCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "abi: missing a subcommand (try hvspec abi --help)");
    }
}
