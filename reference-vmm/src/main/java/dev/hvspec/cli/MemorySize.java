package dev.hvspec.cli;

import picocli.CommandLine;

import java.util.Locale;

/** Parses memory sizes as QEMU's -m does: a number with an optional K/M/G suffix; no suffix means MiB. */
public final class MemorySize implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
        return parse(text);
    }

    public static long parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1L << 20;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> unit = 0;
            }
            if (unit != 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                unit = 1L << 20;
            }
        }
        try {
            long value = Long.parseLong(t);
            if (value <= 0 || value > (1L << 40) / unit) {
                throw new CommandLine.TypeConversionException("memory size out of range: " + text);
            }
            return value * unit;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not a memory size: '" + text + "' (e.g. 128M, 1G)");
        }
    }
}
