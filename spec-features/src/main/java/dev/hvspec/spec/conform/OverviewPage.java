package dev.hvspec.spec.conform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The report's front page, {@code REPORT/index.html}: per area and per clause tag, how many
 * scenarios passed, failed, were skipped or are declared divergences, for every target that has
 * been run into the same report directory. Each target's results are kept as
 * {@code REPORT/TARGET/results.tsv} so that runs against different targets add up; the clause
 * matrix ({@link ClauseMatrix}) is rewritten alongside.
 */
public final class OverviewPage {
    static final String RESULTS_FILE = "results.tsv";

    private OverviewPage() {
    }

    public static void write(Path report, String target, ConformSummary summary) throws IOException {
        Path targetDir = report.resolve(target);
        Files.createDirectories(targetDir);
        List<String> lines = new ArrayList<>();
        for (ScenarioResult r : summary.results()) {
            lines.add(String.join("\t", clean(r.area()), clean(r.feature()), clean(r.name()),
                    r.status().name(), String.join(" ", r.tags())));
        }
        Files.write(targetDir.resolve(RESULTS_FILE), lines, StandardCharsets.UTF_8);

        Map<String, ConformSummary> targets = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(report)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path file = dir.resolve(RESULTS_FILE);
                if (Files.isRegularFile(file)) {
                    targets.put(dir.getFileName().toString(), read(file));
                }
            }
        }
        Files.writeString(report.resolve("index.html"), render(targets), StandardCharsets.UTF_8);
        ClauseMatrix.write(report, targets);
    }

    private static ConformSummary read(Path file) throws IOException {
        List<ScenarioResult> results = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                continue;
            }
            Set<String> tags = new TreeSet<>(Arrays.asList(f[4].isBlank() ? new String[0] : f[4].split(" ")));
            results.add(new ScenarioResult(f[0], f[1], f[2], tags, ScenarioResult.Status.valueOf(f[3]), ""));
        }
        return new ConformSummary(results, List.of());
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    static String render(Map<String, ConformSummary> targets) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>hvspec conformance report</title><style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}")
                .append("th,td{border:1px solid #999;padding:.25em .6em;text-align:right}th{background:#eee}")
                .append("td.name{text-align:left}.pass{color:#060}.fail{color:#a00;font-weight:bold}")
                .append(".div{color:#a60}</style></head><body>\n")
                .append("<h1>hvspec conformance report</h1>\n<p>Targets: ");
        for (String target : targets.keySet()) {
            html.append("<a href=\"").append(esc(target)).append("/cucumber.html\">").append(esc(target))
                    .append("</a> ");
        }
        html.append("</p>\n<p><a href=\"").append(ClauseMatrix.HTML)
                .append("\">Clause matrix</a>: every clause tag, its scenarios, and their result per target.</p>\n");
        table(html, "Per area", targets, true);
        table(html, "Per clause", targets, false);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void table(StringBuilder html, String title, Map<String, ConformSummary> targets, boolean byArea) {
        Set<String> rows = new TreeSet<>();
        Map<String, Map<String, ConformSummary.Counts>> perTarget = new TreeMap<>();
        for (var e : targets.entrySet()) {
            Map<String, ConformSummary.Counts> counts = byArea ? e.getValue().byArea() : e.getValue().byClause();
            perTarget.put(e.getKey(), counts);
            rows.addAll(counts.keySet());
        }
        Set<String> columns = new LinkedHashSet<>(targets.keySet());
        html.append("<h2>").append(title).append("</h2>\n<table><tr><th>").append(byArea ? "area" : "clause").append("</th>");
        for (String target : columns) {
            html.append("<th>").append(esc(target)).append("<br>pass / fail / skip / divergent</th>");
        }
        html.append("</tr>\n");
        for (String row : rows) {
            html.append("<tr><td class=\"name\">").append(esc(row)).append("</td>");
            for (String target : columns) {
                ConformSummary.Counts c = perTarget.get(target).get(row);
                if (c == null) {
                    html.append("<td>–</td>");
                } else {
                    html.append("<td><span class=\"pass\">").append(c.passed()).append("</span> / ")
                            .append(c.failed() > 0 ? "<span class=\"fail\">" + c.failed() + "</span>" : "0")
                            .append(" / ").append(c.skipped()).append(" / ")
                            .append(c.divergent() > 0 ? "<span class=\"div\">" + c.divergent() + "</span>" : "0")
                            .append("</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
