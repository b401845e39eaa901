package dev.sark.opa.conformance;

import dev.sark.opa.conformance.ConformanceCase.CaseKey;
import dev.sark.opa.conformance.Outcome.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The results of a run: a Markdown summary per directory (passed, failed, skipped, why) for the docs,
 * and one line per case in a TSV ({@code path, note, status, reason, detail}) for tooling.
 */
final class ConformanceReport {
    private final List<ConformanceCase> cases;
    private final Map<CaseKey, Outcome> outcomes;

    ConformanceReport(List<ConformanceCase> cases, Map<CaseKey, Outcome> outcomes) {
        this.cases = cases;
        this.outcomes = outcomes;
    }

    /** Passed, failed and skipped counts of a group of cases. */
    record Tally(int passed, int failed, int skipped) {
        Tally add(Status status) {
            return switch (status) {
                case PASSED -> new Tally(passed + 1, failed, skipped);
                case FAILED -> new Tally(passed, failed + 1, skipped);
                case SKIPPED -> new Tally(passed, failed, skipped + 1);
            };
        }

        /** Passed of the cases that ran (skipped ones left out). */
        String rate() {
            int ran = passed + failed;
            return ran == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * passed / ran);
        }
    }

    Tally total() {
        return tally(c -> "all").getOrDefault("all", new Tally(0, 0, 0));
    }

    Map<String, Tally> byTree() {
        return tally(ConformanceCase::tree);
    }

    Map<String, Tally> byDirectory() {
        return tally(ConformanceCase::dir);
    }

    private Map<String, Tally> tally(Function<ConformanceCase, String> group) {
        Map<String, Tally> out = new TreeMap<>();
        for (ConformanceCase c : cases) {
            out.merge(group.apply(c), new Tally(0, 0, 0).add(outcomes.get(c.key()).status()),
                    (a, b) -> new Tally(a.passed + b.passed, a.failed + b.failed, a.skipped + b.skipped));
        }
        return out;
    }

    /** One line: "OPA v1.22.4 conformance: 3200 of 4400 cases passed (72.7%), 1200 failed, 20 skipped". */
    String summaryLine() {
        Tally t = total();
        return "OPA " + OpaTestdata.VERSION + " conformance of sark-opa: " + t.passed + " of " + (t.passed + t.failed)
                + " cases passed (" + t.rate() + "), " + t.failed + " failed, " + t.skipped + " skipped";
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# OPA conformance of sark-opa\n\n")
                .append("OPA ").append(OpaTestdata.VERSION).append(" `v1/test/cases/testdata` (").append(cases.size())
                .append(" cases), each query run verbatim through `PolicyEngine.query` on a fresh engine of the tree's Rego ")
                .append("version (`v0/` -> V0, `v1/` -> V1) with the case's `strict_error`. Results compared as OPA's own ")
                .append("runner compares them (set of binding maps, numbers by value, `sort_bindings`); an expected error ")
                .append("passes when the engine throws for the expected reason (see `ErrorRule`). Rate = passed / (passed + failed).\n\n");
        md.append("**").append(summaryLine()).append("**\n\n");
        md.append("| tree | passed | failed | skipped | rate |\n|---|---:|---:|---:|---:|\n");
        byTree().forEach((tree, t) -> md.append("| ").append(tree).append(" | ").append(t.passed).append(" | ")
                .append(t.failed).append(" | ").append(t.skipped).append(" | ").append(t.rate()).append(" |\n"));

        md.append("\n## Failure reasons\n\n| reason | cases |\n|---|---:|\n");
        countReasons(Status.FAILED, cases).forEach((reason, n) ->
                md.append("| ").append(escape(reason)).append(" | ").append(n).append(" |\n"));

        md.append("\n## Per directory\n\n| directory | passed | failed | skipped | rate | why (failures) |\n")
                .append("|---|---:|---:|---:|---:|---|\n");
        Map<String, List<ConformanceCase>> byDir = cases.stream()
                .collect(Collectors.groupingBy(ConformanceCase::dir, TreeMap::new, Collectors.toList()));
        Map<String, Tally> tallies = byDirectory();
        byDir.forEach((dir, dirCases) -> {
            Tally t = tallies.get(dir);
            String why = countReasons(Status.FAILED, dirCases).entrySet().stream()
                    .map(e -> escape(e.getKey()) + (e.getValue() > 1 ? " x" + e.getValue() : ""))
                    .collect(Collectors.joining("; "));
            md.append("| ").append(dir).append(" | ").append(t.passed).append(" | ").append(t.failed).append(" | ")
                    .append(t.skipped).append(" | ").append(t.rate()).append(" | ").append(why).append(" |\n");
        });

        md.append("\n## Skipped cases\n\n");
        boolean anySkipped = false;
        for (ConformanceCase c : cases) {
            Outcome o = outcomes.get(c.key());
            if (o.status() == Status.SKIPPED) {
                anySkipped = true;
                md.append("- `").append(c.file()).append("` ").append(escape(c.note())).append(": ")
                        .append(escape(o.reason())).append(o.detail().isEmpty() ? "" : " (" + escape(o.detail()) + ")").append('\n');
            }
        }
        if (!anySkipped) {
            md.append("None.\n");
        }

        md.append("\n## Failing cases\n");
        byDir.forEach((dir, dirCases) -> {
            List<ConformanceCase> failing = dirCases.stream()
                    .filter(c -> outcomes.get(c.key()).status() == Status.FAILED).toList();
            if (failing.isEmpty()) {
                return;
            }
            md.append("\n### ").append(dir).append("\n\n");
            for (ConformanceCase c : failing) {
                Outcome o = outcomes.get(c.key());
                md.append("- ").append(escape(c.note())).append(" — **").append(escape(o.reason())).append("**")
                        .append(o.detail().isEmpty() ? "" : ": " + escape(o.detail())).append('\n');
            }
        });
        return md.toString();
    }

    String tsv() {
        StringBuilder out = new StringBuilder("path\tnote\tstatus\treason\tdetail\n");
        for (ConformanceCase c : cases) {
            Outcome o = outcomes.get(c.key());
            out.append(c.file()).append('\t').append(c.note()).append('\t').append(o.status()).append('\t')
                    .append(o.reason()).append('\t').append(o.detail().replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        return out.toString();
    }

    void write(Path markdown, Path tsv) throws IOException {
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
        Files.writeString(tsv, tsv(), StandardCharsets.UTF_8);
    }

    private Map<String, Integer> countReasons(Status status, List<ConformanceCase> group) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConformanceCase c : group) {
            Outcome o = outcomes.get(c.key());
            if (o.status() == status) {
                counts.merge(o.reason(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
