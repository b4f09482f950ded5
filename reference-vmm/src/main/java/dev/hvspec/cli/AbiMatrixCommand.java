package dev.hvspec.cli;

import dev.hvspec.vmm.compat.AbiMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hvspec abi matrix}: the old/new table of api.rst §3 — the matrix guest run by a VMM built
 * against each release's linux/kvm.h on a host running each release's KVM.
 */
@Command(name = "matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Run the same guest (PIT ticks through the 8259A, output on COM1) for every userspace",
            "release x kernel release (2.6.22 ... 2.6.26, 6.1) and print the table, then one line per",
            "cell with the paths the VMM negotiated (memory, CPUID, irqchip, PIT, GSI routing, clock).",
            "Exit status 0 when every cell passed or failed only on an ioctl its kernel removed on",
            "purpose (api.rst §4.6: KVM_SET_MEMORY_REGION), 1 otherwise."})
public final class AbiMatrixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<AbiMatrix.Cell> cells = AbiMatrix.runAll();
        out.print(AbiMatrix.format(cells));
        out.flush();
        return AbiMatrix.stable(cells) ? 0 : 1;
    }
}
