package dev.hvspec.spec.guest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** TAP 14 parsing and the comparison with a fixture's expected lines (examples written from the TAP 14 text). */
class TapOutputTest {
    private static final List<String> EXPECTED = List.of("TAP version 14", "1..2", "ok 1 - a", "ok 2 - b");

    @Test
    void aPassingRunMatches() {
        TapOutput tap = TapOutput.parse("TAP version 14\n1..2\nok 1 - a\nok 2 - b\n");
        assertThat(tap.version14()).isTrue();
        assertThat(tap.plan()).isEqualTo(2);
        assertThat(tap.tests()).extracting(TapOutput.TestPoint::ok).containsExactly(true, true);
        assertThat(tap.differenceFrom(EXPECTED)).isNull();
    }

    @Test
    void aFailedTestIsReportedWithItsYamlBlock() {
        TapOutput tap = TapOutput.parse("TAP version 14\n1..2\nok 1 - a\nnot ok 2 - b\n  ---\n  message: \"x\"\n  ...\n");
        assertThat(tap.tests().get(1).yaml()).containsExactly("  message: \"x\"");
        assertThat(tap.differenceFrom(EXPECTED)).isEqualTo("not ok 2 - b\n  message: \"x\"");
    }

    @Test
    void bailOutMissingLinesAndExtraOutputAreDifferences() {
        assertThat(TapOutput.parse("TAP version 14\n1..2\nok 1 - a\nBail out! boom\n").differenceFrom(EXPECTED))
                .startsWith("Bail out! boom");
        assertThat(TapOutput.parse("TAP version 14\n1..2\nok 1 - a\n").differenceFrom(EXPECTED))
                .isEqualTo("line 4: expected \"ok 2 - b\" but the guest printed \"(end of output)\"");
        assertThat(TapOutput.parse("1..2\nok 1 - a\nok 2 - b\n").differenceFrom(EXPECTED))
                .contains("TAP version 14");
        assertThat(TapOutput.parse("TAP version 14\n1..2\nok 1 - a\nok 2 - b\nnoise\n").differenceFrom(EXPECTED))
                .contains("line 5");
        assertThat(TapOutput.parse("TAP version 14\n1..2\nok 1 - a\nok 2 - c\n").differenceFrom(EXPECTED))
                .contains("expected \"ok 2 - b\"");
    }

    @Test
    void carriageReturnsAreIgnored() {
        assertThat(TapOutput.parse("TAP version 14\r\n1..2\r\nok 1 - a\r\nok 2 - b\r\n").differenceFrom(EXPECTED)).isNull();
    }
}
