package dev.sark.maven;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads Maven's {@code project.build.outputTimestamp} the way maven-archiver does. */
final class OutputTimestamp {

    private OutputTimestamp() {
    }

    /**
     * Empty when unset, or a single character (Maven's convention for "not set", as when a parent sets it and a
     * child turns it off); seconds since the epoch when all digits; else an ISO 8601 date with an offset.
     *
     * @throws IllegalArgumentException when it is none of these
     */
    static Optional<Instant> parse(String value) {
        if (value == null || value.trim().length() < 2) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(v)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
