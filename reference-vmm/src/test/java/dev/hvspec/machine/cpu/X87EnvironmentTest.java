package dev.hvspec.machine.cpu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The x87 environment and FXSAVE images in real-address mode, which the host-CPU oracle (a 64-bit
 * Linux process) cannot produce. A nasm-assembled program runs on the reference processor; the
 * expected bytes are laid out by hand from SDM 1 §8.1.10 Figures 8-10 and 8-12 (real-mode
 * environment, 32- and 16-bit) and SDM 2 FXSAVE Table 3-53 (the 32-bit image).
 */
@Tag("sdm-1-8.1.10")
class X87EnvironmentTest {
    @BeforeAll
    static void needsNasm() {
        assumeTrue(CpuHarness.nasmAvailable(), "nasm is not installed (CI installs it)");
    }

    private static int u16(CpuHarness h, int at) {
        return h.ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(at) & 0xFFFF;
    }

    @Test
    void realModeEnvironmentHoldsLinearPointersAndTheOpcode() throws Exception {
        CpuHarness h = new CpuHarness(1 << 20);
        // CS = 07C0H, DS = 0040H. The last non-control instruction is "fld dword [0x10]" at
        // 07C0:0013 (linear 7C13H); its memory operand is at 0040:0010 (linear 0410H).
        h.load(0x7C00, CpuHarness.nasm("""
                bits 16
                org 0
                    jmp 0x07C0:start
                start:                      ; offset 5
                    mov ax, 0x40
                    mov ds, ax              ; offset 8: 8E D8
                    mov eax, cr0            ; offset 10 (0F 20 C0)
                    fninit                  ; offset 13: DB E3
                    fld1                    ; offset 15: D9 E8
                    nop                     ; offset 17
                    nop                     ; offset 18
                    fld dword [0x10]        ; offset 19 = 13H: D9 06 10 00
                    fnstenv [0x100]         ; 14 bytes at DS:0100 (linear 0500H)
                    o32 fnstenv [0x200]     ; 28 bytes at DS:0200 (linear 0600H)
                    fxsave [0x300]          ; 512 bytes at DS:0300 (linear 0700H), 16-byte aligned
                    hlt
                """));
        // The dword at linear 0410H: 2.0f.
        h.ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN).putInt(0x410, 0x4000_0000);
        h.startReal(0x7C00);
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);

        // 14-byte real-mode format (Figure 8-12).
        int env = 0x500;
        assertThat(u16(h, env)).isEqualTo(0x037F);                  // FCW after FNINIT
        assertThat(u16(h, env + 2)).isEqualTo(6 << 11);             // FSW: TOP = 6 after two pushes
        assertThat(u16(h, env + 4)).isEqualTo(0x0FFF);              // R0-R5 empty (11), R6/R7 valid (00)
        assertThat(u16(h, env + 6)).isEqualTo(0x7C13);              // FIP 15:0 (linear)
        assertThat(u16(h, env + 8)).isEqualTo(0x0106);              // FIP 19:16 = 0 | FOP = D9 /0 ModRM 06
        assertThat(u16(h, env + 10)).isEqualTo(0x0410);             // FDP 15:0 (linear)
        assertThat(u16(h, env + 12)).isEqualTo(0);                  // FDP 19:16

        // 28-byte real-mode format (Figure 8-10): the same fields in dwords.
        int env32 = 0x600;
        assertThat(h.u32(env32 + 12)).isEqualTo(0x7C13);
        assertThat(h.u32(env32 + 16)).isEqualTo(0x0106);            // FIP 31:16 in 27:12 = 0 | FOP
        assertThat(h.u32(env32 + 20)).isEqualTo(0x0410);
        assertThat(h.u32(env32 + 24) & 0x0FFF_F000L).isZero();

        // FXSAVE, 32-bit format: the pointers as offset and selector (Table 3-53).
        int fx = 0x700;
        assertThat(u16(h, fx)).isEqualTo(0x037F);
        assertThat(h.ram.buffer().get(fx + 4) & 0xFF).isEqualTo(0xC0);   // abridged: R6, R7 valid
        assertThat(u16(h, fx + 6)).isEqualTo(0x0106);                    // FOP
        assertThat(h.u32(fx + 8)).isEqualTo(0x13);                       // FIP offset
        assertThat(u16(h, fx + 12)).isEqualTo(0x07C0);                   // FCS
        assertThat(h.u32(fx + 16)).isEqualTo(0x10);                      // FDP offset
        assertThat(u16(h, fx + 20)).isEqualTo(0x0040);                   // FDS
        assertThat(h.u32(fx + 24)).isEqualTo(0x1F80);                    // MXCSR
        ByteBuffer b = h.ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(fx + 32)).isEqualTo(Long.MIN_VALUE);         // ST(0) = 2.0: 1.000… × 2^1
        assertThat(b.getShort(fx + 40) & 0xFFFF).isEqualTo(0x4000);
        assertThat(b.getShort(fx + 56) & 0xFFFF).isEqualTo(0x3FFF);        // ST(1) = 1.0
    }

    @Test
    void fldenvRestoresWhatFnstenvSaved() throws Exception {
        CpuHarness h = new CpuHarness(1 << 20);
        // Save, change everything, restore, save again: the two images agree.
        h.load(0x7C00, CpuHarness.nasm("""
                bits 16
                org 0x7c00
                    fninit
                    fldpi
                    fld1
                    fldcw [cw]
                    fnstenv [0x600]
                    fninit
                    fldenv [0x600]
                    fnstenv [0x700]
                    fnstcw [0x800]
                    hlt
                cw: dw 0x0A72
                """));
        h.startReal(0x7C00);
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);
        for (int k = 0; k < 14; k += 2) {
            assertThat(u16(h, 0x700 + k)).as("byte %d", k).isEqualTo(u16(h, 0x600 + k));
        }
        // FNSTENV masks all exceptions after storing (SDM 2 FSTENV); FLDENV brought 0A72H back.
        assertThat(u16(h, 0x600)).isEqualTo(0x0A72);
        assertThat(u16(h, 0x800)).isEqualTo(0x0A7F);
    }
}
