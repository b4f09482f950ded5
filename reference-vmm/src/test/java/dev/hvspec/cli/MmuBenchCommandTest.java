package dev.hvspec.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hvspec bench mmu} counts, never times: two runs print the same table, and the counts
 * that follow from the strategies' design are what that design says.
 */
class MmuBenchCommandTest {
    private static String bench(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[4 + extra.length];
        args[0] = "bench";
        args[1] = "mmu";
        args[2] = "--pages=16";
        args[3] = "--remaps=8";
        System.arraycopy(extra, 0, args, 4, extra.length);
        int exit = Hvspec.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isZero();
        return out.toString();
    }

    /** counter → [shadow, ept, npt] for one workload's table. */
    private static Map<String, long[]> table(String output, String workload) {
        Map<String, long[]> rows = new HashMap<>();
        String section = output.substring(output.indexOf("workload " + workload + ":"));
        int next = section.indexOf("\nworkload ", 1);
        for (String line : (next < 0 ? section : section.substring(0, next)).lines().skip(2).toList()) {
            String[] f = line.trim().split("\\s+");
            rows.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        return rows;
    }

    @Test
    void countsAreDeterministic() {
        assertThat(bench("--spaces=2", "--rounds=2")).isEqualTo(bench("--spaces=2", "--rounds=2"));
    }

    @Test
    void theStrategiesDifferWhereTheirDesignsSay() {
        String out = bench("--spaces=3", "--rounds=4");
        Map<String, long[]> spaces = table(out, "address-spaces");
        // Shadow paging intercepts every MOV to CR3: one in the boot stub, one per switch, one at the end.
        assertThat(spaces.get("cr3_load_exits")).containsExactly(3 * 4 + 2, 0, 0);
        // After the first round every root comes from the shadow-page cache.
        assertThat(spaces.get("mmu_root_cached")[0]).isGreaterThanOrEqualTo(3 * 3);
        Map<String, long[]> remap = table(out, "remap");
        assertThat(remap.get("invlpg")).containsExactly(8, 0, 0);
        // Each remap after the first rewrites a PTE of a shadowed page table: an emulated write.
        assertThat(remap.get("mmu_pte_write")).containsExactly(7, 0, 0);
        Map<String, long[]> touch = table(out, "touch-pages");
        assertThat(touch.get("mmu_pte_write")).containsExactly(15, 0, 0);
        assertThat(touch.get("ept_violations")[1]).isPositive();
        assertThat(touch.get("npf_exits")[2]).isEqualTo(touch.get("ept_violations")[1]);
        // Two-dimensional walks read nested entries; shadow walks do not.
        assertThat(touch.get("walk_nested_entry_reads")[0]).isZero();
        assertThat(touch.get("walk_nested_entry_reads")[1]).isPositive();
    }

    @Test
    void badStrategyIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = Hvspec.execute(new String[] {"bench", "mmu", "--mmu=vtx"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(exit).isEqualTo(Hvspec.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown MMU strategy 'vtx'");
    }

    @Test
    void runRejectsAnUnknownMmu() throws Exception {
        java.nio.file.Path image = java.nio.file.Files.createTempFile("hvspec", ".elf");
        StringWriter err = new StringWriter();
        int exit = Hvspec.execute(new String[] {"run", "--kernel", image.toString(), "--mmu", "vtx"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(Hvspec.EXIT_USAGE);
        assertThat(err.toString()).startsWith("hvspec: --mmu: unknown MMU strategy");
    }
}
