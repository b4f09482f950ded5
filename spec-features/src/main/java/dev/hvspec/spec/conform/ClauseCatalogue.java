package dev.hvspec.spec.conform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The clause labels a document defines, so the clause matrix can show which of them no scenario
 * checks yet. Only the virtio 1.3 specification has such a list: {@code clauses/virtio-1.3-normative.tsv}
 * (a copy of {@code shared/spec/virtio-1.3-normative.tsv}: every driver- and device-normative
 * section, its tag, kind and section path). The other documents' tags are open-ended section numbers.
 */
public record ClauseCatalogue(String document, List<Clause> clauses) {
    public static final String VIRTIO_RESOURCE = "clauses/virtio-1.3-normative.tsv";

    /** One normative section: its tag (with '@'), "driver" or "device", and its section path. */
    public record Clause(String tag, String kind, String section) {
    }

    public ClauseCatalogue {
        clauses = List.copyOf(clauses);
    }

    /** The virtio 1.3 normative sections, read from the class path. */
    public static ClauseCatalogue virtio() {
        try (InputStream in = ClauseCatalogue.class.getClassLoader().getResourceAsStream(VIRTIO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + VIRTIO_RESOURCE);
            }
            return parse("virtio 1.3", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the TSV: a header line, then tag, kind, section path and counts per line. */
    static ClauseCatalogue parse(String document, String tsv) {
        List<Clause> clauses = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(tsv))) {
            String line = r.readLine(); // header
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                if (f.length >= 3 && f[0].startsWith("@")) {
                    clauses.add(new Clause(f[0], f[1], f[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ClauseCatalogue(document, clauses);
    }

    /** The catalogued clauses that are not among {@code covered} (tags with '@'), in catalogue order. */
    public List<Clause> remaining(java.util.Set<String> covered) {
        return clauses.stream().filter(c -> !covered.contains(c.tag())).toList();
    }

    public boolean contains(String tag) {
        return clauses.stream().anyMatch(c -> c.tag().equals(tag));
    }
}
