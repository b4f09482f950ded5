package dev.hvspec.spec.target;

import dev.hvspec.fixtures.GuestContract;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU as a second target: {@code qemu-system-x86_64} from PATH, TCG, the qemu64 CPU model, with
 * the guest contract's devices ({@link GuestContract#qemuCommand}), the launch's PCI devices
 * ({@link dev.hvspec.fixtures.GuestDevices#qemuArguments}) and its CPU features turned on in the
 * model ({@code -cpu qemu64,la57=on}). One process per guest: QEMU starts in well under a second,
 * so batching would only complicate the reports.
 */
public final class QemuTarget extends ProcessTarget {
    @Override
    public String name() {
        return "qemu";
    }

    @Override
    List<String> command(GuestLaunch launch) throws TargetUnavailableException {
        Path qemu = findOnPath(GuestContract.QEMU);
        if (qemu == null) {
            throw new TargetUnavailableException(GuestContract.QEMU + " was not found on PATH "
                    + "(Debian/Ubuntu: apt-get install qemu-system-x86)");
        }
        List<String> command = new ArrayList<>(GuestContract.qemuCommand(launch.image().toString(),
                launch.memoryMib(), launch.cpus(), launch.cpuFeatures()));
        command.set(0, qemu.toString());
        // The loopback NIC's socket lives next to the image (a directory of this launch's own).
        command.addAll(launch.devices().qemuArguments(launch.disk(), launch.image().resolveSibling("net.sock")));
        return command;
    }
}
