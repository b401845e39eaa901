package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/troubleshooting.md and {@link Suggestions} are one body of knowledge: every recognised failure is documented. */
class TroubleshootingDocTest {

    @Test
    void everyRecognisedFailureIsInTheTroubleshootingGuide() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "troubleshooting.md")).toLowerCase(Locale.ROOT);
        for (String pattern : Suggestions.knownPatterns()) {
            assertTrue(doc.contains(pattern.toLowerCase(Locale.ROOT)),
                    "docs/troubleshooting.md does not mention '" + pattern + "', which Suggestions recognises");
        }
    }
}
