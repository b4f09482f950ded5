package dev.hvspec.cli;

import dev.hvspec.kvm.abi.AbiConstant;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmIoctl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hvspec abi profiles}: the ioctls and capabilities of each modelled KVM release. */
@Command(name = "profiles",
        mixinStandardHelpOptions = true,
        description = {
            "Print the ioctls and capabilities of KVM releases 2.6.22 ... 2.6.26 and 6.1.",
            "One fact per line: profile RELEASE ioctl NAME | cap NAME | removed NAME",
            "(only RELEASE's lines when given)."})
public final class AbiProfilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RELEASE", description = "one release, e.g. 2.6.24")
    String release;

    @Override
    public Integer call() {
        List<KernelProfile> profiles = KernelProfile.all();
        if (release != null) {
            profiles = List.of(KernelProfile.of(release).orElseThrow(() -> new UsageException(
                    "abi profiles: unknown release " + release + " (known: "
                            + String.join(", ", KernelProfile.all().stream().map(KernelProfile::release).toList())
                            + ")")));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String line : lines(profiles)) {
            out.println(line);
        }
        out.flush();
        return 0;
    }

    /** The lines for the given profiles: ioctls in table order, capabilities by number, removals. */
    public static List<String> lines(List<KernelProfile> profiles) {
        List<String> out = new java.util.ArrayList<>();
        for (KernelProfile p : profiles) {
            for (KvmIoctl ioctl : KvmIoctl.values()) {
                if (p.has(ioctl)) {
                    out.add("profile " + p.release() + " ioctl " + ioctl.cName());
                }
            }
            p.capabilities().stream().sorted(Comparator.comparingInt(KvmCap::number))
                    .forEach(c -> out.add("profile " + p.release() + " cap " + c.cName()));
            p.removed().keySet().stream().map(AbiConstant::cName).sorted()
                    .forEach(n -> out.add("profile " + p.release() + " removed " + n));
        }
        return out;
    }
}
