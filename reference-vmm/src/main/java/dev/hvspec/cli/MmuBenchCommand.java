package dev.hvspec.cli;

import dev.hvspec.bench.MmuBench;
import dev.hvspec.kvm.KvmParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hvspec bench mmu}: exit and page-walk counts of MMU workloads, shadow paging vs EPT (and NPT). */
@Command(name = "mmu",
        mixinStandardHelpOptions = true,
        description = "Count the exits and page-walk references of memory-virtualisation workloads under each MMU strategy.")
public final class MmuBenchCommand implements Callable<Integer> {
    @Option(names = "--pages", paramLabel = "N", defaultValue = "512",
            description = "Pages the touch-pages guest maps and touches (default: ${DEFAULT-VALUE}).")
    int pages;

    @Option(names = "--spaces", paramLabel = "M", defaultValue = "8",
            description = "Address spaces the address-spaces guest switches between (default: ${DEFAULT-VALUE}).")
    int spaces;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "8",
            description = "Rounds over all address spaces (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--remaps", paramLabel = "K", defaultValue = "256",
            description = "Times the remap guest remaps its page (default: ${DEFAULT-VALUE}).")
    int remaps;

    @Option(names = "--mmu", paramLabel = "STRATEGY", split = ",", defaultValue = "shadow,ept,npt",
            description = "Strategies to compare (default: ${DEFAULT-VALUE}).")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--shadow-pages", paramLabel = "P", defaultValue = "4096",
            description = "Shadow-page cache size (KVM's n_max_mmu_pages; default: ${DEFAULT-VALUE}).")
    int shadowPages;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<KvmParameters.Mmu> mmus = new ArrayList<>();
        try {
            for (String s : strategies) {
                mmus.add(KvmParameters.Mmu.parse(s));
            }
            if (shadowPages < 64) {
                throw new IllegalArgumentException("--shadow-pages must be at least 64");
            }
            MmuBench.print(MmuBench.workloads(pages, spaces, rounds, remaps), mmus, shadowPages, spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return 0;
    }
}
