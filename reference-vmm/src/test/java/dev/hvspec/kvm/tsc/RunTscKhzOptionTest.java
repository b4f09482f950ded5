package dev.hvspec.kvm.tsc;

import dev.hvspec.cli.Hvspec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hvspec run --tsc-khz N}: KVM_SET_TSC_KHZ on every vCPU, or a one-line usage error with status 2. */
class RunTscKhzOptionTest {
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

    private static String image(Path dir) throws Exception {
        return Files.write(dir.resolve("tsc.elf"), TscGuests.rateImage()).toString();
    }

    @Test
    void theOptionSetsTheRateTheGuestCounts(@TempDir Path dir) throws Exception {
        int status = run("run", "--kernel", image(dir), "--tsc-khz", "2000000", "--timeout-seconds", "30");
        assertThat(status).as(err.toString()).isEqualTo(1);
        // 2 ticks per nanosecond, 1 ns per instruction (TscGuests.INSTRUCTIONS_BETWEEN_READS = 2003).
        assertThat(out.toString()).contains(String.format("delta=%08x", 2 * TscGuests.INSTRUCTIONS_BETWEEN_READS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "fast", "1.5", "4294967296"})
    void aValueThatIsNotAPositiveU32IsAUsageError(String value, @TempDir Path dir) throws Exception {
        int status = run("run", "--kernel", image(dir), "--tsc-khz", value);
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString()
                .contains("--tsc-khz must be a positive integer");
    }

    @Test
    void aRateBeyondTheTscMultiplierIsRefusedByTheKernel(@TempDir Path dir) throws Exception {
        // kvm_intel: max_guest_tsc_khz = 0x7fffffff; KVM_SET_TSC_KHZ fails with EINVAL.
        int status = run("run", "--kernel", image(dir), "--tsc-khz", "2147483647");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("EINVAL");
    }

    @Test
    void aKernelWithoutTscControlCannotHonourTheOption(@TempDir Path dir) throws Exception {
        int status = run("run", "--kernel", image(dir), "--tsc-khz", "2000000", "--host", "2.6.26", "--userspace", "2.6.26");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString()
                .contains("--tsc-khz needs a kernel with KVM_CAP_TSC_CONTROL");
    }
}
