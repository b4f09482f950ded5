package dev.hvspec.spec.target;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command templates are split like a POSIX shell splits a simple command, then filled in. */
class CommandTargetTest {
    @Test
    void wordsQuotesAndEscapes() {
        assertThat(CommandTarget.split("myvmm --kernel {image}  --serial stdio"))
                .containsExactly("myvmm", "--kernel", "{image}", "--serial", "stdio");
        assertThat(CommandTarget.split("vmm 'a b' \"c \\\"d\\\"\" e\\ f ''"))
                .containsExactly("vmm", "a b", "c \"d\"", "e f", "");
        assertThatThrownBy(() -> CommandTarget.split("vmm 'open")).hasMessageContaining("unterminated");
    }

    @Test
    void placeholdersAreSubstituted() throws Exception {
        CommandTarget t = new CommandTarget("sh -c 'echo {memory} {cpus}' {image}");
        List<String> cmd = t.command(new GuestLaunch("x", Path.of("/tmp/x.elf"), new byte[0], 128, 2, Duration.ofSeconds(5)));
        assertThat(cmd).containsExactly("sh", "-c", "echo 128 2", "/tmp/x.elf");
    }

    @Test
    void theCpuPlaceholderNamesTheModelWithTheFixturesFeatures() throws Exception {
        CommandTarget t = new CommandTarget("sh -c 'echo {cpus}' -cpu {cpu} {image}");
        List<String> plain = t.command(new GuestLaunch("x", Path.of("/tmp/x.elf"), new byte[0], 128, 1, Duration.ofSeconds(5)));
        assertThat(plain).containsExactly("sh", "-c", "echo 1", "-cpu", "qemu64", "/tmp/x.elf");
        List<String> la57 = t.command(new GuestLaunch("x", Path.of("/tmp/x.elf"), new byte[0], 128, 1, Duration.ofSeconds(5),
                dev.hvspec.fixtures.GuestDevices.NONE, null, List.of("la57")));
        assertThat(la57).containsExactly("sh", "-c", "echo 1", "-cpu", "qemu64,la57=on", "/tmp/x.elf");
    }

    @Test
    void aMissingBinaryMakesTheTargetUnavailable() {
        CommandTarget t = new CommandTarget("no-such-vmm-binary {image}");
        assertThatThrownBy(() -> t.command(new GuestLaunch("x", Path.of("x"), new byte[0], 128, 1, Duration.ofSeconds(1))))
                .isInstanceOf(TargetUnavailableException.class).hasMessageContaining("not found on PATH");
    }

    @Test
    void aRunPastItsLimitIsKilledAndReportedAs124() throws Exception {
        CommandTarget t = new CommandTarget("sh -c 'sleep 30' {image}");
        GuestRun run = t.run(new GuestLaunch("x", Path.of("x"), new byte[0], 128, 1, Duration.ofMillis(300)));
        assertThat(run.exitStatus()).isEqualTo(124);
        assertThat(run.timedOut()).isTrue();
    }
}
