package dev.hvspec.spec.target;

/** The {@link Target} for a {@link TargetSpec}. */
public final class Targets {
    private Targets() {
    }

    public static Target open(TargetSpec spec) {
        return switch (spec) {
            case TargetSpec.Reference r -> new ReferenceTarget();
            case TargetSpec.Qemu q -> new QemuTarget();
            case TargetSpec.Command c -> new CommandTarget(c.template());
        };
    }

    /** The target named by the system property {@link TargetSpec#PROPERTY} (reference when unset). */
    public static TargetSpec current() {
        return TargetSpec.parse(System.getProperty(TargetSpec.PROPERTY));
    }
}
