package dev.sark.crossbuild;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Rust version as a crate's {@code rust-version} declares it ({@code 1.95}, {@code 1.95.0}) or as
 * {@code rustc -V} prints it ({@code rustc 1.96.0 (ac68faa20 2026-05-25)}, {@code rustc 1.97.0-nightly (...)}).
 * Missing parts count as 0 and a pre-release counts as its release, as cargo does when it checks rust-version.
 */
public record RustVersion(int major, int minor, int patch) implements Comparable<RustVersion> {
    private static final Pattern VERSION = Pattern.compile("(?:^|\\s)(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** The first version in the text (a rust-version value or a {@code rustc -V} line), or empty. */
    public static Optional<RustVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(text.trim());
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RustVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /**
     * Whether the compiler {@code rustc -V} describes is older than {@code rustVersion}; false when either is
     * unknown or unparsable, so that cargo, not the plugin, has the last word then.
     */
    public static boolean olderThan(String rustc, String rustVersion) {
        Optional<RustVersion> have = parse(rustc);
        Optional<RustVersion> need = parse(rustVersion);
        return have.isPresent() && need.isPresent() && have.get().compareTo(need.get()) < 0;
    }

    @Override
    public int compareTo(RustVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
