package dev.hvspec.kvm.mmu;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Runs a multiboot image on the reference VMM with one MMU strategy; serial output and exit status. */
record GuestRun(String serial, int exitStatus, RunResult.Reason reason, java.util.Map<String, Long> stats) {
    static GuestRun run(byte[] image, KvmParameters.Mmu mmu) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String trace = System.getenv("GUEST_TRACE");
        RunConfig config = new RunConfig(image, "guest", List.of(), "", 32L << 20, 1, Duration.ofSeconds(20),
                trace != null, PcBoard.IrqchipMode.KERNEL, List.of(), null, "none");
        try (java.io.PrintStream traceOut = trace == null ? null : new java.io.PrintStream(trace + "." + mmu)) {
            HostKernel host = HostKernel.modern(KvmParameters.of(mmu));
            RunResult r = ReferenceVmm.run(host, config, out, traceOut);
            return new GuestRun(out.toString(StandardCharsets.US_ASCII), r.exitStatus(), r.reason(),
                    host.vmStatistics().get(0));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
