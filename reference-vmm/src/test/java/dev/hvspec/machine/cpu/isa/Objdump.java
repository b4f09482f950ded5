package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GNU objdump (binutils) as an independent oracle: disassembles a flat binary in one process and
 * returns each instruction's offset, length and Intel-syntax text. Tests that use it skip (with a
 * message naming the tool) when objdump is not installed; CI installs binutils.
 */
final class Objdump {
    /** One line of objdump output. */
    record Line(long offset, int length, String text) {
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*\\t?(.*)$");

    private Objdump() {
    }

    static void assumeInstalled() {
        boolean present;
        try {
            Process p = new ProcessBuilder("objdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "objdump (GNU binutils) is not installed; the differential test needs it");
    }

    /** objdump's -m/-M arguments for a mode: 16-bit i8086, 32-bit i386, 64-bit x86-64 with Intel64 semantics. */
    static String[] machine(int mode) {
        return switch (mode) {
            case 2 -> new String[] {"-m", "i386", "-M", "intel,i8086"};
            case 4 -> new String[] {"-m", "i386", "-M", "intel"};
            default -> new String[] {"-m", "i386:x86-64", "-M", "intel,intel64"};
        };
    }

    static List<Line> disassemble(byte[] code, int mode) throws IOException, InterruptedException {
        Path file = Files.createTempFile("hvspec-isa", ".bin");
        try {
            Files.write(file, code);
            List<String> command = new ArrayList<>(List.of("objdump", "-D", "-b", "binary", "--insn-width=15"));
            command.addAll(List.of(machine(mode)));
            command.add(file.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("objdump failed: " + out);
            }
            List<Line> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    int length = m.group(2).trim().split(" ").length;
                    lines.add(new Line(Long.parseLong(m.group(1), 16), length, normalise(m.group(3))));
                }
            }
            return lines;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Collapses runs of whitespace to one space. */
    static String normalise(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }
}
