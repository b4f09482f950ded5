package dev.hvspec.bench;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hvspec bench mmu}: runs each {@link MmuWorkloads} guest once per MMU strategy on a fresh
 * host and prints the counters of memory virtualisation — exits by cause, shadow-MMU activity,
 * and the processor's page-walk references. Everything is counted, nothing timed, so the output
 * is the same on every run and every machine.
 */
public final class MmuBench {
    /** One workload: a name, what it does, its image and the checksum it must print. */
    public record Workload(String name, String description, byte[] image, long checksum) {
    }

    /** The counters printed, in order (docs/mmu.md explains each). */
    public static final List<String> COUNTERS = List.of(
            "instructions", "mmu_exits", "pf_taken", "pf_fixed", "pf_guest", "pf_emulate", "mmu_pte_write",
            "mmu_pte_zapped", "mmu_flooded", "invlpg", "cr3_load_exits", "cr_paging_exits", "ept_violations",
            "ept_misconfigs", "npf_exits", "mmu_root_loads", "mmu_root_cached", "mmu_cache_miss", "mmu_shadow_zapped",
            "mmu_recycled", "mmu_pages", "walks", "walk_guest_entry_reads", "walk_nested_entry_reads",
            "walk_references", "walk_psc_hits", "walk_nested_tlb_hits");

    private MmuBench() {
    }

    public static List<Workload> workloads(int pages, int spaces, int rounds, int remaps) {
        return List.of(
                new Workload("touch-pages", "maps " + pages + " pages one by one (PTE write, then a write to the page), "
                        + "then reads them all", MmuWorkloads.touchPages(pages), (long) pages * (pages - 1) / 2),
                new Workload("address-spaces", spaces + " address spaces of 16 pages, " + rounds
                        + " rounds of MOV CR3 + a write to each page", MmuWorkloads.addressSpaces(spaces, rounds),
                        (long) spaces * 16 * rounds),
                new Workload("remap", "one page remapped " + remaps + " times (PTE write, INVLPG, write)",
                        MmuWorkloads.remap(remaps), (long) remaps * (remaps - 1) / 2));
    }

    /** The counters of one run, or an exception if the guest did not print the right checksum. */
    public static Map<String, Long> run(Workload w, KvmParameters parameters) {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        HostKernel host = HostKernel.modern(parameters);
        RunConfig config = new RunConfig(w.image(), w.name(), List.of(), "", MmuWorkloads.MEMORY, 1,
                Duration.ofMinutes(10), false, PcBoard.IrqchipMode.KERNEL, List.of(), null, "none");
        RunResult result;
        try {
            result = ReferenceVmm.run(host, config, serial, null);
        } catch (BootException e) {
            throw new IllegalStateException(w.name() + ": " + e.getMessage(), e);
        }
        String out = serial.toString(StandardCharsets.US_ASCII);
        String expected = String.format("checksum=%016x", w.checksum());
        if (result.exitStatus() != 1 || !out.contains(expected)) {
            throw new IllegalStateException(w.name() + " under " + parameters.mmu() + ": expected " + expected
                    + " and exit status 1, got " + out.strip() + " / " + result.exitStatus());
        }
        return host.vmStatistics().get(0);
    }

    /** Runs every workload under every strategy and prints one table per workload. */
    public static void print(List<Workload> workloads, List<KvmParameters.Mmu> strategies, int shadowPages,
                             PrintWriter out) {
        out.println("hvspec bench mmu: counts of one run per workload and MMU strategy (deterministic; docs/mmu.md)");
        out.printf("shadow-page cache: %d pages%n", shadowPages);
        for (Workload w : workloads) {
            Map<KvmParameters.Mmu, Map<String, Long>> results = new LinkedHashMap<>();
            for (KvmParameters.Mmu mmu : strategies) {
                results.put(mmu, run(w, new KvmParameters(mmu, shadowPages)));
            }
            out.println();
            out.printf("workload %s: %s%n", w.name(), w.description());
            StringBuilder header = new StringBuilder(String.format("  %-26s", "counter"));
            for (KvmParameters.Mmu mmu : strategies) {
                header.append(String.format("%14s", mmu.name().toLowerCase()));
            }
            out.println(header);
            for (String c : COUNTERS) {
                List<String> cells = new ArrayList<>();
                for (KvmParameters.Mmu mmu : strategies) {
                    cells.add(String.format("%14d", results.get(mmu).getOrDefault(c, 0L)));
                }
                out.printf("  %-26s%s%n", c, String.join("", cells));
            }
        }
        out.flush();
    }
}
