package dev.hvspec.spec.steps;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.FixtureCatalog;
import dev.hvspec.fixtures.GuestContract;
import dev.hvspec.fixtures.runtime.GuestImages;
import dev.hvspec.spec.guest.Expectations;
import dev.hvspec.spec.guest.TapOutput;
import dev.hvspec.spec.target.GuestLaunch;
import dev.hvspec.spec.target.GuestRun;
import dev.hvspec.spec.target.Target;
import dev.hvspec.spec.target.TargetUnavailableException;
import dev.hvspec.spec.target.Targets;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @guest} steps: build a fixture from guest-fixtures, run it on the current target (system
 * property {@code hvspec.target}), and judge its TAP output and exit status. A fixture listed in
 * the target's expectations file is judged in the When step: a divergence aborts the scenario as
 * DIVERGENT with the declared reason, a run that conforms fails the scenario (stale declaration).
 */
public final class GuestSteps implements AutoCloseable {
    /** Seconds a guest may run (system property {@value}, default 60). */
    public static final String TIMEOUT_PROPERTY = "hvspec.guest-timeout-seconds";

    private final Target target = Targets.open(Targets.current());
    private Path dir;
    private Fixture fixture;
    private GuestImages.Built built;
    private GuestRun run;

    @When("the guest {string} runs")
    public void theGuestRuns(String name) throws IOException {
        fixture = FixtureCatalog.standard().find(name)
                .orElseThrow(() -> new AssertionError("no fixture named " + name + " in guest-fixtures"));
        built = fixture.build();
        dir = Files.createTempDirectory("hvspec-guest");
        Path image = dir.resolve(name + ".elf");
        Files.write(image, built.image());
        Duration timeout = Duration.ofSeconds(Long.getLong(TIMEOUT_PROPERTY, 60));
        Path disk = null;
        if (fixture.devices().diskSectors() > 0) {
            disk = dir.resolve(name + ".disk");
            Files.write(disk, fixture.devices().diskImage());
        }
        try {
            run = target.run(new GuestLaunch(name, image, built.image(), GuestContract.MEMORY_MIB, fixture.cpus(), timeout,
                    fixture.devices(), disk, fixture.cpuFeatures()));
        } catch (TargetUnavailableException e) {
            throw new TestAbortedException("skipped: target " + target.name() + " is unavailable: " + e.getMessage());
        }
        var declared = Expectations.forTarget(target.name()).reasonFor(name);
        if (declared.isPresent()) {
            String difference = difference();
            if (difference == null) {
                throw new AssertionError("declared divergence did not diverge: " + name + " conforms on "
                        + target.name() + "; remove it from targets/" + target.name() + ".expectations (reason given: "
                        + declared.get() + ")");
            }
            throw new TestAbortedException("declared divergence: " + declared.get() + " (observed: "
                    + difference.lines().findFirst().orElse("") + ")");
        }
    }

    /** Why the run differs from the fixture's expected TAP and exit status, or null. */
    private String difference() {
        String tap = TapOutput.parse(run.serialText()).differenceFrom(built.tap());
        if (tap != null) {
            return tap;
        }
        if (run.exitStatus() != fixture.exitStatus()) {
            return "exit status " + run.exitStatus() + " (" + GuestContract.describeExit(run.exitStatus())
                    + "), expected " + fixture.exitStatus();
        }
        return null;
    }

    @Then("every TAP test passes")
    public void everyTapTestPasses() {
        String difference = TapOutput.parse(run.serialText()).differenceFrom(built.tap());
        if (difference != null) {
            throw new AssertionError(fixture.name() + " on " + target.name() + ": " + difference
                    + "\n(exit status " + run.exitStatus() + ": " + GuestContract.describeExit(run.exitStatus())
                    + (run.detail().isBlank() ? "" : "; " + run.detail()) + ")\nserial output:\n" + run.serialText());
        }
    }

    @Then("the exit status is {int}")
    public void theExitStatusIs(int status) {
        assertThat(run.exitStatus())
                .as("%s on %s: exit status (%s)%s", fixture.name(), target.name(),
                        GuestContract.describeExit(run.exitStatus()), run.detail().isBlank() ? "" : "; " + run.detail())
                .isEqualTo(status);
    }

    /** The TAP lines the scenario expects (for tests of the steps). */
    List<String> expectedTap() {
        return built.tap();
    }

    @Override
    public void close() throws IOException {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
