package dev.hvspec.spec.target;

import dev.hvspec.cli.UsageException;

/**
 * Which hypervisor the suite runs against, as named on the command line
 * ({@code --target reference|qemu|command:TEMPLATE}).
 */
public sealed interface TargetSpec {
    /** The system property through which the conform run tells the step definitions its target. */
    String PROPERTY = "hvspec.target";

    /** A short name for reports and directories. */
    String name();

    /** True for the in-process reference: {@code @model} scenarios only make sense there. */
    default boolean isReference() {
        return this instanceof Reference;
    }

    record Reference() implements TargetSpec {
        @Override
        public String name() {
            return "reference";
        }
    }

    record Qemu() implements TargetSpec {
        @Override
        public String name() {
            return "qemu";
        }
    }

    /** Any VMM started from a command template with {@code {image}} (and optionally {@code {memory}}, {@code {cpus}}). */
    record Command(String template) implements TargetSpec {
        public Command {
            if (template.isBlank()) {
                throw new UsageException("--target command: needs a command template, e.g. command:'myvmm --kernel {image}'");
            }
            if (!template.contains("{image}")) {
                throw new UsageException("--target command: the template must contain {image}: " + template);
            }
        }

        @Override
        public String name() {
            return "command";
        }
    }

    static TargetSpec parse(String text) {
        if (text == null || text.isEmpty() || text.equals("reference")) {
            return new Reference();
        }
        if (text.equals("qemu")) {
            return new Qemu();
        }
        if (text.startsWith("command:")) {
            return new Command(text.substring("command:".length()).strip());
        }
        throw new UsageException("unknown target '" + text + "' (expected reference, qemu or command:TEMPLATE)");
    }
}
