package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test against GNU objdump: many instructions of every form of the opcode tables
 * (random registers, addressing forms, immediates, prefixes) are encoded by our {@link Encoder},
 * the whole batch is disassembled by objdump in one process, and for each instruction objdump
 * must find the same length and print the same text as our {@link Disassembler} (whitespace
 * normalised).
 *
 * <p>Accepted differences, excluded from generation and listed in {@link #objdumpDiffers}:
 * objdump decodes some SDM "reserved NOP" cells as later extensions (0F 1A/1B as MPX, 0F 1C /0
 * memory as CLDEMOTE, F3 0F 1E as CET, not generated here, 0F 18 /6-/7 RIP-relative as PREFETCHIT0/1), it
 * reads a DS override on an indirect near CALL/JMP as the CET NOTRACK prefix, and it
 * decodes far pointers (CALL/JMP far, LSS/LFS/LGS) with REX.W as m16:32 (AMD) where the SDM
 * defines m16:64.
 */
@Tag("sdm-2-A.3")
class ObjdumpDifferentialTest {
    private static final int PER_FORM = 16;
    /** Fixed for reproducibility; -Dhvspec.isa.seed=N explores other samples. */
    private static final long SEED = Long.getLong("hvspec.isa.seed", 0x15A);

    static boolean objdumpDiffers(Slot slot, Instruction insn) {
        boolean map0F = slot.map() == Instruction.MAP_0F;
        if (map0F && (slot.opcodeByte() == 0x1A || slot.opcodeByte() == 0x1B)) {
            return true;
        }
        if (map0F && slot.opcodeByte() == 0x1C && insn.op1() instanceof Operand.Mem) {
            return true;
        }
        boolean farPointer = switch (insn.mnemonic()) {
            case CALLF, JMPF, LSS, LFS, LGS -> true;
            default -> false;
        };
        boolean prefetchI = slot.map() == Instruction.MAP_0F && slot.opcodeByte() == 0x18 && slot.reg() >= 6
                && insn.op1() instanceof Operand.Mem m && m.ripRelative();
        boolean notrack = (insn.mnemonic() == Mnemonic.CALL || insn.mnemonic() == Mnemonic.JMP)
                && insn.has(Prefix.SEGMENT) && insn.segmentOverride() == 3;
        // objdump prints 9B (FWAIT) as a prefix word of a following x87 instruction (9B DB E3 as
        // "finit"), so a stream of back-to-back instructions cannot show FWAIT on its own line.
        boolean fwait = insn.mnemonic() == Mnemonic.FWAIT;
        return farPointer && insn.has(Prefix.REX_W) || prefetchI || notrack || fwait;
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(ints = {2, 4, 8})
    void lengthsAndTextMatchObjdump(int mode) throws Exception {
        Objdump.assumeInstalled();
        InstructionGenerator generator = new InstructionGenerator(new Random(SEED + mode), true);
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        Map<Long, Instruction> byOffset = new HashMap<>();
        List<Long> offsets = new ArrayList<>();
        for (Slot slot : OpcodeTables.standard().slots()) {
            for (int n = 0; n < PER_FORM; n++) {
                Instruction i = generator.generate(slot, mode);
                if (i == null || objdumpDiffers(slot, i)) {
                    continue;
                }
                long offset = code.size();
                code.writeBytes(Encoder.encode(i, mode));
                byOffset.put(offset, i);
                offsets.add(offset);
            }
        }
        byte[] bytes = code.toByteArray();
        Map<Long, Objdump.Line> theirs = new HashMap<>();
        for (Objdump.Line line : Objdump.disassemble(bytes, mode)) {
            theirs.put(line.offset(), line);
        }
        List<String> mismatches = new ArrayList<>();
        for (long offset : offsets) {
            Instruction i = byOffset.get(offset);
            String hex = HexFormat.of().formatHex(bytes, (int) offset, (int) offset + i.length());
            String ours = Objdump.normalise(Disassembler.format(i, offset, mode));
            Objdump.Line line = theirs.get(offset);
            if (line == null) {
                mismatches.add(hex + ": objdump has no instruction here; ours: " + ours);
            } else if (line.length() != i.length() || !line.text().equals(ours)) {
                mismatches.add(hex + ": objdump " + line.length() + " '" + line.text() + "' ours " + i.length() + " '" + ours + "'");
            }
        }
        assertThat(offsets).hasSizeGreaterThan(1000);
        assertThat(mismatches).as("%d of %d instructions differ", mismatches.size(), offsets.size()).isEmpty();
    }
}
