package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte sequences objdump reports as {@code (bad)} must be #UD for our decoder. Random encodings
 * (prefixes, REX, every opcode map, random ModRM/SIB/immediate bytes) are disassembled by objdump
 * in one process; at every offset where objdump prints {@code (bad)}, our decoder must throw
 * {@link DecodeException.Kind#UNDEFINED}. (The converse does not hold: we also reject AVX,
 * extensions we do not advertise, blank x87 cells that silicon aliases, and LOCK misuse, which
 * objdump prints.)
 */
@Tag("sdm-2-A.3")
class ObjdumpBadBytesTest {
    private static final Pattern BAD = Pattern.compile("^((lock|rep|repz|repnz|data16|data32|addr16|addr32|rex(\\.\\w+)?|[c-gs]s) )*\\(bad\\)$");
    private static final int[] PREFIXES = {0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x2E, 0x64};

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(ints = {2, 4, 8})
    void badForObjdumpIsUndefinedForUs(int mode) throws Exception {
        Objdump.assumeInstalled();
        Random random = new Random(Long.getLong("hvspec.isa.seed", 0xBAD) + mode);
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        for (int n = 0; n < 20000; n++) {
            if (random.nextInt(3) == 0) {
                code.write(PREFIXES[random.nextInt(PREFIXES.length)]);
            }
            if (mode == 8 && random.nextInt(3) == 0) {
                code.write(0x40 | random.nextInt(16));
            }
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> { }
                case 5, 6, 7 -> code.write(0x0F);
                case 8 -> code.writeBytes(new byte[] {0x0F, 0x38});
                default -> code.writeBytes(new byte[] {0x0F, 0x3A});
            }
            code.write(random.nextInt(256));
            for (int i = 0; i < 6; i++) {
                code.write(random.nextInt(256));
            }
        }
        byte[] bytes = code.toByteArray();
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 16);
        Decoder decoder = new Decoder(EnumSet.allOf(IsaFeature.class));
        List<String> accepted = new ArrayList<>();
        int bad = 0;
        for (Objdump.Line line : Objdump.disassemble(bytes, mode)) {
            if (!BAD.matcher(line.text()).matches() || line.offset() + 15 > bytes.length) {
                continue;
            }
            bad++;
            String hex = HexFormat.of().formatHex(padded, (int) line.offset(), (int) line.offset() + 8);
            try {
                int at = (int) line.offset();
                Instruction i = decoder.decode(CodeSource.of(padded, at), mode);
                while (i.mnemonic() == Mnemonic.FWAIT) {
                    // objdump reads 9B (FWAIT) as a prefix of the x87 instruction after it; the
                    // (bad) is about that instruction.
                    at += i.length();
                    i = decoder.decode(CodeSource.of(padded, at), mode);
                }
                accepted.add(hex + ": objdump '" + line.text() + "', ours " + Disassembler.format(i, line.offset(), mode));
            } catch (DecodeException e) {
                if (e.kind() != DecodeException.Kind.UNDEFINED) {
                    accepted.add(hex + ": " + e.kind());
                }
            }
        }
        assertThat(bad).isGreaterThan(100);
        assertThat(accepted).isEmpty();
    }
}
