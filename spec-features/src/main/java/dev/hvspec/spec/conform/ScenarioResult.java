package dev.hvspec.spec.conform;

import java.util.Set;

/** One executed scenario (or one example row of an outline) as the conform run saw it. */
public record ScenarioResult(String area, String feature, String name, Set<String> tags,
                             Status status, String message) {
    public enum Status { PASSED, FAILED, SKIPPED, DIVERGENT }

    /** The clause tags of the scenario: every tag naming a document section (see shared/spec). */
    public Set<String> clauseTags() {
        return tags.stream().filter(ScenarioResult::isClauseTag)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    static boolean isClauseTag(String tag) {
        String t = tag.startsWith("@") ? tag.substring(1) : tag;
        return t.startsWith("sdm-") || t.startsWith("virtio-") || t.startsWith("kvm-api-")
                || t.startsWith("e1000-") || t.startsWith("linux-boot-") || t.startsWith("multiboot-")
                || t.startsWith("pc16550d-") || t.startsWith("pci-") || t.startsWith("acpi-")
                || t.startsWith("i8259a-") || t.startsWith("i8254-") || t.startsWith("ioapic-")
                || t.startsWith("mc146818-") || t.startsWith("tap-") || t.startsWith("elf-");
    }
}
