package dev.hvspec.machine.mmu;

import dev.hvspec.machine.vmx.EptViolation;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.NestedPageFault;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.hvspec.machine.mmu.NestedFixture.VA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two-dimensional walk (SDM 3C §29.3.2, AMD APM vol. 2 §15.25), its costs, and the VM exits it
 * reports. Expected numbers are worked out by hand from the walk's definition in the comments.
 */
class NestedTranslationTest {
    private static NestedFixture ept() {
        NestedFixture f = new NestedFixture(false, true);
        for (long gpa = 0; gpa < 0x10000; gpa += 0x1000) {
            f.map(gpa, 1, f.rwx());
        }
        f.guestTables();
        return f;
    }

    @Test
    @Tag("sdm-3C-29.3")
    void aColdFourByFourWalkCosts24References() {
        NestedFixture f = ept();
        f.mmu.setPagingStructureCaches(false);
        f.mmu.counters().reset();
        assertThat(f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ)).isEqualTo(0x1122_3344_5566_7788L);
        // 4 guest entries, each at a guest-physical address that needs a 4-entry EPT walk first,
        // then a 4-entry EPT walk of the final guest-physical address: 4 × (4 + 1) + 4.
        assertThat(f.mmu.counters().guestEntryReads()).isEqualTo(4);
        assertThat(f.mmu.counters().nestedEntryReads()).isEqualTo(20);
        assertThat(f.mmu.counters().references()).isEqualTo(24);
    }

    @Test
    @Tag("sdm-3A-4.10.3") @Tag("sdm-3C-29.4")
    void pagingStructureCachesCutTheWalk() {
        NestedFixture f = ept();
        f.mmu.counters().reset();
        f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ);
        // Every guest-physical address involved lies in the first 2 MiB: after the first EPT walk
        // (4 entries) the EPT PDE cache serves the rest, each needing only its EPT PTE: 4 + 4 × 1.
        assertThat(f.mmu.counters().references()).isEqualTo(4 + 4 + 4);
        f.mmu.counters().reset();
        assertThat(f.mmu.read(VA + 0x1010, 8, Access.SUPERVISOR_READ)).isEqualTo(0x0102_0304_0506_0708L);
        // The next page: the guest PDE cache gives the page table, whose page the guest-physical
        // TLB already maps; only the PTE (1) and the new frame's EPT PTE (1) are read.
        assertThat(f.mmu.counters().references()).isEqualTo(2);
        assertThat(f.mmu.counters().pscHits()).isEqualTo(1);
    }

    @Test
    @Tag("sdm-3C-29.3")
    void largeEptPagesShortenTheNestedWalks() {
        NestedFixture big = new NestedFixture(false, true);
        big.map(0, 3, big.rwx());                 // one 1-GByte EPT page: 2-entry nested walks
        big.guestTables();
        big.mmu.setPagingStructureCaches(false);
        big.mmu.counters().reset();
        big.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ);
        assertThat(big.mmu.counters().references()).isEqualTo(4 * (2 + 1) + 2);
        NestedFixture mid = new NestedFixture(false, true);
        mid.map(0, 2, mid.rwx());                 // a 2-MByte EPT page: 3-entry nested walks
        mid.guestTables();
        mid.mmu.setPagingStructureCaches(false);
        mid.mmu.counters().reset();
        assertThat(mid.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(mid.mmu.counters().references()).isEqualTo(4 * (3 + 1) + 3);
    }

    @Test
    @Tag("sdm-3C-29.3.3.2")
    void aMissingEntryForAGuestPageTableIsAViolationOnAPagingStructureAccess() {
        NestedFixture f = new NestedFixture(false, true);
        for (long gpa = 0; gpa < 0x10000; gpa += 0x1000) {
            if (gpa != 0x4000) {
                f.map(gpa, 1, f.rwx());
            }
        }
        f.guestTables();
        f.onExit = e -> {
            f.map(0x4000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        assertThat(f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ)).isEqualTo(0x1122_3344_5566_7788L);
        EptViolation v = (EptViolation) f.exits.get(0);
        assertThat(v.gpa()).isEqualTo(0x4000 + 8 * (VA >>> 12 & 0x1FF));
        assertThat(v.linear()).isEqualTo(VA + 0x10);
        // Table 28-7: with EPT A/D flags guest paging-structure accesses are writes (bits 0 and 1),
        // the entry was not present (bits 5:3 = 0), the linear address is valid (bit 7) and the
        // access was to a paging-structure entry (bit 8 clear).
        assertThat(v.qualification()).isEqualTo(0x83);
        assertThat(v.guestPagingStructureAccess()).isTrue();
    }

    @Test
    @Tag("sdm-3C-29.3.3.2")
    void withoutAccessedDirtyFlagsAGuestTableReadIsARead() {
        NestedFixture f = new NestedFixture(false, false);
        for (long gpa = 0; gpa < 0x10000; gpa += 0x1000) {
            if (gpa != 0x2000) {
                f.map(gpa, 1, f.rwx());
            }
        }
        f.guestTables();
        f.onExit = e -> {
            f.map(0x2000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ);
        assertThat(((EptViolation) f.exits.get(0)).qualification()).isEqualTo(0x81);
    }

    @Test
    @Tag("sdm-3C-29.3.3.2")
    void aWriteToAReadOnlyPageReportsItsPermissions() {
        NestedFixture f = ept();
        f.map(0x5000, 1, 5 | 6 << 3);             // read + execute
        f.mmu.flushAll();
        f.onExit = e -> {
            f.map(0x5000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        f.mmu.write(VA + 0x18, 4, 0xCAFE, Access.SUPERVISOR_WRITE);
        EptViolation v = (EptViolation) f.exits.get(0);
        assertThat(v.gpa()).isEqualTo(0x5018);
        // Write (bit 1), readable and executable (bits 3 and 5), linear valid (7), final translation (8).
        assertThat(v.qualification()).isEqualTo(0x2 | 0x8 | 0x20 | 0x80 | 0x100);
        assertThat(f.bytes().getInt(0x5018)).isEqualTo(0xCAFE);
    }

    @Test
    @Tag("sdm-3C-29.3.3.2")
    void aFetchFromANonExecutablePageIsAFetchViolation() {
        NestedFixture f = ept();
        f.map(0x5000, 1, 3 | 6 << 3);             // read + write
        f.mmu.flushAll();
        f.onExit = e -> {
            f.map(0x5000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        f.mmu.fetchByte(VA, Access.SUPERVISOR_FETCH);
        assertThat(((EptViolation) f.exits.get(0)).qualification()).isEqualTo(0x4 | 0x8 | 0x10 | 0x80 | 0x100);
    }

    @Test
    @Tag("sdm-3C-29.3.3.1")
    void reservedSettingsAreMisconfigurations() {
        long[] bad = {
            2 | 6 << 3,              // write-only
            6 | 6 << 3,              // write/execute without read
            7 | 2 << 3,              // memory type 2 (reserved) in a leaf
            7 | 6 << 3 | 1L << 45,   // an address bit beyond MAXPHYADDR (40)
        };
        for (long entry : bad) {
            NestedFixture f = ept();
            f.map(0x5000, 1, entry);
            f.mmu.flushAll();
            f.onExit = e -> {
                f.map(0x5000, 1, f.rwx());
                return ExitResolution.RESUME;
            };
            f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ);
            assertThat(f.exits).as("entry %x", entry).containsExactly("misconfiguration 5010");
        }
    }

    @Test
    @Tag("sdm-3C-29.3.5")
    void accessedAndDirtyFlagsForEpt() {
        NestedFixture f = ept();
        f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ);
        long dataLeaf = f.hpm.readEntry(f.leafAt(0x5000, 1), 8);
        long tableLeaf = f.hpm.readEntry(f.leafAt(0x4000, 1), 8);
        assertThat(dataLeaf & 0x300).as("read: accessed, not dirty").isEqualTo(0x100);
        assertThat(tableLeaf & 0x300).as("guest paging-structure accesses count as writes").isEqualTo(0x300);
        f.mmu.write(VA + 0x10, 8, 1, Access.SUPERVISOR_WRITE);
        assertThat(f.hpm.readEntry(f.leafAt(0x5000, 1), 8) & 0x300).isEqualTo(0x300);
    }

    @Test
    @Tag("sdm-3C-29.3.3.2")
    void aPdpteLoadHasNoLinearAddress() {
        NestedFixture f = new NestedFixture(false, true);
        f.onExit = e -> {
            f.map(0x7000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        f.mmu.physical().readEntry(0x7008, 8); // what MOV to CR3 does under PAE paging
        // Read (bit 0) only — PDPTE loads are not writes even with A/D flags — and bit 7 clear.
        assertThat(((EptViolation) f.exits.get(0)).qualification()).isEqualTo(0x1);
    }

    @Test
    @Tag("sdm-3C-29.3")
    void anEptpVmEntryWouldRefuseIsRefused() {
        NestedFixture f = new NestedFixture(false, true);
        f.controls.enableEpt(f.root | 1 | 3 << 3);         // memory type 1 (WC) is not allowed
        assertThatThrownBy(() -> f.mmu.configure(f.controls, f.host)).isInstanceOf(IllegalArgumentException.class);
        f.controls.enableEpt(f.root | 6 | 4 << 3);         // a 5-level walk is not supported here
        assertThatThrownBy(() -> f.mmu.configure(f.controls, f.host)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nestedPagingReportsTheWalkAndTheFinalAccess() {
        NestedFixture f = new NestedFixture(true, true);
        for (long gpa = 0; gpa < 0x10000; gpa += 0x1000) {
            if (gpa != 0x3000) {
                f.map(gpa, 1, f.rwx());
            }
        }
        f.guestTables();
        f.onExit = e -> {
            f.map(0x3000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        f.mmu.read(VA + 0x10, 8, Access.SUPERVISOR_READ);
        NestedPageFault walk = (NestedPageFault) f.exits.get(0);
        // APM §15.25.6: a user (nested walks are user accesses) read, not present, during the guest walk (bit 33).
        assertThat(walk.exitInfo1()).isEqualTo(0x4L | 1L << 33);
        assertThat(walk.gpa()).isEqualTo(0x3000 + 8 * (VA >>> 21 & 0x1FF));
        f.map(0x5000, 1, 5);                      // present + user, read-only
        f.mmu.flushAll();
        f.exits.clear();
        f.onExit = e -> {
            f.map(0x5000, 1, f.rwx());
            return ExitResolution.RESUME;
        };
        f.mmu.write(VA + 0x10, 8, 7, Access.SUPERVISOR_WRITE);
        assertThat(((NestedPageFault) f.exits.get(0)).exitInfo1()).isEqualTo(0x7L | 1L << 32);
    }
}
