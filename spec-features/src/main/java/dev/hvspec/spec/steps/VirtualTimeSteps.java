package dev.hvspec.spec.steps;

import io.cucumber.java.en.When;

/**
 * Virtual time for every model scenario: one definition for the step that E1000Steps and LapicSteps
 * both declared (Cucumber refuses duplicate step texts); both advanced the same scenario-scoped
 * {@link ModelBench}.
 */
public final class VirtualTimeSteps {
    private final ModelBench bench;

    public VirtualTimeSteps(ModelBench bench) {
        this.bench = bench;
    }

    @When("{long} nanoseconds of virtual time pass")
    public void nanosPass(long nanos) {
        bench.advance(nanos);
    }
}
