package dev.hvspec.cli;

import dev.hvspec.kvm.abi.AbiDump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code hvspec abi dump}: every ABI fact, one per line, as compared with gcc and the golden file. */
@Command(name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Print every fact of the KVM ABI (x86-64, API 12), one per line.",
            "Lines, in a fixed order:",
            "  size STRUCT BYTES",
            "  offset STRUCT.FIELD[.SUB] BYTES SIZE   (dotted path through struct and union members)",
            "  const NAME DECIMAL                     (KVM_API_VERSION, ioctl request codes, KVM_CAP_*,",
            "                                          KVM_EXIT_* and the other KVM_* constants, errno)",
            "Flexible array members are printed with size 0.",
            "The abi-compat module checks every line against gcc on the real <linux/kvm.h>."})
public final class AbiDumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : AbiDump.lines()) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
