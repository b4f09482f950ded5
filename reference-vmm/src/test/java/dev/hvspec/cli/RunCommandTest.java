package dev.hvspec.cli;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.vmm.boot.FlatMultibootImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hvspec.machine.cpu.isa.Asm.AL;
import static dev.hvspec.machine.cpu.isa.Asm.DX;
import static dev.hvspec.machine.cpu.isa.Asm.EAX;
import static dev.hvspec.machine.cpu.isa.Asm.ESI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest contract of DESIGN.md through {@code hvspec run}: COM1 bytes on stdout, exit status
 * (V << 1) | 1 for isa-debug-exit, 0 with a stderr line for a triple fault, 124 for a timeout, 2
 * for an unusable image.
 */
class RunCommandTest {
    private static final long LOAD = 0x100000;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        System.setOut(new PrintStream(serial, true, StandardCharsets.ISO_8859_1));
        try {
            return Hvspec.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(saved);
            out.write(serial.toString(StandardCharsets.ISO_8859_1));
        }
    }

    private static Path image(Path dir, Assembler a) throws Exception {
        return Files.write(dir.resolve("guest.bin"), FlatMultibootImage.of(LOAD, a.assemble()));
    }

    private static Assembler guest() {
        return new Assembler(LOAD + FlatMultibootImage.HEADER_SIZE, 4);
    }

    /** Prints a string on COM1 (polling LSR.THRE, PC16550D §8.4) and exits with {@code value}. */
    @Test
    void serialOutputAndDebugExitStatus(@TempDir Path dir) throws Exception {
        Assembler a = guest();
        Label text = a.label();
        Label next = a.label();
        Label done = a.label();
        Label wait = a.label();
        a.mov(ESI, a.addressOf(text));
        a.bind(next).lods(1)
                .test(AL, AL).jcc(dev.hvspec.machine.cpu.isa.Condition.E, done)
                .mov(dev.hvspec.machine.cpu.isa.Asm.AH, AL)
                .bind(wait).mov(DX, 0x3FD).in(AL, DX).test(AL, 0x20).jcc(dev.hvspec.machine.cpu.isa.Condition.E, wait)
                .mov(AL, dev.hvspec.machine.cpu.isa.Asm.AH).mov(DX, 0x3F8).out(DX, AL).jmp(next);
        a.bind(done).mov(DX, 0xF4).mov(EAX, 0x21).out(DX, EAX);
        a.bind(text).asciz("hello, guest\n");
        int status = run("run", "--kernel", image(dir, a).toString(), "--timeout-seconds", "30");
        assertThat(out.toString()).isEqualTo("hello, guest\n");
        assertThat(status).isEqualTo((0x21 << 1) | 1);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void tripleFaultEndsTheRunWithStatusZero(@TempDir Path dir) throws Exception {
        Assembler a = guest();
        // An IDT with limit 0: the first interrupt cannot be delivered → #GP → #DF → shutdown.
        Label idtr = a.label();
        a.lidt(a.absolute(0, idtr)).interrupt(0x30);
        a.align(4).bind(idtr).dw(0).dd(0);
        int status = run("run", "--kernel", image(dir, a).toString(), "--timeout-seconds", "30");
        assertThat(status).isZero();
        assertThat(err.toString()).contains("triple-faulted");
    }

    @Test
    void aGuestThatNeverExitsTimesOutWith124(@TempDir Path dir) throws Exception {
        Assembler a = guest();
        a.cli().hlt();
        int status = run("run", "--kernel", image(dir, a).toString(), "--timeout-seconds", "0.5");
        assertThat(status).isEqualTo(124);
        // The line names where the vCPU stopped: halted, so RIP is past the 1-byte HLT (SDM 2 HLT:
        // "the saved instruction pointer points to the instruction following the HLT").
        assertThat(err.toString()).contains("timeout")
                .contains(String.format("vCPU 0 at 0008:%016x", LOAD + FlatMultibootImage.HEADER_SIZE + 2));
    }

    @Test
    void aBadVirtioPciValueIsAUsageError(@TempDir Path dir) throws Exception {
        Assembler a = guest();
        a.cli().hlt();
        String kernel = image(dir, a).toString();
        assertThat(run("run", "--kernel", kernel, "--virtio-pci", "legacy-only")).isEqualTo(2);
        assertThat(run("run", "--kernel", kernel, "--virtio-pci", "modern,iommu_platform=maybe")).isEqualTo(2);
        assertThat(run("run", "--kernel", kernel, "--virtio-pci", "modern,packed=on")).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(3).allMatch(l -> l.contains("--virtio-pci"));
    }

    @Test
    void aLinuxImageWithAnOldBootProtocolIsAUsageError(@TempDir Path dir) throws Exception {
        byte[] image = new byte[4096];
        image[0x1F1] = 1;                                        // setup_sects
        image[0x202] = 'H'; image[0x203] = 'd'; image[0x204] = 'r'; image[0x205] = 'S';
        image[0x206] = 0x05; image[0x207] = 0x02;                // protocol 2.05
        image[0x211] = 1;                                        // LOADED_HIGH
        int status = run("run", "--kernel", Files.write(dir.resolve("bzImage"), image).toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("2.05");
    }

    @Test
    void garbageImageIsAUsageError(@TempDir Path dir) throws Exception {
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[] {1, 2, 3, 4, 5});
        int status = run("run", "--kernel", junk.toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("multiboot");
    }
}
