package dev.hvspec.spec.conform;

import dev.hvspec.cli.CliPlugin;

/** Registers {@code hvspec conform} with the CLI. */
public final class ConformPlugin implements CliPlugin {
    @Override
    public String name() {
        return "conform";
    }

    @Override
    public Object command() {
        return new ConformCommand();
    }
}
