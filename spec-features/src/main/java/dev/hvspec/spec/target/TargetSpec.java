package dev.hvspec.spec.target;

import dev.hvspec.cli.UsageException;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.vmm.PcBoard;

import java.util.Locale;

/**
 * Which hypervisor the suite runs against, as named on the command line
 * ({@code --target reference[:OPTIONS]|qemu|command:TEMPLATE}).
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

    /**
     * The in-process reference, on the host configuration a real KVM user would choose:
     * {@code reference:mmu=shadow} is a host with {@code kvm_intel ept=0}, {@code reference:irqchip=user}
     * a VMM that emulates the PIC, IOAPIC, local APIC and PIT itself. A guest must not be able to
     * tell these apart, so every {@code @guest} scenario holds for each of them.
     */
    record Reference(KvmParameters.Mmu mmu, PcBoard.IrqchipMode irqchip) implements TargetSpec {
        public Reference() {
            this(KvmParameters.Mmu.EPT, PcBoard.IrqchipMode.KERNEL);
        }

        /** "reference" for the defaults, else e.g. "reference-mmu-shadow" (a report directory name). */
        @Override
        public String name() {
            return "reference" + (mmu == KvmParameters.Mmu.EPT ? "" : "-mmu-" + lower(mmu))
                    + (irqchip == PcBoard.IrqchipMode.KERNEL ? "" : "-irqchip-" + lower(irqchip));
        }

        /** Parses the comma-separated {@code key=value} options after {@code reference:}. */
        static Reference parseOptions(String options) {
            KvmParameters.Mmu mmu = KvmParameters.Mmu.EPT;
            PcBoard.IrqchipMode irqchip = PcBoard.IrqchipMode.KERNEL;
            for (String option : options.split(",")) {
                String[] kv = option.strip().split("=", 2);
                String value = kv.length == 2 ? kv[1].strip() : "";
                switch (kv[0].strip()) {
                    case "mmu" -> {
                        try {
                            mmu = KvmParameters.Mmu.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new UsageException("--target reference: " + e.getMessage());
                        }
                    }
                    case "irqchip" -> {
                        try {
                            irqchip = PcBoard.IrqchipMode.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new UsageException("--target reference: " + e.getMessage());
                        }
                    }
                    default -> throw new UsageException("--target reference: unknown option '" + option.strip()
                            + "' (expected mmu=ept|npt|shadow, irqchip=kernel|user)");
                }
            }
            return new Reference(mmu, irqchip);
        }

        private static String lower(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
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
        if (text.startsWith("reference:")) {
            return Reference.parseOptions(text.substring("reference:".length()));
        }
        if (text.equals("qemu")) {
            return new Qemu();
        }
        if (text.startsWith("command:")) {
            return new Command(text.substring("command:".length()).strip());
        }
        throw new UsageException("unknown target '" + text + "' (expected reference[:mmu=…,irqchip=…], qemu or command:TEMPLATE)");
    }
}
