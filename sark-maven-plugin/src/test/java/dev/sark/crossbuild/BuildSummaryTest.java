package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildSummaryTest {
    private static final String[] COLUMNS = {"TARGET", "CLASSIFIER", "TOOL", "SECONDS", "SIZE", "NEEDS", "STATUS"};

    @TempDir
    Path tmp;

    private List<TargetResult> results() throws IOException {
        Path small = Files.write(tmp.resolve("libsmall.so"), new byte[2048]);
        Path big = Files.write(tmp.resolve("libbig.so"), new byte[3 * 1024 * 1024]);
        return List.of(
                TargetResult.packaged(TargetSpec.builder("x86_64-unknown-linux-gnu").build(), false, "cargo", 12.34,
                        small, tmp.resolve("a.jar"), "glibc 2.17"),
                TargetResult.packaged(TargetSpec.builder("aarch64-unknown-linux-gnu").rustupToolchain("debian")
                        .optional(true).build(), true, "cargo +debian", 0, big, tmp.resolve("b.jar"), "glibc 2.34"),
                TargetResult.failed(TargetSpec.builder("x86_64-unknown-linux-musl").optional(true).build(),
                        "cargo", 3.0, "boom", List.of()),
                TargetResult.unavailable(TargetSpec.builder("armv7-unknown-linux-gnueabihf").build(), "no linker"));
    }

    /** The cells of a row, cut at the header's column starts. */
    private static String[] cells(String header, String row) {
        String[] cells = new String[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++) {
            int start = header.indexOf(COLUMNS[i]);
            int end = i + 1 < COLUMNS.length ? header.indexOf(COLUMNS[i + 1]) : Integer.MAX_VALUE;
            cells[i] = row.substring(Math.min(start, row.length()), Math.min(end, row.length())).trim();
        }
        return cells;
    }

    @Test
    void headerAndOneAlignedRowPerResult() throws IOException {
        List<String> lines = BuildSummary.render(results());

        assertEquals(5, lines.size(), lines.toString());
        String header = lines.get(0);
        assertTrue(header.matches("TARGET +CLASSIFIER +TOOL +SECONDS +SIZE +NEEDS +STATUS"), header);
        assertEquals(List.of("x86_64-unknown-linux-gnu", "linux-x86_64", "cargo", "12.3", "2.0 KiB", "glibc 2.17", "built"),
                List.of(cells(header, lines.get(1))));
        assertEquals(List.of("aarch64-unknown-linux-gnu", "linux-aarch_64", "cargo +debian", "0.0", "3.00 MiB",
                "glibc 2.34", "up-to-date"), List.of(cells(header, lines.get(2))));
        assertEquals(List.of("x86_64-unknown-linux-musl", "linux-x86_64-musl", "cargo", "3.0", "-", "-", "failed (optional)"),
                List.of(cells(header, lines.get(3))));
        assertEquals(List.of("armv7-unknown-linux-gnueabihf", "linux-arm_32", "-", "0.0", "-", "-", "unavailable"),
                List.of(cells(header, lines.get(4))));
        for (String line : lines) {
            assertEquals(line.stripTrailing(), line, "no trailing blanks");
        }
        // every column starts where its header does: the cell before it ends with at least two blanks
        for (String line : lines.subList(1, lines.size())) {
            for (int i = 1; i < COLUMNS.length; i++) {
                int start = header.indexOf(COLUMNS[i]);
                assertEquals("  ", line.substring(start - 2, start), "column " + COLUMNS[i] + " in: " + line);
                assertTrue(line.charAt(start) != ' ', "column " + COLUMNS[i] + " starts at the header: " + line);
            }
        }
    }

    @Test
    void optionalMarkerOnlyForOptionalTargetsThatProducedNothing() throws IOException {
        List<String> lines = BuildSummary.render(results());
        assertFalse(lines.get(2).contains("(optional)"), "an optional target that built needs no marker: " + lines.get(2));
        assertTrue(lines.get(3).endsWith("failed (optional)"), lines.get(3));
        assertFalse(lines.get(4).contains("(optional)"), lines.get(4));
    }

    @Test
    void emptyResultsGiveTheHeaderOnly() {
        List<String> lines = BuildSummary.render(List.of());
        assertEquals(1, lines.size());
        assertEquals("TARGET  CLASSIFIER  TOOL  SECONDS  SIZE  NEEDS  STATUS", lines.get(0));
    }

    @Test
    void sizeOfAVanishedLibraryIsAQuestionMark() {
        TargetResult r = TargetResult.packaged(TargetSpec.builder("x86_64-unknown-linux-gnu").build(), false, "cargo",
                1, tmp.resolve("gone.so"), tmp.resolve("a.jar"), "glibc 2.17");
        assertEquals("?", BuildSummary.size(r));
    }
}
