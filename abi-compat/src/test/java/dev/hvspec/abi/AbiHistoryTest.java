package dev.hvspec.abi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-release golden facts ({@code golden/history/RELEASE.txt}) match {@link AbiHistory}. */
class AbiHistoryTest {
    static final List<String> RELEASES = AbiHistory.RELEASES;

    @ParameterizedTest
    @FieldSource("RELEASES")
    void theHistoryFileMatchesTheTranscribedLayouts(String release) {
        String file = "history/" + release + ".txt";
        List<String> facts = AbiHistory.facts(release);
        if (Golden.updating()) {
            Golden.write(file, facts);
        }
        assertThat(facts).as("facts of %s differ from golden/%s; %s", release, file, Golden.howToRegenerate(file))
                .isEqualTo(Golden.read(file));
    }
}
