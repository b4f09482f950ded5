package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test against NASM: a corpus of NASM source lines in 16-, 32- and 64-bit code
 * ({@code isa/nasm-corpus.asm}) is assembled by nasm in one process; for each line our decoder
 * must find exactly nasm's length, and re-encoding the decoded instruction must give nasm's bytes
 * (NASM, like our encoder, emits canonical shortest encodings). Then objdump disassembles nasm's
 * bytes and must print our disassembler's text for each line (with the accepted differences of
 * {@link ObjdumpDifferentialTest#objdumpDiffers}).
 */
@Tag("sdm-2-2.1")
class NasmCorpusTest {
    @Test
    void decoderAndEncoderAgreeWithNasm() throws Exception {
        Nasm.assumeInstalled();
        String source;
        try (InputStream in = getClass().getResourceAsStream("/isa/nasm-corpus.asm")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Nasm.Result result = Nasm.assemble(source);
        Decoder decoder = new Decoder(EnumSet.allOf(IsaFeature.class));
        List<String> mismatches = new ArrayList<>();
        for (Nasm.Line line : result.lines()) {
            String where = "line " + line.lineNumber() + " '" + line.source() + "' ("
                    + HexFormat.of().formatHex(line.bytes()) + ", " + (8 * line.mode()) + "-bit)";
            try {
                Instruction i = decoder.decode(CodeSource.of(result.binary(), line.offset()), line.mode());
                byte[] again = Encoder.encode(i, line.mode());
                Disassembler.format(i, line.offset(), line.mode());
                if (i.length() != line.bytes().length) {
                    mismatches.add(where + ": decoded length " + i.length());
                } else if (!Arrays.equals(again, line.bytes())) {
                    mismatches.add(where + ": re-encoded as " + HexFormat.of().formatHex(again));
                }
            } catch (DecodeException | RuntimeException e) {
                mismatches.add(where + ": " + e);
            }
        }
        assertThat(result.lines()).hasSizeGreaterThan(300);
        assertThat(mismatches).isEmpty();
        assertThat(textDifferences(result, decoder)).isEmpty();
    }

    /** Per mode, the lines' bytes back to back, disassembled by objdump and by us at the same addresses. */
    private static List<String> textDifferences(Nasm.Result result, Decoder decoder) throws Exception {
        Objdump.assumeInstalled();
        List<String> differences = new ArrayList<>();
        for (int mode : new int[] {2, 4, 8}) {
            java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
            java.util.Map<Long, Instruction> ours = new java.util.LinkedHashMap<>();
            for (Nasm.Line line : result.lines()) {
                if (line.mode() != mode) {
                    continue;
                }
                Instruction i = decoder.decode(CodeSource.of(line.bytes(), 0), mode);
                if (!ObjdumpDifferentialTest.objdumpDiffers(Encoder.slotFor(i, mode), i)) {
                    ours.put((long) code.size(), i);
                    code.writeBytes(line.bytes());
                }
            }
            java.util.Map<Long, Objdump.Line> theirs = new java.util.HashMap<>();
            for (Objdump.Line l : Objdump.disassemble(code.toByteArray(), mode)) {
                theirs.put(l.offset(), l);
            }
            ours.forEach((offset, i) -> {
                String text = Objdump.normalise(Disassembler.format(i, offset, mode));
                Objdump.Line l = theirs.get(offset);
                if (l == null || !l.text().equals(text)) {
                    differences.add((8 * mode) + "-bit @" + offset + ": objdump '" + (l == null ? null : l.text()) + "' ours '" + text + "'");
                }
            });
        }
        return differences;
    }
}
