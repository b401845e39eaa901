package dev.sark.crossbuild.check;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FreeBSD release numbers, from the two places an ELF file states them, and the release SARK supports.
 *
 * <p>The supported release is FreeBSD 12: Rust's standard library needs 12 or later since Rust 1.78 (the
 * rustc book's FreeBSD page), and the libc crate binds FreeBSD 12's ABI (64-bit inodes). A library that asks
 * for a newer release fails its check.
 */
final class FreeBsdRelease {
    /** The oldest FreeBSD release SARK's libraries must load on. */
    static final int SUPPORTED = 12;

    /** {@code FBSD_1.5}: a numbered version of FreeBSD's libc; FBSDprivate_1.0 does not match. */
    private static final Pattern SYMBOL_VERSION = Pattern.compile("FBSD_1\\.([0-9]{1,3})");

    private FreeBsdRelease() {
    }

    /** The major release of a {@code __FreeBSD_version} (1203000 is 12.3, so 12). */
    static int ofAbiTag(long freebsdVersion) {
        return (int) Math.min(Integer.MAX_VALUE, freebsdVersion / 100_000);
    }

    /**
     * The release that introduced a libc symbol version: FreeBSD adds one {@code FBSD_1.n} per major release,
     * FBSD_1.0 in 7.0 up to FBSD_1.5 in 12.0, FBSD_1.6 in 13.0 and FBSD_1.7 in 14.0 (lib/libc's Symbol.map
     * files), so the release is n + 7. Empty for other version names.
     */
    static OptionalInt ofSymbolVersion(String version) {
        Matcher m = SYMBOL_VERSION.matcher(version);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1)) + 7) : OptionalInt.empty();
    }

    /**
     * The release that introduced a symbol version of {@code library}: as {@link #ofSymbolVersion}, except
     * libthr's {@code FBSD_1.6}. It holds {@code pthread_getname_np} and {@code pthread_setname_np}, which
     * FreeBSD added to 12.2 under the same version as in 13.0, and which Rust's standard library calls to name
     * a thread: so it needs FreeBSD 12.2, within the supported release.
     */
    static OptionalInt ofSymbolVersion(String library, String version) {
        OptionalInt release = ofSymbolVersion(version);
        boolean threadNames = library.startsWith("libthr.so") && version.equals("FBSD_1.6");
        return threadNames ? OptionalInt.of(SUPPORTED) : release;
    }

    /** Fails a library whose ABI tag or libc symbol versions ask for a release newer than {@link #SUPPORTED}. */
    static void check(String triple, ElfFacts elf, List<String> problems) {
        elf.freebsdAbiTag().ifPresent(tag -> {
            if (ofAbiTag(tag) > SUPPORTED) {
                problems.add("library's FreeBSD ABI tag (NT_FREEBSD_ABI_TAG note) is " + tag + " (FreeBSD "
                        + ofAbiTag(tag) + ") but " + triple + " must load on FreeBSD " + SUPPORTED + "; link against"
                        + " FreeBSD " + SUPPORTED + "'s base system (crt files and libc)");
            }
        });
        elf.versionsByLibrary().forEach((library, versions) -> {
            for (String version : versions) {
                OptionalInt release = ofSymbolVersion(library, version);
                if (release.isPresent() && release.getAsInt() > SUPPORTED) {
                    problems.add("library needs " + library + " symbol version " + version + " (FreeBSD "
                            + release.getAsInt() + ") but " + triple + " must load on FreeBSD " + SUPPORTED
                            + "; link against FreeBSD " + SUPPORTED + "'s libraries (FBSD_1." + (SUPPORTED - 7)
                            + " at most)");
                }
            }
        });
    }
}
