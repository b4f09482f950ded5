package dev.hvspec.spec.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest's serial output read as TAP version 14 (testanything.org/tap-version-14-specification):
 * the version line, the plan {@code 1..N}, test points {@code ok N - description} /
 * {@code not ok N - description} each optionally followed by an indented YAML block
 * ({@code ---} … {@code ...}), and {@code Bail out!} lines. Anything else is kept as other output.
 */
public record TapOutput(boolean version14, int plan, List<TestPoint> tests, List<String> bailOuts,
                        List<String> lines) {
    /** One test point; {@code yaml} holds its diagnostic block without the markers. */
    public record TestPoint(boolean ok, int number, String description, List<String> yaml) {
        /** The line as the guest printed it. */
        public String line() {
            return (ok ? "ok " : "not ok ") + number + (description.isEmpty() ? "" : " - " + description);
        }
    }

    private static final Pattern PLAN = Pattern.compile("^1\\.\\.(\\d+)(\\s+#.*)?$");
    private static final Pattern TEST = Pattern.compile("^(not )?ok\\b\\s*(\\d+)?(?:\\s*-\\s*)?(.*)$");

    public static TapOutput parse(String text) {
        boolean version = false;
        int plan = -1;
        List<TestPoint> tests = new ArrayList<>();
        List<String> bailOuts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<String> yaml = null;
        for (String line : text.replace("\r", "").split("\n", -1)) {
            if (yaml != null) {
                if (line.strip().equals("...")) {
                    yaml = null;
                } else {
                    yaml.add(line);
                }
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            lines.add(line);
            Matcher m;
            if (line.equals("TAP version 14")) {
                version = true;
            } else if ((m = PLAN.matcher(line)).matches()) {
                plan = Integer.parseInt(m.group(1));
            } else if (line.startsWith("Bail out!")) {
                bailOuts.add(line);
            } else if (line.strip().equals("---") && !tests.isEmpty()) {
                yaml = new ArrayList<>();
                TestPoint last = tests.removeLast();
                tests.add(new TestPoint(last.ok(), last.number(), last.description(), yaml));
            } else if ((m = TEST.matcher(line)).matches()) {
                int number = m.group(2) == null ? tests.size() + 1 : Integer.parseInt(m.group(2));
                tests.add(new TestPoint(m.group(1) == null, number, m.group(3).strip(), List.of()));
            }
        }
        return new TapOutput(version, plan, List.copyOf(tests), List.copyOf(bailOuts), List.copyOf(lines));
    }

    /**
     * Why this output is not the expected passing output ({@code expected}: version, plan and
     * {@code ok} lines, as the fixture's manifest lists them), or null when it is.
     */
    public String differenceFrom(List<String> expected) {
        if (!bailOuts.isEmpty()) {
            return bailOuts.getFirst() + failedDetail();
        }
        for (TestPoint t : tests) {
            if (!t.ok()) {
                return t.line() + (t.yaml().isEmpty() ? "" : "\n" + String.join("\n", t.yaml()));
            }
        }
        if (!version14) {
            return "no \"TAP version 14\" line in the serial output";
        }
        if (!lines.equals(expected)) {
            for (int i = 0; i < Math.max(lines.size(), expected.size()); i++) {
                String got = i < lines.size() ? lines.get(i) : "(end of output)";
                String want = i < expected.size() ? expected.get(i) : "(end of output)";
                if (!got.equals(want)) {
                    return "line " + (i + 1) + ": expected \"" + want + "\" but the guest printed \"" + got + "\"";
                }
            }
        }
        return null;
    }

    private String failedDetail() {
        for (TestPoint t : tests) {
            if (!t.ok()) {
                return "\n" + t.line() + (t.yaml().isEmpty() ? "" : "\n" + String.join("\n", t.yaml()));
            }
        }
        return "";
    }
}
