package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.DecodeException;
import dev.hvspec.machine.cpu.isa.Decoder;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.Mmu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link Cpu} gets the instruction at CS:RIP: through the MMU's fetch path (SDM 3A §4.6
 * fetch rights, §5.3 the CS limit) and a decoded-instruction cache of {@link DecodedPage}s. The
 * cache is not architectural and is invisible to the guest: a page's decoded instructions are
 * used only while its code generation is unchanged, so self-modifying and cross-modifying code
 * ("Handling Self- and Cross-Modifying Code", SDM 3A §10.1.3 in the 2023 numbering, §8.1.3 before)
 * behaves as if every instruction were decoded afresh.
 */
final class InstructionFetch {
    /** Most decoded pages kept per processor (least recently used ones are dropped). */
    private static final int MAX_PAGES = 4096;

    private final Cpu cpu;
    private Decoder decoder;
    private Cpu.CodePageListener codePageListener = () -> { };
    private final Map<Long, DecodedPage> codePages = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DecodedPage> eldest) {
            return size() > MAX_PAGES;
        }
    };

    InstructionFetch(Cpu cpu) {
        this.cpu = cpu;
    }

    /** A new decoder (the CPUID table changed what is advertised): every cached decoding is dropped. */
    void setDecoder(Decoder decoder) {
        this.decoder = decoder;
        codePages.clear();
    }

    Decoder decoder() {
        return decoder;
    }

    void setCodePageListener(Cpu.CodePageListener listener) {
        this.codePageListener = listener;
    }

    /** The instruction at CS:RIP, from the decoded cache when the page's bytes have not changed. */
    Instruction fetch() {
        CpuState s = cpu.s;
        Mmu mmu = cpu.mmu;
        int mode = s.codeSize();
        long linear = cpu.codeLinear(s.rip);
        int kind = s.cpl() == 3 ? Access.USER_FETCH : Access.SUPERVISOR_FETCH;
        int entry = mmu.fetchEntry(linear, kind);
        int offset = (int) linear & 0xFFF;
        if (entry < 0) {
            return decode(linear, kind, mode); // code in MMIO: not cached
        }
        HostMemory.Region region = mmu.regionAt(entry);
        int page = mmu.pageIndexAt(entry);
        DecodedPage decoded = (DecodedPage) mmu.decodedAt(entry);
        if (decoded == null || !decoded.validFor(region, page, mode)) {
            decoded = decodedPage(region, page, mode);
            mmu.setDecoded(entry, decoded);
        }
        Instruction insn = decoded.slots[offset];
        if (insn == null) {
            insn = decode(linear, kind, mode);
            if (offset + insn.length() <= 4096) {
                decoded.slots[offset] = insn;
            }
        }
        return insn;
    }

    private DecodedPage decodedPage(HostMemory.Region region, int page, int mode) {
        Mmu mmu = cpu.mmu;
        long key = (region.base() + ((long) page << 12)) | mode;
        DecodedPage decoded = codePages.get(key);
        if (decoded != null && decoded.validFor(region, page, mode)) {
            return decoded;
        }
        boolean wasCode = region.holdsCode(page);
        int generation = region.markCode(page);
        if (!wasCode) {
            mmu.revokeWrites(); // writes to this page must now invalidate it
            codePageListener.codePageCreated();
        }
        decoded = new DecodedPage(region, page, mode, generation);
        codePages.put(key, decoded);
        return decoded;
    }

    private Instruction decode(long linear, int kind, int mode) {
        CpuState s = cpu.s;
        Mmu mmu = cpu.mmu;
        try {
            return decoder.decode(offset -> {
                if (!s.mode64() && s.rip + offset > s.cs().limit) {
                    throw CpuException.gp(0); // SDM 3A §5.3: fetch beyond the CS limit
                }
                return mmu.fetchByte(linear + offset, kind);
            }, mode);
        } catch (DecodeException e) {
            throw e.kind() == DecodeException.Kind.TOO_LONG ? CpuException.gp(0) : CpuException.ud();
        }
    }
}
