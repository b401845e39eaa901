package dev.sark.opa.conformance;

import dev.sark.opa.conformance.ConformanceCase.CaseKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The committed list of cases known to fail, one a line: {@code path<TAB>note<TAB>reason}, where path
 * is the case file under OPA's {@code testdata} and reason a short category. Lines starting with
 * {@code #} and blank lines are comments.
 */
final class Baseline {
    static final String RESOURCE = "/opa-conformance-baseline.txt";

    private Baseline() {}

    /** The known failures and their reasons; empty when the resource does not exist. */
    static SortedMap<CaseKey, String> read() throws IOException {
        try (InputStream in = Baseline.class.getResourceAsStream(RESOURCE)) {
            return in == null ? new TreeMap<>() : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static SortedMap<CaseKey, String> parse(String text) {
        SortedMap<CaseKey, String> known = new TreeMap<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 3) {
                throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": expected path<TAB>note<TAB>reason: " + line);
            }
            if (known.put(new CaseKey(fields[0], fields[1]), fields[2]) != null) {
                throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": listed twice: " + line);
            }
        }
        return known;
    }

    static String format(Map<CaseKey, String> failures, int total) {
        StringBuilder out = new StringBuilder();
        out.append("# OPA conformance baseline of sark-opa: the cases of OPA ").append(OpaTestdata.VERSION)
                .append(" test/cases/testdata that are known to fail\n")
                .append("# (").append(failures.size()).append(" of ").append(total).append(" cases).")
                .append(" OpaConformanceTest fails when a case not listed here fails, and when a listed one passes.\n")
                .append("# Format: path under testdata<TAB>case note<TAB>reason. Generated; to regenerate:\n")
                .append("#   mvn -pl sark-opa-native -am test -Dtest=OpaConformanceTest -Dsurefire.failIfNoSpecifiedTests=false -Dsark.opa.conformance.updateBaseline=true\n");
        failures.forEach((key, reason) -> out.append(key.file()).append('\t').append(key.note()).append('\t')
                .append(reason).append('\n'));
        return out.toString();
    }

    /** The source file of the baseline in this module, for regenerating it. */
    static Path sourceFile() {
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(basedir, "src", "test", "resources", RESOURCE.substring(1));
    }

    static void write(Map<CaseKey, String> failures, int total) throws IOException {
        Files.writeString(sourceFile(), format(failures, total), StandardCharsets.UTF_8);
    }

    /** How a run compares with the baseline. */
    record Comparison(List<CaseKey> newFailures, List<CaseKey> nowPassing, List<CaseKey> notFailingAnyMore,
                      List<CaseKey> unknown, Map<CaseKey, String[]> reasonChanged) {
        boolean clean() {
            return newFailures.isEmpty() && nowPassing.isEmpty() && notFailingAnyMore.isEmpty() && unknown.isEmpty();
        }
    }

    /**
     * @param outcomes every case's outcome
     * @return new failures; listed cases that pass; listed cases now skipped; listed cases that no longer
     *     exist; and listed failures whose reason changed (reported, not failing)
     */
    static Comparison compare(Map<CaseKey, String> known, Map<CaseKey, Outcome> outcomes) {
        List<CaseKey> newFailures = new ArrayList<>();
        List<CaseKey> nowPassing = new ArrayList<>();
        List<CaseKey> skipped = new ArrayList<>();
        Map<CaseKey, String[]> changed = new TreeMap<>();
        outcomes.forEach((key, outcome) -> {
            String knownReason = known.get(key);
            switch (outcome.status()) {
                case FAILED -> {
                    if (knownReason == null) {
                        newFailures.add(key);
                    } else if (!knownReason.equals(outcome.reason())) {
                        changed.put(key, new String[] {knownReason, outcome.reason()});
                    }
                }
                case PASSED -> {
                    if (knownReason != null) {
                        nowPassing.add(key);
                    }
                }
                case SKIPPED -> {
                    if (knownReason != null) {
                        skipped.add(key);
                    }
                }
            }
        });
        List<CaseKey> unknown = known.keySet().stream().filter(k -> !outcomes.containsKey(k)).toList();
        return new Comparison(newFailures, nowPassing, skipped, unknown, changed);
    }
}
