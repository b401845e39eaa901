package dev.sark.loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Tells whether a directory lies on a file system mounted {@code noexec}, from {@code /proc/self/mountinfo}.
 *
 * <p>Hardened hosts mount {@code /tmp} noexec; a library extracted there cannot be mapped executable and
 * {@code System.load} fails with a message that does not mention the mount. Knowing up front lets the
 * loader skip such a directory and tell the user which property to set.
 */
final class MountInfo {

    private static final Path MOUNTINFO = Paths.get("/proc/self/mountinfo");

    private MountInfo() {
    }

    /** Whether {@code dir} (or, if it does not exist yet, its nearest existing ancestor) is on a noexec mount; empty when unknown. */
    static Optional<Boolean> isNoexec(Path dir) {
        if (!Files.isReadable(MOUNTINFO)) {
            return Optional.empty(); // not Linux, or /proc hidden: the load error check still applies
        }
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return Optional.empty();
            }
            return isNoexec(Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8), existing.toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds the mount whose mount point is the longest prefix of {@code realDir} (the last such line wins,
     * as later mounts stack on top of earlier ones) and reports whether its per-mount options contain noexec.
     *
     * <p>Line format (proc(5)): {@code ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS}.
     */
    static Optional<Boolean> isNoexec(List<String> mountinfoLines, Path realDir) {
        int bestLength = -1;
        Boolean best = null;
        for (String line : mountinfoLines) {
            String[] f = line.trim().split(" ");
            if (f.length < 6) {
                continue;
            }
            Path mountPoint;
            try {
                mountPoint = Paths.get(unescape(f[4]));
            } catch (RuntimeException e) {
                continue; // a mount point this file system cannot name cannot contain realDir either
            }
            if (realDir.startsWith(mountPoint) && mountPoint.getNameCount() >= bestLength) {
                bestLength = mountPoint.getNameCount();
                best = Arrays.asList(f[5].split(",")).contains("noexec");
            }
        }
        return Optional.ofNullable(best);
    }

    /** The kernel escapes space, tab, newline and backslash in paths as three-digit octal ({@code \040}). */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && isOctal(s, i + 1)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
