package dev.hvspec.spec;

import dev.hvspec.spec.conform.ClauseCatalogue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code @virtio-1.3-<label>} tags of the feature files: each names a section of the
 * normative table (no typos, so the clause matrix counts it), and issue 8's areas carry at least
 * 60 distinct labels between them.
 */
class VirtioClauseTagsTest {
    private static final Path FEATURES = Path.of("src/main/resources/features");
    private static final Pattern TAG = Pattern.compile("@virtio-1\\.3-[A-Za-z0-9._-]+");

    /** Issue 8's areas: parts of the table's section paths ("Device Types / Network Device / ..."). */
    private static final Set<String> AREAS = Set.of("/ Device Status Field", "/ Feature Bits", "/ Split Virtqueues",
            "/ Packed Virtqueues", "/ Virtio Over PCI Bus", "/ Virtio Over MMIO", "/ Network Device", "/ Block Device",
            "/ Traditional Memory Balloon Device");

    @Test
    void everyVirtioTagIsACataloguedLabelAndAtLeast60AreUsed() throws IOException {
        ClauseCatalogue catalogue = ClauseCatalogue.virtio();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(FEATURES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                Matcher m = TAG.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    assertThat(catalogue.contains(m.group())).as("%s in %s is a label of %s", m.group(), f,
                            ClauseCatalogue.VIRTIO_RESOURCE).isTrue();
                    used.add(m.group());
                }
            }
        }
        long inAreas = catalogue.clauses().stream().filter(c -> used.contains(c.tag()))
                .filter(c -> AREAS.stream().anyMatch(a -> c.section().contains(a)))
                .count();
        assertThat(inAreas).as("distinct labels of issue 8's areas with a scenario").isGreaterThanOrEqualTo(60);
    }
}
