package dev.hvspec.vmm.compat;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;
import dev.hvspec.vmm.kvm.KvmException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The old/new matrix of api.rst §3 ("no backward incompatible change are allowed"): the same
 * guest ({@link MatrixGuest}) run by a VMM built against the linux/kvm.h of each release
 * ("userspace") on a host running each release's KVM ("kernel"). Each cell records whether the
 * guest completed, how the VMM negotiated (or why it could not start), and the negotiated paths.
 */
public final class AbiMatrix {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private AbiMatrix() {
    }

    /**
     * One run: userspace release × kernel release. {@code knownBreak} is set when the run failed on
     * an ioctl the kernel release removed on purpose, with the reason its profile records (for
     * example api.rst §4.6 for KVM_SET_MEMORY_REGION); null otherwise.
     */
    public record Cell(String userspace, String kernel, boolean passed, String paths, String detail,
                       String knownBreak) {
        public String verdict() {
            return passed ? "ok" : knownBreak != null ? "break" : "FAIL";
        }
    }

    /** Every userspace profile × every kernel profile, oldest first. */
    public static List<Cell> runAll() {
        List<Cell> cells = new ArrayList<>();
        for (KernelProfile user : KernelProfile.all()) {
            for (KernelProfile kernel : KernelProfile.all()) {
                cells.add(run(user, kernel));
            }
        }
        return cells;
    }

    public static Cell run(KernelProfile userspace, KernelProfile kernel) {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        // One vCPU, 128 MiB, interrupt controllers in the kernel when the kernel has them.
        RunConfig config = RunConfig.of(MatrixGuest.image(), "matrix", TIMEOUT);
        try {
            ReferenceVmm.Outcome outcome = ReferenceVmm.run(new HostKernel(kernel), userspace, config, serial, null);
            String out = serial.toString(StandardCharsets.ISO_8859_1);
            RunResult r = outcome.result();
            boolean passed = r.reason() == RunResult.Reason.DEBUG_EXIT
                    && r.exitStatus() == (MatrixGuest.EXIT_VALUE << 1 | 1) && out.equals(MatrixGuest.expectedOutput());
            String detail = passed ? "ok" : r.reason() + " status " + r.exitStatus() + " output " + out.strip();
            return new Cell(userspace.release(), kernel.release(), passed, outcome.negotiation().summary(), detail,
                    null);
        } catch (KvmException e) {
            String removed = kernel.removed().entrySet().stream()
                    .filter(r -> r.getKey().cName().equals(e.call()) && e.is(dev.hvspec.kvm.abi.Errno.ENOTTY))
                    .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
            return new Cell(userspace.release(), kernel.release(), false, "-", e.getMessage(), removed);
        } catch (BootException | RuntimeException e) {
            return new Cell(userspace.release(), kernel.release(), false, "-", e.toString(), null);
        }
    }

    /** Every cell passed, or failed only on an ioctl its kernel removed on purpose. */
    public static boolean stable(List<Cell> cells) {
        return cells.stream().allMatch(c -> c.passed() || c.knownBreak() != null);
    }

    /** The table: one row per userspace release, one column per kernel release, then each cell's paths. */
    public static String format(List<Cell> cells) {
        List<String> kernels = cells.stream().map(Cell::kernel).distinct().toList();
        List<String> users = cells.stream().map(Cell::userspace).distinct().toList();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-18s", "userspace\\kernel"));
        for (String k : kernels) {
            out.append(String.format("%-8s", k));
        }
        out.append('\n');
        for (String u : users) {
            out.append(String.format("%-18s", u));
            for (String k : kernels) {
                Cell c = cells.stream().filter(x -> x.userspace().equals(u) && x.kernel().equals(k)).findFirst()
                        .orElseThrow();
                out.append(String.format("%-8s", c.verdict()));
            }
            out.append('\n');
        }
        out.append("ok: the guest completed; break: the kernel removed an ioctl this userspace needs (see the")
                .append(" cell); FAIL: anything else\n\n");
        for (Cell c : cells) {
            out.append(String.format("user %-6s kernel %-6s %-5s %s%s%n", c.userspace(), c.kernel(), c.verdict(),
                    c.paths(), c.passed() ? "" : "  (" + c.detail()
                            + (c.knownBreak() != null ? "; " + c.knownBreak() : "") + ")"));
        }
        return out.toString();
    }
}
