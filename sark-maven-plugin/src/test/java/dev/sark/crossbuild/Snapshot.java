package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Output a user reads (the doctor's table, the build summary, the fixes), pinned as text files under
 * src/test/snapshots, so a change to it shows in review as a diff of that file. After an intended change,
 * regenerate them: {@code mvn -pl sark-maven-plugin test -Dtest='*SnapshotTest' -Dsark.updateSnapshots=true}.
 */
final class Snapshot {
    private static final Path DIR = Path.of("src/test/snapshots");

    private Snapshot() {
    }

    static void assertMatches(String name, List<String> lines) throws IOException {
        String actual = String.join("\n", lines) + "\n";
        Path file = DIR.resolve(name + ".txt");
        if (Boolean.getBoolean("sark.updateSnapshots")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no snapshot)";
        assertEquals(expected, actual, file + " differs; if the change is intended, regenerate it with"
                + " -Dsark.updateSnapshots=true (see Snapshot)");
    }
}
