package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.memory.HostMemory;

/**
 * Decoded instructions of one 4 KiB host page in one decode mode, by offset of their first
 * byte. A cache, invisible to the guest: it is valid only while the page's code generation (bumped
 * by every write to the page, from any vCPU or device) is the one recorded here, and instructions
 * that cross into the next page are never stored.
 */
final class DecodedPage {
    final HostMemory.Region region;
    final int pageIndex;
    final int mode;
    final int generation;
    final Instruction[] slots = new Instruction[4096];

    DecodedPage(HostMemory.Region region, int pageIndex, int mode, int generation) {
        this.region = region;
        this.pageIndex = pageIndex;
        this.mode = mode;
        this.generation = generation;
    }

    boolean validFor(HostMemory.Region r, int page, int decodeMode) {
        return region == r && pageIndex == page && mode == decodeMode && generation == r.codeGeneration(page);
    }
}
