package dev.hvspec.spec.conform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The clause matrix lists the checked clauses per target, then the catalogued clauses nobody checks. */
class ClauseMatrixTest {
    private static final String CATALOGUE = """
            tag\tkind\tsection path (virtio 1.3)\tsentences
            @virtio-1.3-drv.a.b\tdriver\tA / B\t1
            @virtio-1.3-dev.a.b\tdevice\tA / B\t2
            @virtio-1.3-dev.c.d\tdevice\tC / D\t3
            """;

    @Test
    void uncheckedCataloguedClausesAreRowsWithoutAScenario(@TempDir Path report) throws Exception {
        ScenarioResult checked = new ScenarioResult("virtio", "split-ring", "one", Set.of("@model", "@virtio-1.3-dev.a.b"),
                ScenarioResult.Status.PASSED, "");
        ClauseMatrix.write(report, Map.of("reference", new ConformSummary(List.of(checked), List.of())),
                List.of(ClauseCatalogue.parse("virtio 1.3", CATALOGUE)));

        List<String> tsv = Files.readAllLines(report.resolve(ClauseMatrix.TSV), StandardCharsets.UTF_8);
        assertThat(tsv).containsExactly(
                "clause\tarea\tfeature\tscenario\treference",
                "@virtio-1.3-dev.a.b\tvirtio\tsplit-ring\tone\tPASSED",
                "@virtio-1.3-drv.a.b\t-\t-\t(no scenario)\t-",
                "@virtio-1.3-dev.c.d\t-\t-\t(no scenario)\t-");
        String html = Files.readString(report.resolve(ClauseMatrix.HTML), StandardCharsets.UTF_8);
        assertThat(html).contains("virtio 1.3: 1 of 3 normative sections have a scenario", "Without a scenario (2)",
                "<td>@virtio-1.3-dev.c.d</td><td>device</td><td>C / D</td>");
    }

    @Test
    void theVirtioCatalogueIsTheSharedTable() {
        ClauseCatalogue virtio = ClauseCatalogue.virtio();
        // shared/spec/README.md: 258 driver- and device-normative sections.
        assertThat(virtio.clauses()).hasSize(258);
        assertThat(virtio.clauses()).extracting(ClauseCatalogue.Clause::kind).containsOnly("driver", "device");
        assertThat(virtio.contains("@virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field")).isTrue();
    }
}
