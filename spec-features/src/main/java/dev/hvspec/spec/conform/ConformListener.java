package dev.hvspec.spec.conform;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.descriptor.UriSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Collects scenario results and shows progress while the suite runs: one character per scenario
 * ({@code .} passed, {@code F} failed, {@code S} skipped, {@code D} declared divergence), sixty to
 * a line with a running count. Callbacks may come from several threads (parallel execution).
 */
final class ConformListener implements TestExecutionListener {
    private static final int PROGRESS_WIDTH = 60;

    private final PrintWriter out;
    private final List<ScenarioResult> results = new ArrayList<>();
    private final List<String> containerFailures = new ArrayList<>();
    private long planned;
    private int column;

    ConformListener(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        planned = testPlan.countTestIdentifiers(TestIdentifier::isTest);
        out.println("running " + planned + " scenario" + (planned == 1 ? "" : "s"));
        out.flush();
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            record(id, ScenarioResult.Status.SKIPPED, reason);
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                containerFailures.add(id.getDisplayName() + ": " + message(result));
            }
            return;
        }
        ScenarioResult.Status status = switch (result.getStatus()) {
            case SUCCESSFUL -> ScenarioResult.Status.PASSED;
            case ABORTED -> isDivergence(result) ? ScenarioResult.Status.DIVERGENT : ScenarioResult.Status.SKIPPED;
            case FAILED -> ScenarioResult.Status.FAILED;
        };
        record(id, status, message(result));
    }

    private static boolean isDivergence(TestExecutionResult result) {
        return result.getThrowable().map(t -> String.valueOf(t.getMessage()).startsWith("declared divergence"))
                .orElse(false);
    }

    private void record(TestIdentifier id, ScenarioResult.Status status, String message) {
        String path = sourcePath(id.getSource());
        Set<String> tags = id.getTags().stream().map(TestTag::getName)
                .map(t -> t.startsWith("@") ? t : "@" + t)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        results.add(new ScenarioResult(areaOf(path), featureOf(path), id.getDisplayName(), tags, status, message));
        out.print(switch (status) {
            case PASSED -> '.';
            case FAILED -> 'F';
            case SKIPPED -> 'S';
            case DIVERGENT -> 'D';
        });
        if (++column == PROGRESS_WIDTH) {
            column = 0;
            out.printf(" %d/%d%n", results.size(), planned);
        }
        out.flush();
    }

    synchronized ConformSummary summary() {
        if (column != 0) {
            out.printf(" %d/%d%n", results.size(), planned);
            column = 0;
        }
        return new ConformSummary(List.copyOf(results), List.copyOf(containerFailures));
    }

    private static String message(TestExecutionResult result) {
        return result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("");
    }

    static String sourcePath(Optional<TestSource> source) {
        return source.map(s -> switch (s) {
            case ClasspathResourceSource c -> c.getClasspathResourceName();
            case FileSource f -> f.getFile().getPath().replace('\\', '/');
            case UriSource u -> u.getUri().toString();
            default -> s.toString();
        }).orElse("");
    }

    /** {@code features/<area>/x.feature} → {@code <area>}. */
    static String areaOf(String path) {
        int at = path.lastIndexOf("features/");
        if (at < 0) {
            return "other";
        }
        String rest = path.substring(at + "features/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "other" : rest.substring(0, slash);
    }

    static String featureOf(String path) {
        int slash = path.lastIndexOf('/');
        String file = slash < 0 ? path : path.substring(slash + 1);
        return file.endsWith(".feature") ? file.substring(0, file.length() - ".feature".length()) : file;
    }
}
