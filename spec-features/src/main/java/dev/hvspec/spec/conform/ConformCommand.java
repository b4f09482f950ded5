package dev.hvspec.spec.conform;

import dev.hvspec.cli.UsageException;
import dev.hvspec.spec.guest.Expectations;
import dev.hvspec.spec.target.TargetSpec;
import io.cucumber.tagexpressions.TagExpressionException;
import io.cucumber.tagexpressions.TagExpressionParser;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.EngineFilter.includeEngines;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * {@code hvspec conform}: runs the Gherkin suite through the JUnit Platform launcher and the
 * Cucumber engine against one target, writes Cucumber HTML/JSON/JUnit XML reports under
 * {@code REPORT/TARGET/} plus an overview page {@code REPORT/index.html}, and prints a per-area
 * summary ending in {@code N passed, N failed[, N skipped]}. Exit status 0 when nothing failed.
 */
@Command(name = "conform",
        mixinStandardHelpOptions = true,
        description = "Run the conformance suite against a hypervisor and write a report.")
public final class ConformCommand implements Callable<Integer> {
    /** Where the features live on the class path: {@code features/<area>/<name>.feature}. */
    public static final String FEATURES_PACKAGE = "features";
    /** Where the step definitions live. */
    public static final String GLUE_PACKAGE = "dev.hvspec.spec.steps";

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "reference",
            description = "reference (in-process, default), qemu, or command:TEMPLATE with {image} in it.")
    String target;

    @Option(names = "--tags", paramLabel = "EXPR",
            description = "Cucumber tag expression, e.g. '@pc16550d-8.6 and not @slow'.")
    String tags;

    @Option(names = "--report", paramLabel = "DIR", defaultValue = "target/hvspec-report",
            description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--expectations", paramLabel = "FILE",
            description = "More declared divergences of the target (lines: FIXTURE reason), added to targets/TARGET.expectations.")
    Path expectations;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Scenarios run at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TargetSpec targetSpec = TargetSpec.parse(target);
        if (parallelism < 1 || parallelism > 64) {
            throw new UsageException("--parallel must be between 1 and 64, got " + parallelism);
        }
        String tagExpression = tagExpressionFor(targetSpec, tags);
        Path targetDir = report.resolve(targetSpec.name());
        try {
            Files.createDirectories(targetDir);
        } catch (IOException e) {
            throw new UsageException("cannot create report directory " + targetDir + ": " + e.getMessage());
        }

        PrintWriter out = spec.commandLine().getOut();
        out.println("hvspec conform: target " + target + (tagExpression == null ? "" : ", tags " + tagExpression));
        out.flush();

        // The step definitions learn the target and extra expectations through system properties;
        // restore them afterwards so an in-process run leaves no trace for the next one.
        String previousTarget = System.getProperty(TargetSpec.PROPERTY);
        String previousExpectations = System.getProperty(Expectations.PROPERTY);
        ConformListener listener = new ConformListener(out);
        try {
            System.setProperty(TargetSpec.PROPERTY, target);
            if (expectations != null) {
                if (!Files.isReadable(expectations)) {
                    throw new UsageException("cannot read --expectations file " + expectations);
                }
                System.setProperty(Expectations.PROPERTY, expectations.toAbsolutePath().toString());
            } else {
                System.clearProperty(Expectations.PROPERTY);
            }
            Launcher launcher = LauncherFactory.create();
            launcher.execute(discoveryRequest(targetDir, tagExpression), listener);
        } finally {
            restore(TargetSpec.PROPERTY, previousTarget);
            restore(Expectations.PROPERTY, previousExpectations);
        }

        ConformSummary summary = listener.summary();
        summary.print(out);
        try {
            OverviewPage.write(report, targetSpec.name(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("report: " + report.resolve("index.html").toAbsolutePath().normalize());
        out.println(summary.closingLine());
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private LauncherDiscoveryRequest discoveryRequest(Path targetDir, String tagExpression) {
        String plugins = String.join(",",
                "html:" + targetDir.resolve("cucumber.html"),
                "json:" + targetDir.resolve("cucumber.json"),
                "junit:" + targetDir.resolve("cucumber-junit.xml"));
        var builder = request()
                .selectors(selectPackage(FEATURES_PACKAGE))
                .filters(includeEngines("cucumber"))
                .configurationParameter("cucumber.glue", GLUE_PACKAGE)
                .configurationParameter("cucumber.object-factory", "dev.hvspec.spec.steps.ScenarioObjectFactory")
                .configurationParameter("cucumber.plugin", plugins)
                .configurationParameter("cucumber.publish.quiet", "true")
                .configurationParameter("cucumber.junit-platform.discovery.as-root-engine", "true")
                .configurationParameter("cucumber.junit-platform.naming-strategy", "long")
                .configurationParameter("cucumber.execution.parallel.enabled", Boolean.toString(parallelism > 1))
                .configurationParameter("cucumber.execution.parallel.config.strategy", "fixed")
                .configurationParameter("cucumber.execution.parallel.config.fixed.parallelism", Integer.toString(parallelism))
                .configurationParameter("cucumber.execution.parallel.config.fixed.max-pool-size", Integer.toString(parallelism));
        if (tagExpression != null) {
            builder.filters(new TagExpressionFilter(tagExpression));
        }
        return builder.build();
    }

    /**
     * The user's tag expression, validated; for targets other than the reference, only
     * {@code @guest} scenarios apply ({@code @model} ones exercise the in-process Java models).
     */
    static String tagExpressionFor(TargetSpec target, String userTags) {
        String user = userTags == null || userTags.isBlank() ? null : userTags.strip();
        if (user != null) {
            try {
                TagExpressionParser.parse(user);
            } catch (TagExpressionException e) {
                throw new UsageException("--tags: " + e.getMessage());
            }
        }
        if (target.isReference()) {
            return user;
        }
        return user == null ? "@guest" : "@guest and (" + user + ")";
    }
}
