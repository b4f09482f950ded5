package dev.hvspec.spec.conform;

import dev.hvspec.spec.target.Targets;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Gives the suites that {@code mvn verify} runs (ReferenceSuiteTest, QemuGuestSuiteTest) the report
 * that {@code hvspec conform} writes: {@code target/hvspec-report/index.html}, the clause matrix
 * and {@code TARGET/results.tsv}, one target per surefire execution. Registered through
 * META-INF/services; it only acts on plans run by the JUnit Platform suite engine (so the
 * in-process launches of ConformCommandTest leave it alone) and only records Cucumber scenarios.
 */
public final class SuiteReportListener implements TestExecutionListener {
    static final Path REPORT = Path.of("target", "hvspec-report");

    private ConformListener results;
    private String target;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        boolean suite = plan.getRoots().stream().anyMatch(r -> r.getUniqueId().startsWith("[engine:junit-platform-suite]"));
        results = suite ? new ConformListener(new PrintWriter(Writer.nullWriter())) : null;
        target = Targets.current().name();
    }

    private boolean records(TestIdentifier id) {
        return results != null && id.getUniqueId().contains("[engine:cucumber]");
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (records(id)) {
            results.executionSkipped(id, reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (records(id)) {
            results.executionFinished(id, result);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (results == null) {
            return;
        }
        ConformSummary summary = results.summary();
        results = null;
        if (summary.results().isEmpty()) {
            return;
        }
        try {
            OverviewPage.write(REPORT, target, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
