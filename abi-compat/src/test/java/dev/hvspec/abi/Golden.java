package dev.hvspec.abi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Golden files under {@code abi-compat/src/test/resources/golden/}. A test compares generated
 * lines with the stored ones; with {@code -Dhvspec.abi.update-golden=true} it rewrites the file
 * instead (review the diff, and let the gcc probe confirm the new facts, before committing).
 */
final class Golden {
    static final Path DIR = Path.of("src", "test", "resources", "golden");
    static final String UPDATE_PROPERTY = "hvspec.abi.update-golden";

    private Golden() {
    }

    static List<String> read(String name) {
        try {
            return Files.readAllLines(DIR.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("golden file " + DIR.resolve(name) + " unreadable; "
                    + howToRegenerate(name), e);
        }
    }

    static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    static void write(String name, List<String> lines) {
        try {
            Files.createDirectories(DIR.resolve(name).getParent());
            Files.write(DIR.resolve(name), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String howToRegenerate(String name) {
        return "to accept the new facts, regenerate with: ./mvnw -B -ntp -pl reference-vmm,abi-compat -am verify -D"
                + UPDATE_PROPERTY + "=true (rewrites abi-compat/src/test/resources/golden/" + name
                + "), review the diff and commit it";
    }
}
