package dev.hvspec.cli;

/**
 * A subcommand contributed by another module (found with {@link java.util.ServiceLoader}), so the
 * CLI in reference-vmm does not depend on the suite: spec-features contributes {@code conform},
 * guest-fixtures contributes {@code fixtures}. The returned object is a picocli command.
 */
public interface CliPlugin {
    /** The subcommand name, e.g. {@code conform}. */
    String name();

    /** A fresh picocli-annotated command object. */
    Object command();
}
