package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few disassemblies that do not need objdump installed. Each expected text is what GNU objdump
 * 2.40 printed for these bytes at address 0 ({@code objdump -D -b binary -m i386[:x86-64]
 * -M intel[,i8086|,intel64]}), copied from its output with whitespace collapsed; the full
 * comparison against a live objdump is {@link ObjdumpDifferentialTest}.
 */
class DisassemblerTest {
    private final Decoder decoder = new Decoder(EnumSet.allOf(IsaFeature.class));

    @ParameterizedTest(name = "{1}-byte mode: {0}")
    @CsvSource(delimiter = '|', value = {
        "8b 84 88 10 00 00 00 | 4 | mov eax,DWORD PTR [eax+ecx*4+0x10]",
        "26 8b 45 00          | 4 | mov eax,DWORD PTR es:[ebp+0x0]",
        "a1 00 10 00 00       | 4 | mov eax,ds:0x1000",
        "f3 ab                | 4 | rep stos DWORD PTR es:[edi],eax",
        "66 cf                | 4 | iretw",
        "0f 01 10             | 4 | lgdtd [eax]",
        "e3 00                | 4 | jecxz 0x2",
        "9a 00 10 00 00 08 00 | 4 | call 0x8:0x1000",
        "8b 46 f8             | 2 | mov ax,WORD PTR [bp-0x8]",
        "66 9c                | 2 | pushfd",
        "48 98                | 8 | cdqe",
        "48 cf                | 8 | iretq",
        "8b 05 00 10 00 00    | 8 | mov eax,DWORD PTR [rip+0x1000] # 0x1006",
        "40 88 e0             | 8 | mov al,spl",
        "48 b8 00 00 00 00 00 00 00 80 | 8 | movabs rax,0x8000000000000000",
        "0f 20 c0             | 8 | mov rax,cr0",
        "f0 0f c7 0e          | 8 | lock cmpxchg8b QWORD PTR [rsi]",
    })
    void matchesObjdump(String hex, int mode, String expected) throws DecodeException {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        Instruction i = decoder.decode(CodeSource.of(bytes, 0), mode);
        assertThat(i.length()).isEqualTo(bytes.length);
        assertThat(Objdump.normalise(Disassembler.format(i, 0, mode))).isEqualTo(expected);
        assertThat(Disassembler.inferMode(i)).as("mode inferred from the instruction").isEqualTo(mode);
    }
}
