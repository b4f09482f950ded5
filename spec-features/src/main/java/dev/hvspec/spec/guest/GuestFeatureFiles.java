package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.FixtureGroup;

/**
 * The {@code @guest} feature files, one per {@link FixtureGroup}: each fixture becomes a scenario
 * tagged with its clauses that runs it and checks its TAP output and exit status. The files are
 * generated from the fixture catalog and committed under {@code features/AREA/FILE.feature};
 * {@code GuestFeatureFilesTest} fails when they drift (and rewrites them with
 * {@code -Dhvspec.write-features=true}).
 */
public final class GuestFeatureFiles {
    private GuestFeatureFiles() {
    }

    /** {@code features/AREA/FILE.feature}. */
    public static String path(FixtureGroup group) {
        return "features/" + group.area() + "/" + group.file() + ".feature";
    }

    public static String render(FixtureGroup group) {
        StringBuilder s = new StringBuilder();
        s.append("# Generated from guest-fixtures (FixtureCatalog.groups()); GuestFeatureFilesTest keeps it in step.\n");
        s.append("@guest\n");
        s.append("Feature: ").append(group.title()).append('\n');
        for (String line : wrap(group.description(), 96)) {
            s.append("  ").append(line).append('\n');
        }
        for (Fixture f : group.fixtures()) {
            s.append('\n');
            s.append("  ").append(String.join(" ", f.clauses())).append('\n');
            s.append("  Scenario: ").append(f.name()).append(": ").append(f.summary()).append('\n');
            s.append("    When the guest \"").append(f.name()).append("\" runs\n");
            s.append("    Then every TAP test passes\n");
            s.append("    And the exit status is ").append(f.exitStatus()).append('\n');
        }
        return s.toString();
    }

    private static java.util.List<String> wrap(String text, int width) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
