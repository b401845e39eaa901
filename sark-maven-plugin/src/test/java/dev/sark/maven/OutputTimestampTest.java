package dev.sark.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputTimestampTest {

    @Test
    void readsIsoDatesAndEpochSecondsLikeMavenArchiver() {
        assertEquals(Optional.of(Instant.parse("2026-01-02T03:04:05Z")), OutputTimestamp.parse("2026-01-02T03:04:05Z"));
        assertEquals(Optional.of(Instant.parse("2026-01-02T02:04:05Z")), OutputTimestamp.parse("2026-01-02T03:04:05+01:00"));
        assertEquals(Optional.of(Instant.ofEpochSecond(1767225600)), OutputTimestamp.parse("1767225600"));
    }

    @Test
    void unsetOrOneCharacterMeansNone() {
        assertEquals(Optional.empty(), OutputTimestamp.parse(null));
        assertEquals(Optional.empty(), OutputTimestamp.parse("a"));
    }

    @Test
    void anythingElseIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> OutputTimestamp.parse("yesterday"));
    }
}
