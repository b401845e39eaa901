package dev.sark.crossbuild;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table printed at the end of a cross-build: target, classifier, tool, seconds, size, what the library
 * needs of the platform (glibc, musl, macOS, Windows or FreeBSD release), status.
 */
public final class BuildSummary {
    private BuildSummary() {
    }

    public static List<String> render(List<TargetResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "CLASSIFIER", "TOOL", "SECONDS", "SIZE", "NEEDS", "STATUS"});
        for (TargetResult r : results) {
            String status = r.status().name().replace('_', '-').toLowerCase(Locale.ROOT);
            if (!r.status().producedJar() && r.target().optional()) {
                status += " (optional)";
            }
            rows.add(new String[] {r.target().triple(), r.target().classifier(), r.tool(),
                String.format(Locale.ROOT, "%.1f", r.seconds()), size(r), r.requirement(), status});
        }
        return Table.render(rows);
    }

    /** Human-readable size of the packaged library, e.g. {@code 812.4 KiB}. */
    static String size(TargetResult r) {
        if (r.library() == null) {
            return "-";
        }
        try {
            long bytes = Files.size(r.library());
            return bytes >= 1024 * 1024
                    ? String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024))
                    : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        } catch (IOException e) {
            return "?";
        }
    }
}
