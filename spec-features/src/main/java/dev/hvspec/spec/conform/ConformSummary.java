package dev.hvspec.spec.conform;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The outcome of one conform run: scenario results and any feature-level (container) failures. */
public record ConformSummary(List<ScenarioResult> results, List<String> containerFailures) {

    /** Counts of one group of scenarios. */
    public record Counts(int passed, int failed, int skipped, int divergent) {
        Counts plus(ScenarioResult.Status status) {
            return switch (status) {
                case PASSED -> new Counts(passed + 1, failed, skipped, divergent);
                case FAILED -> new Counts(passed, failed + 1, skipped, divergent);
                case SKIPPED -> new Counts(passed, failed, skipped + 1, divergent);
                case DIVERGENT -> new Counts(passed, failed, skipped, divergent + 1);
            };
        }

        public int total() {
            return passed + failed + skipped + divergent;
        }
    }

    public int passed() {
        return count(ScenarioResult.Status.PASSED);
    }

    /** Failed scenarios plus features that could not run at all (e.g. a parse error). */
    public int failed() {
        return count(ScenarioResult.Status.FAILED) + containerFailures.size();
    }

    public int skipped() {
        return count(ScenarioResult.Status.SKIPPED);
    }

    public int divergent() {
        return count(ScenarioResult.Status.DIVERGENT);
    }

    private int count(ScenarioResult.Status status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }

    public Map<String, Counts> byArea() {
        Map<String, Counts> areas = new TreeMap<>();
        for (ScenarioResult r : results) {
            areas.merge(r.area(), new Counts(0, 0, 0, 0).plus(r.status()), ConformSummary::sum);
        }
        return areas;
    }

    public Map<String, Counts> byClause() {
        Map<String, Counts> clauses = new TreeMap<>();
        for (ScenarioResult r : results) {
            for (String clause : r.clauseTags()) {
                clauses.merge(clause, new Counts(0, 0, 0, 0).plus(r.status()), ConformSummary::sum);
            }
        }
        return clauses;
    }

    private static Counts sum(Counts a, Counts b) {
        return new Counts(a.passed + b.passed, a.failed + b.failed, a.skipped + b.skipped, a.divergent + b.divergent);
    }

    /** The per-area table, failures with their messages. */
    public void print(PrintWriter out) {
        out.println();
        out.printf("%-12s %7s %7s %8s %10s%n", "area", "passed", "failed", "skipped", "divergent");
        byArea().forEach((area, c) ->
                out.printf("%-12s %7d %7d %8d %10d%n", area, c.passed, c.failed, c.skipped, c.divergent));
        List<ScenarioResult> failures = results.stream()
                .filter(r -> r.status() == ScenarioResult.Status.FAILED).toList();
        if (!failures.isEmpty() || !containerFailures.isEmpty()) {
            out.println();
            out.println("failures:");
            for (ScenarioResult r : failures) {
                out.println("  " + r.area() + "/" + r.feature() + ": " + r.name());
                out.println("    " + firstLine(r.message()));
            }
            for (String f : containerFailures) {
                out.println("  " + firstLine(f));
            }
        }
        out.println();
    }

    /** Exactly {@code N passed, N failed}, then {@code , N skipped} / {@code , N divergent} when non-zero. */
    public String closingLine() {
        StringBuilder line = new StringBuilder().append(passed()).append(" passed, ").append(failed()).append(" failed");
        if (skipped() > 0) {
            line.append(", ").append(skipped()).append(" skipped");
        }
        if (divergent() > 0) {
            line.append(", ").append(divergent()).append(" divergent");
        }
        return line.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
