package dev.sark.crossbuild.check;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The newest glibc a linux-gnu library may need, e.g. 2.17: parsed once from the pom's {@code <glibcFloor>},
 * then used as cargo-zigbuild's target suffix ({@link #toString()}) and by the check of the built library
 * ({@link #admits}).
 */
public record GlibcFloor(int major, int minor) {
    private static final Pattern FORM = Pattern.compile("(2)\\.(\\d{1,3})");

    /**
     * @throws IllegalArgumentException when {@code text} is not a glibc version such as 2.17
     */
    public static GlibcFloor parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a glibc version such as 2.17 or 2.28");
        }
        return new GlibcFloor(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether a library that needs glibc {@code version} ({@code 2.34}, {@code 2.3.4}) loads on this floor. */
    public boolean admits(String version) {
        return ElfFacts.compareVersions(version, toString()) <= 0;
    }

    /** {@code 2.17}, as cargo-zigbuild's suffix and the pom write it. */
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
