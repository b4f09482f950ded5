package dev.hvspec.spec.target;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a VMM as a child process: serial on its stdout, stdin closed, stderr kept (the first 4 KiB)
 * for diagnostics. A run past the time limit is killed and reported with status 124.
 */
abstract class ProcessTarget implements Target {
    private static final int STDERR_LIMIT = 4096;

    /** The command line for one launch. */
    abstract List<String> command(GuestLaunch launch) throws TargetUnavailableException;

    @Override
    public GuestRun run(GuestLaunch launch) throws TargetUnavailableException {
        List<String> command = command(launch);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new TargetUnavailableException("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread out = drain(process.getInputStream(), stdout, Integer.MAX_VALUE);
            Thread err = drain(process.getErrorStream(), stderr, STDERR_LIMIT);
            boolean finished = process.waitFor(launch.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                // A wrapper script's children would keep the pipes open: end the whole tree.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            out.join(10_000);
            err.join(10_000);
            String detail = stderr.toString(StandardCharsets.UTF_8).strip();
            if (!finished) {
                return new GuestRun(stdout.toByteArray(), GuestRun.EXIT_TIMEOUT, true,
                        "killed after " + launch.timeout().toSeconds() + " s" + (detail.isEmpty() ? "" : "; " + detail));
            }
            return new GuestRun(stdout.toByteArray(), process.exitValue(), false, detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the guest ran", e);
        }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink, int limit) {
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    int keep = Math.min(n, limit - sink.size());
                    if (keep > 0) {
                        sink.write(buffer, 0, keep);
                    }
                }
            } catch (IOException e) {
                // The process went away; what was read is what there is.
            }
        });
    }

    /** The first executable called {@code name} in PATH's directories, or null. */
    static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
