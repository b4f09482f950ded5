package dev.hvspec.spec;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.FixtureCatalog;
import dev.hvspec.fixtures.FixtureGroup;
import dev.hvspec.spec.guest.GuestFeatureFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed {@code @guest} feature files are what the fixture catalog generates: every fixture
 * has exactly one scenario, tagged with its clauses. Run with {@code -Dhvspec.write-features=true}
 * to rewrite them after changing fixtures.
 */
class GuestFeatureFilesTest {
    private static final Path RESOURCES = Path.of("src/main/resources");

    @Test
    void featureFilesMatchTheCatalog() throws IOException {
        boolean write = Boolean.getBoolean("hvspec.write-features");
        for (FixtureGroup group : FixtureCatalog.groups()) {
            Path file = RESOURCES.resolve(GuestFeatureFiles.path(group));
            String expected = GuestFeatureFiles.render(group);
            if (write) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, expected, StandardCharsets.UTF_8);
            }
            assertThat(file).as("%s is generated from the catalog; rerun with -Dhvspec.write-features=true", file).exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s is generated from the catalog; rerun with -Dhvspec.write-features=true", file)
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyGuestStepNamesAFixtureAndEveryFixtureRunsOnce() throws IOException {
        Pattern step = Pattern.compile("When the guest \"([^\"]+)\" runs");
        FixtureCatalog catalog = FixtureCatalog.standard();
        Set<String> seen = new HashSet<>();
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("features"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                Matcher m = step.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    assertThat(catalog.find(m.group(1))).as("fixture %s named in %s", m.group(1), f).isPresent();
                    assertThat(seen.add(m.group(1))).as("fixture %s runs in one scenario only", m.group(1)).isTrue();
                }
            }
        }
        List<String> names = catalog.all().stream().map(Fixture::name).toList();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
        assertThat(names).as("issue 7: at least 50 guest scenarios").hasSizeGreaterThanOrEqualTo(50);
    }
}
