package dev.hvspec.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hvspec abi matrix} through the CLI: the table, one line per cell, exit 0 when stable. */
class AbiMatrixCommandTest {
    @Test
    void printsTheTableAndEveryCell() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Hvspec.execute(new String[] {"abi", "matrix"}, new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        assertThat(status).as(text + err).isZero();
        assertThat(text).startsWith("userspace\\kernel  2.6.22  2.6.23  2.6.24  2.6.25  2.6.26  6.1");
        assertThat(text.lines().filter(l -> l.startsWith("user ")).count()).isEqualTo(36);
        // api.rst §4.6: the 2.6.22 VMM needs KVM_SET_MEMORY_REGION, which 6.1 no longer has.
        assertThat(text).contains("user 2.6.22 kernel 6.1    break");
        assertThat(text).contains("user 6.1    kernel 6.1    ok    user-mem,cpuid2,irqchip,pit2,gsi-routing,kvmclock");
    }
}
