package dev.sark.opa.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sark.opa.RegoVersion;
import java.util.List;

/**
 * One case of OPA's {@code test/cases/testdata}, with the fields of OPA's {@code cases.TestCase} that
 * the runner reads.
 *
 * @param file        path under {@code testdata}, e.g. {@code v0/aggregates/test-aggregates-0001.yaml}
 * @param note        the case's note; a note repeated within a file gets {@code " #2"}, {@code " #3"}...
 * @param version     V0 for the {@code v0/} tree, V1 for {@code v1/} (as OPA's TestRego)
 * @param data        the data document, or null
 * @param input       the parsed input, or null
 * @param inputTerm   Rego term text for the input (overrides {@code input}), or null
 * @param wantResult  the expected binding maps (each a JSON object), or null when the case expects an error
 */
record ConformanceCase(String file, String note, RegoVersion version, String query, List<String> modules,
                       JsonNode data, JsonNode input, String inputTerm, List<JsonNode> wantResult,
                       String wantError, String wantErrorCode, boolean sortBindings, boolean strictError,
                       boolean ignoreGeneratedVars) {

    /** The directory the case is reported under, e.g. {@code v0/aggregates}. */
    String dir() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    /** The Rego version tree, {@code v0} or {@code v1}. */
    String tree() {
        int slash = file.indexOf('/');
        return slash < 0 ? file : file.substring(0, slash);
    }

    /** The baseline key: file and note. */
    CaseKey key() {
        return new CaseKey(file, note);
    }

    boolean expectsError() {
        return wantError != null || wantErrorCode != null;
    }

    @Override
    public String toString() {
        return file + ": " + note;
    }

    /** Identifies a case across runs. */
    record CaseKey(String file, String note) implements Comparable<CaseKey> {
        @Override
        public int compareTo(CaseKey o) {
            int c = file.compareTo(o.file);
            return c != 0 ? c : note.compareTo(o.note);
        }

        @Override
        public String toString() {
            return file + " | " + note;
        }
    }
}
