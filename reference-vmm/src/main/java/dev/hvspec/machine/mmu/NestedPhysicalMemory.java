package dev.hvspec.machine.mmu;

import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.GuestExits;

/**
 * Guest-physical memory seen through EPT or NPT: every access — the guest walker's reads and A/D
 * updates of guest paging-structure entries, PDPTE loads, and the final access — is translated by
 * the second level first (the two-dimensional walk, SDM 3C §29.3.2), and a failed translation is
 * a VM exit handled synchronously by the hypervisor ({@link GuestExits}). After
 * {@link ExitResolution.Resume} the translation is retried; after {@link ExitResolution.Emulate}
 * the access goes to the hypervisor's emulator.
 */
final class NestedPhysicalMemory implements PhysicalMemory {
    /** More exits than this for one access means the hypervisor is not making progress. */
    static final int MAX_EXITS = 64;

    private final SecondLevelTranslation second;
    private final HostPhysicalMemory host;
    private final GuestExits exits;
    /** The access types the second level allowed in the last successful {@link #hostFrame}. */
    private int lastTypes;

    NestedPhysicalMemory(SecondLevelTranslation second, HostPhysicalMemory host, GuestExits exits) {
        this.second = second;
        this.host = host;
        this.exits = exits;
    }

    SecondLevelTranslation secondLevel() {
        return second;
    }

    /** The host frame for {@code gpa}, or -1 when the hypervisor emulates the access. */
    private long hostFrame(long gpa, SecondLevelTranslation.Use use, int type, long linear) {
        for (int exit = 0; exit < MAX_EXITS; exit++) {
            SecondLevelTranslation.Result r = second.translate(gpa, use, type, linear);
            if (r instanceof SecondLevelTranslation.Mapped m) {
                lastTypes = m.types();
                return m.hostFrame();
            }
            second.invalidate(gpa);
            ExitResolution resolution = second.report((SecondLevelTranslation.Fault) r, gpa, linear, exits);
            if (resolution instanceof ExitResolution.Emulate) {
                return -1;
            }
        }
        throw new IllegalStateException(String.format("no progress translating guest-physical %#x", gpa));
    }

    @Override
    public long readEntry(long gpa, int size) {
        return read(gpa, size, SecondLevelTranslation.Use.PDPTE_LOAD, 0);
    }

    @Override
    public long readPagingEntry(long gpa, int size, long linear) {
        return read(gpa, size, SecondLevelTranslation.Use.GUEST_TABLE_READ, linear);
    }

    private long read(long gpa, int size, SecondLevelTranslation.Use use, long linear) {
        long frame = hostFrame(gpa, use, Access.READ, linear);
        if (frame < 0) {
            return exits.emulatedRead(gpa, size);
        }
        return host.readEntry(frame | (gpa & 0xFFF), size);
    }

    @Override
    public boolean compareAndSetEntry(long gpa, int size, long expected, long update) {
        return updatePagingEntry(gpa, size, expected, update, 0);
    }

    @Override
    public boolean updatePagingEntry(long gpa, int size, long expected, long update, long linear) {
        long frame = hostFrame(gpa, SecondLevelTranslation.Use.GUEST_TABLE_UPDATE, Access.WRITE, linear);
        if (frame < 0) {
            return true; // the emulator cannot update A/D bits outside RAM: lost, as on a ROM
        }
        return host.compareAndSetEntry(frame | (gpa & 0xFFF), size, expected, update);
    }

    @Override
    public PageTarget resolve(long gpa, int type, long linear) {
        long frame = hostFrame(gpa, SecondLevelTranslation.Use.FINAL, type, linear);
        if (frame < 0) {
            return new PageTarget.Emulated(gpa);
        }
        int types = lastTypes;
        PageTarget t = host.resolve(frame, type, linear);
        return t instanceof PageTarget.Ram ram ? new PageTarget.Ram(ram.page(), types) : t;
    }
}
