package dev.hvspec.spec.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A target's known divergences: {@code targets/TARGET.expectations} on the class path, plus the
 * file named by the system property {@value #PROPERTY} when set. One line per fixture,
 * {@code FIXTURE-NAME  reason}; {@code #} starts a comment. A scenario running a listed fixture
 * is reported as DIVERGENT when it does diverge and fails when it does not (so the file stays true).
 */
public final class Expectations {
    /** A file with more declared divergences (for {@code command:} targets). */
    public static final String PROPERTY = "hvspec.expectations";

    private final Map<String, String> reasons;

    private Expectations(Map<String, String> reasons) {
        this.reasons = Collections.unmodifiableMap(reasons);
    }

    public static Expectations forTarget(String target) {
        Map<String, String> reasons = new LinkedHashMap<>();
        try (InputStream in = Expectations.class.getClassLoader().getResourceAsStream("targets/" + target + ".expectations")) {
            if (in != null) {
                parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "targets/" + target + ".expectations", reasons);
            }
            String extra = System.getProperty(PROPERTY);
            if (extra != null && !extra.isBlank()) {
                parse(Files.readString(Path.of(extra), StandardCharsets.UTF_8), extra, reasons);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Expectations(reasons);
    }

    static Expectations parse(String text) {
        Map<String, String> reasons = new LinkedHashMap<>();
        parse(text, "text", reasons);
        return new Expectations(reasons);
    }

    private static void parse(String text, String source, Map<String, String> into) {
        int number = 0;
        for (String raw : text.split("\n")) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException(source + ":" + number + ": a declared divergence needs a reason: " + line);
            }
            into.put(parts[0], parts[1].strip());
        }
    }

    public Optional<String> reasonFor(String fixture) {
        return Optional.ofNullable(reasons.get(fixture));
    }

    public Map<String, String> all() {
        return reasons;
    }
}
