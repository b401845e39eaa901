package dev.sark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts a probe prints about the process it runs in, so a test can tell which userland really ran it (and
 * not only which one it meant to start).
 */
public final class ProcessFacts {
    /** A C library file as glibc names it: {@code libc.so.6}, or {@code libc-2.31.so} before glibc 2.34. */
    private static final Pattern C_LIBRARY = Pattern.compile("\\s(/\\S*/libc(?:\\.so\\.6|-[0-9.]+\\.so))$");

    private ProcessFacts() {
    }

    /**
     * The real path of the C library mapped into this process (from {@code /proc/self/maps}, which qemu-user
     * rewrites for its guest), or {@code "unknown"}.
     */
    public static String mappedCLibrary() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                Matcher m = C_LIBRARY.matcher(line);
                if (m.find()) {
                    return Path.of(m.group(1)).toRealPath().toString();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
        return "unknown";
    }
}
