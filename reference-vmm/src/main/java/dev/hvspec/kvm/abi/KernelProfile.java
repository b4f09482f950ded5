package dev.hvspec.kvm.abi;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one KVM release offers userspace on x86: the ioctls it answers (every other request code is
 * ENOTTY) and the capabilities KVM_CHECK_EXTENSION reports as present. The kernel layer exposes
 * exactly one profile; the VMM negotiates with KVM_CHECK_EXTENSION as QEMU does.
 *
 * <p>Only ioctls of {@link KvmIoctl} are listed. A profile's capability set is the subset of
 * that release's capabilities relevant to those ioctls and to issue 4's behaviours (a real 6.1
 * reports more, e.g. KVM_CAP_DIRTY_LOG_RING, which the reference does not implement). Releases
 * change only by adding, except for the removals recorded in {@link #removed()} with the reason.
 *
 * @param release      the kernel release, e.g. {@code "2.6.24"}
 * @param ioctls       the ioctls it answers
 * @param capabilities the capabilities it reports
 * @param removed      ioctls or capabilities the previous profile had and this one lost, with why
 * @param source       where the facts come from (and how sure they are)
 */
public record KernelProfile(String release, Set<KvmIoctl> ioctls, Set<KvmCap> capabilities,
                            Map<AbiConstant, String> removed, String source) {
    public KernelProfile {
        ioctls = Set.copyOf(ioctls);
        capabilities = Set.copyOf(capabilities);
        removed = Map.copyOf(removed);
    }

    public boolean has(KvmIoctl ioctl) {
        return ioctls.contains(ioctl);
    }

    public boolean has(KvmCap cap) {
        return capabilities.contains(cap);
    }

    /** The ioctl a request code means on this kind of fd in this release, if it has it. */
    public Optional<KvmIoctl> decode(FdKind kind, long code) {
        return KvmIoctl.decode(kind, code).filter(ioctls::contains);
    }

    /** The profiles of {@link KernelProfiles}, oldest first. */
    public static List<KernelProfile> all() {
        return KernelProfiles.ALL;
    }

    /** The profile of a release ({@code "2.6.22"} … {@code "6.1"}). */
    public static Optional<KernelProfile> of(String release) {
        return KernelProfiles.ALL.stream().filter(p -> p.release().equals(release)).findFirst();
    }

    /** Starts a profile that extends {@code base}. */
    static Builder extending(KernelProfile base, String release) {
        return new Builder(release, base.ioctls, base.capabilities);
    }

    static Builder first(String release) {
        return new Builder(release, Set.of(), Set.of());
    }

    /** Adds to, and records removals from, the previous release. */
    static final class Builder {
        private final String release;
        private final EnumSet<KvmIoctl> ioctls = EnumSet.noneOf(KvmIoctl.class);
        private final EnumSet<KvmCap> caps = EnumSet.noneOf(KvmCap.class);
        private final Map<AbiConstant, String> removed = new java.util.LinkedHashMap<>();

        private Builder(String release, Set<KvmIoctl> ioctls, Set<KvmCap> caps) {
            this.release = release;
            this.ioctls.addAll(ioctls);
            this.caps.addAll(caps);
        }

        Builder ioctls(KvmIoctl... added) {
            ioctls.addAll(List.of(added));
            return this;
        }

        Builder caps(KvmCap... added) {
            caps.addAll(List.of(added));
            return this;
        }

        Builder removed(String reason, AbiConstant... gone) {
            for (AbiConstant c : gone) {
                if (c instanceof KvmIoctl i ? !ioctls.remove(i) : !caps.remove((KvmCap) c)) {
                    throw new IllegalStateException(release + ": cannot remove " + c.cName() + ", not present");
                }
                removed.put(c, reason);
            }
            return this;
        }

        KernelProfile build(String source) {
            return new KernelProfile(release, ioctls, caps, removed, source);
        }
    }
}
