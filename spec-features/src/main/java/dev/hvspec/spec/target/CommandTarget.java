package dev.hvspec.spec.target;

import dev.hvspec.fixtures.GuestContract;

import java.util.ArrayList;
import java.util.List;

/**
 * Any VMM started from a command template: {@code {image}} becomes the image path,
 * {@code {memory}} the RAM in MiB, {@code {cpus}} the vCPU count, {@code {cpu}} the QEMU-style
 * CPU model the guest needs ({@code qemu64}, or {@code qemu64,la57=on} for a fixture whose
 * {@code cpu_features} list {@code la57}). The template is split into
 * words as a POSIX shell would split a simple command (single quotes, double quotes, backslash),
 * without running a shell. The VMM must follow the guest contract: COM1 on stdout, the exit
 * status from isa-debug-exit.
 */
public final class CommandTarget extends ProcessTarget {
    private final List<String> words;

    public CommandTarget(String template) {
        this.words = split(template);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command template");
        }
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    List<String> command(GuestLaunch launch) throws TargetUnavailableException {
        if (launch.devices().any()) {
            throw new TargetUnavailableException("a command template cannot attach the PCI devices " + launch.name()
                    + " drives (a disk or a loopback NIC); run it on the reference or qemu target");
        }
        List<String> command = new ArrayList<>();
        for (String w : words) {
            command.add(w.replace("{image}", launch.image().toString())
                    .replace("{memory}", Integer.toString(launch.memoryMib()))
                    .replace("{cpus}", Integer.toString(launch.cpus()))
                    .replace("{cpu}", GuestContract.qemuCpu(launch.cpuFeatures())));
        }
        if (!command.getFirst().contains("/") && findOnPath(command.getFirst()) == null) {
            throw new TargetUnavailableException(command.getFirst() + " was not found on PATH");
        }
        return command;
    }

    /** Splits a command template into words: whitespace separates, quotes group, backslash escapes. */
    static List<String> split(String template) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < template.length() && "\"\\$`".indexOf(template.charAt(i + 1)) >= 0) {
                    word.append(template.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < template.length()) {
                word.append(template.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " in command template: " + template);
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
