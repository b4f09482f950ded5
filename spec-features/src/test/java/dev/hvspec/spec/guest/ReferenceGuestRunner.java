package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.GuestContract;
import dev.hvspec.fixtures.runtime.GuestImages;
import dev.hvspec.vmm.Pacing;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs a fixture on the in-process reference with a chosen irqchip mode (what {@code hvspec run
 * --irqchip kernel|user --cpus N} does) and says how its output differs from the fixture's
 * passing TAP and exit status, or null when it passes.
 */
final class ReferenceGuestRunner {
    private ReferenceGuestRunner() {
    }

    static String difference(Fixture fixture, GuestImages.Built built, PcBoard.IrqchipMode mode, Duration timeout)
            throws BootException {
        return difference(fixture, built, mode, Pacing.VIRTUAL, timeout);
    }

    /** As above, with {@code --pace}. */
    static String difference(Fixture fixture, GuestImages.Built built, PcBoard.IrqchipMode mode, Pacing pace,
                             Duration timeout) throws BootException {
        RunConfig config = new RunConfig(built.image(), fixture.name() + ".elf", List.of(), "",
                (long) GuestContract.MEMORY_MIB << 20, fixture.cpus(), timeout, false, mode, List.of(), null, "none", pace);
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        RunResult result = ReferenceVmm.run(config, serial);
        String text = serial.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
        String tap = TapOutput.parse(text).differenceFrom(built.tap());
        if (tap == null && result.exitStatus() == fixture.exitStatus()) {
            return null;
        }
        return (tap != null ? tap : "exit status " + result.exitStatus() + ", expected " + fixture.exitStatus())
                + "\n(" + result.reason() + (result.detail() == null ? "" : ": " + result.detail()) + ")\nserial output:\n" + text;
    }
}
