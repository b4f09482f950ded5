package dev.hvspec.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs a guest image the two ways the CPU tests compare: {@code hvspec run} in-process and
 * {@code qemu-system-x86_64} with the command line. Both take {@code hvspec run}-style
 * options ({@code --kernel IMAGE}, {@code --append TEXT}, {@code --initrd LIST}), which QEMU spells
 * with one dash.
 */
final class GuestRuns {
    /** The QEMU command of the guest contract before the per-run options ({@code -cpu} given by the caller). */
    private static List<String> qemuCommand(String cpuModel) {
        return List.of("qemu-system-x86_64", "-accel", "tcg", "-cpu", cpuModel, "-m", "128", "-display", "none",
                "-nodefaults", "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
    }

    private GuestRuns() {
    }

    /** Serial output (ISO-8859-1), exit status, and what went to stderr. */
    record Run(String serial, int status, String err) {
    }

    /** {@code hvspec run OPTIONS} with a 60-second limit; COM1 is captured from System.out. */
    static Run reference(List<String> options) {
        PrintStream saved = System.out;
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        System.setOut(new PrintStream(serial, true, StandardCharsets.ISO_8859_1));
        StringWriter err = new StringWriter();
        try {
            List<String> args = new ArrayList<>(List.of("run", "--timeout-seconds", "60"));
            args.addAll(options);
            int status = Hvspec.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true));
            return new Run(serial.toString(StandardCharsets.ISO_8859_1), status, err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    /** QEMU with the same options (skips the test, with the reason, when QEMU is not installed). */
    static Run qemu(String cpuModel, List<String> options) throws IOException, InterruptedException {
        assumeTrue(qemuAvailable(), "qemu-system-x86_64 is not installed (CI installs it)");
        List<String> cmd = new ArrayList<>(qemuCommand(cpuModel));
        for (int i = 0; i < options.size(); i += 2) {
            cmd.add(options.get(i).replaceFirst("^--", "-"));
            cmd.add(options.get(i + 1));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String serial = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("QEMU did not finish");
        }
        return new Run(serial, p.exitValue(), "");
    }

    private static boolean qemuAvailable() {
        try {
            Process p = new ProcessBuilder("qemu-system-x86_64", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
