package dev.hvspec.cli;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.vmm.boot.FlatMultibootImage;
import org.junit.jupiter.api.Tag;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hvspec run --stats} and {@code --host/--userspace}: the kvm_stat counters printed at exit
 * match a guest whose exits are counted by hand, and an old host runs the same guest.
 */
@Tag("kvm-api-5")
class RunStatsTest {
    private static final long LOAD = 0x100000;
    /** OUTs to port 80H (no device: each is a KVM_EXIT_IO that userspace ignores). */
    private static final int OUTS = 10;
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
        }
    }

    /** {@value #OUTS} × out 80H, then isa-debug-exit: OUTS + 1 port writes, nothing else leaves the guest. */
    private static Path guest(Path dir) throws Exception {
        Assembler a = new Assembler(LOAD + FlatMultibootImage.HEADER_SIZE, 4);
        for (int i = 0; i < OUTS; i++) {
            a.mov(AL, i).out(0x80, AL);
        }
        a.mov(DX, 0xF4).mov(EAX, 3).out(DX, EAX).hlt();
        return Files.write(dir.resolve("guest.bin"), FlatMultibootImage.of(LOAD, a.assemble()));
    }

    @Test
    void statsCountEveryIoExit(@TempDir Path dir) throws Exception {
        int status = run("run", "--kernel", guest(dir).toString(), "--stats", "--timeout-seconds", "60");
        assertThat(status).isEqualTo(3 << 1 | 1);
        String text = err.toString();
        // Hand count: OUTS writes to port 80H and one to isa-debug-exit, each a KVM_EXIT_IO to userspace.
        assertThat(text).contains("kvm_stat io_exits " + (OUTS + 1) + "\n");
        assertThat(text).contains("kvm_stat userspace_exits " + (OUTS + 1) + "\n");
        assertThat(text).doesNotContain("kvm_stat mmio_exits");
    }

    @Test
    void theSameGuestRunsOnA2622HostWithA2622Vmm(@TempDir Path dir) throws Exception {
        int status = run("run", "--kernel", guest(dir).toString(), "--host", "2.6.22", "--userspace", "2.6.22",
                "--stats", "--timeout-seconds", "60");
        assertThat(status).isEqualTo(3 << 1 | 1);
        assertThat(err.toString()).contains("kvm_stat io_exits " + (OUTS + 1) + "\n");
    }

    @Test
    void anOldVmmOnA61HostIsRefusedWithTheRemovedIoctl(@TempDir Path dir) throws Exception {
        int status = run("run", "--kernel", guest(dir).toString(), "--userspace", "2.6.22");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("KVM_SET_MEMORY_REGION").contains("ENOTTY");
    }

    @Test
    void anUnknownReleaseIsAUsageError(@TempDir Path dir) throws Exception {
        assertThat(run("run", "--kernel", guest(dir).toString(), "--host", "2.6.21")).isEqualTo(2);
        assertThat(err.toString()).contains("--host must be one of");
    }
}
