package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NASM as an independent oracle: assembles a source to a flat binary ({@code -f bin}) in one
 * process and reads its listing for the bytes of each source line. Tests skip (naming the tool)
 * when nasm is not installed; CI installs it.
 */
final class Nasm {
    /** The bytes one source line produced, at {@code offset}; {@code mode} from the last BITS line. */
    record Line(int lineNumber, String source, int offset, byte[] bytes, int mode) {
    }

    record Result(byte[] binary, List<Line> lines) {
    }

    private static final Pattern LISTING = Pattern.compile("^\\s*(\\d+) (?:([0-9A-F]{8}) )?([0-9A-F]*)(-?)\\s*(.*)$");

    private Nasm() {
    }

    static void assumeInstalled() {
        boolean present;
        try {
            Process p = new ProcessBuilder("nasm", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "nasm is not installed; this oracle test needs it");
    }

    static Result assemble(String source) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("hvspec-nasm");
        try {
            Path asm = dir.resolve("in.asm");
            Path bin = dir.resolve("out.bin");
            Path lst = dir.resolve("out.lst");
            Files.writeString(asm, source);
            Process p = new ProcessBuilder("nasm", "-f", "bin", "-o", bin.toString(), "-l", lst.toString(), asm.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("nasm failed: " + out);
            }
            return new Result(Files.readAllBytes(bin), parseListing(Files.readAllLines(lst)));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** Listing lines: number, offset, hex bytes (a trailing '-' continues on the next line), source. */
    private static List<Line> parseListing(List<String> listing) {
        List<Line> lines = new ArrayList<>();
        int mode = 2;
        StringBuilder hex = null;
        int number = -1;
        int offset = 0;
        String source = "";
        for (String text : listing) {
            Matcher m = LISTING.matcher(text);
            if (!m.matches()) {
                continue;
            }
            if (hex != null && Integer.parseInt(m.group(1)) == number) {
                hex.append(m.group(3));
                if (m.group(4).isEmpty()) {
                    lines.add(new Line(number, source, offset, HexFormat.of().parseHex(hex), mode));
                    hex = null;
                }
                continue;
            }
            String src = m.group(5).trim();
            if (src.toLowerCase().startsWith("bits ")) {
                mode = Integer.parseInt(src.substring(5).trim().split("\\s")[0]) / 8;
            }
            if (m.group(2) != null && !m.group(3).isEmpty()) {
                number = Integer.parseInt(m.group(1));
                offset = Integer.parseInt(m.group(2), 16);
                source = src;
                hex = new StringBuilder(m.group(3));
                if (m.group(4).isEmpty()) {
                    lines.add(new Line(number, source, offset, HexFormat.of().parseHex(hex), mode));
                    hex = null;
                }
            }
        }
        return lines;
    }
}
