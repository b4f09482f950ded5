package dev.hvspec.spec.conform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clause matrix of a report directory: for every clause tag, the scenarios that check it and
 * their result on every target run into the directory. Written as {@code REPORT/clauses.html}
 * (linked from index.html) and {@code REPORT/clauses.tsv} (clause, area, feature, scenario, then
 * one status column per target; "-" where the target did not run the scenario).
 */
final class ClauseMatrix {
    static final String HTML = "clauses.html";
    static final String TSV = "clauses.tsv";

    private ClauseMatrix() {
    }

    /** clause → "area/feature: scenario" → target → status. */
    static Map<String, Map<String, Map<String, ScenarioResult.Status>>> rows(Map<String, ConformSummary> targets) {
        Map<String, Map<String, Map<String, ScenarioResult.Status>>> rows = new TreeMap<>();
        targets.forEach((target, summary) -> {
            for (ScenarioResult r : summary.results()) {
                for (String clause : r.clauseTags()) {
                    rows.computeIfAbsent(clause, c -> new TreeMap<>())
                            .computeIfAbsent(r.area() + "\t" + r.feature() + "\t" + r.name(), s -> new TreeMap<>())
                            .put(target, r.status());
                }
            }
        });
        return rows;
    }

    static void write(Path report, Map<String, ConformSummary> targets) throws IOException {
        var rows = rows(targets);
        List<String> columns = new ArrayList<>(targets.keySet());
        List<String> tsv = new ArrayList<>();
        tsv.add("clause\tarea\tfeature\tscenario\t" + String.join("\t", columns));
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>hvspec clause matrix</title><style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#eee}")
                .append(".PASSED{color:#060}.FAILED{color:#a00;font-weight:bold}.DIVERGENT{color:#a60}.SKIPPED{color:#666}")
                .append("</style></head><body>\n<h1>hvspec clause matrix</h1>\n")
                .append("<p>Every clause tag, the scenarios that check it, and their result per target. ")
                .append("<a href=\"index.html\">Overview</a>, <a href=\"clauses.tsv\">TSV</a>.</p>\n")
                .append("<table><tr><th>clause</th><th>scenario</th>");
        for (String c : columns) {
            html.append("<th>").append(esc(c)).append("</th>");
        }
        html.append("</tr>\n");
        rows.forEach((clause, scenarios) -> {
            boolean first = true;
            for (var e : scenarios.entrySet()) {
                String[] s = e.getKey().split("\t", 3);
                StringBuilder line = new StringBuilder(clause + "\t" + e.getKey());
                html.append("<tr>");
                if (first) {
                    html.append("<td rowspan=\"").append(scenarios.size()).append("\">").append(esc(clause)).append("</td>");
                    first = false;
                }
                html.append("<td>").append(esc(s[0] + "/" + s[1] + ": " + s[2])).append("</td>");
                for (String c : columns) {
                    ScenarioResult.Status status = e.getValue().get(c);
                    line.append('\t').append(status == null ? "-" : status.name());
                    html.append("<td class=\"").append(status == null ? "" : status.name()).append("\">")
                            .append(status == null ? "–" : status.name().toLowerCase()).append("</td>");
                }
                html.append("</tr>\n");
                tsv.add(line.toString());
            }
        });
        html.append("</table></body></html>\n");
        Files.writeString(report.resolve(HTML), html, StandardCharsets.UTF_8);
        Files.write(report.resolve(TSV), tsv, StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
