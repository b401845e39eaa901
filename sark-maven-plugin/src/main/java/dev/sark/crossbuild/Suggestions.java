package dev.sark.crossbuild;

import dev.sark.loader.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one home of the project's troubleshooting knowledge: each known failure maps to a sentence that
 * says what to do. Error messages, {@code sark:doctor} and docs/troubleshooting.md all draw on it.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** The fix for a missing standard library of a target. */
    public static String missingStandardLibrary(String triple, String toolchain) {
        return "the standard library for " + triple + " is not installed in toolchain "
                + (toolchain == null ? "(default)" : toolchain) + ": run `rustup "
                + (toolchain == null ? "" : "+" + toolchain + " ") + "target add " + triple
                + "`, or link a toolchain that has it (scripts/install-toolchains.sh) and set <rustupToolchain>,"
                + " or set <strategy>zigbuild</strategy> / <strategy>build-std</strategy>";
    }

    /**
     * The fix for a toolchain older than the crate's {@code rust-version}, found before cargo runs (cargo would
     * stop with a compile error inside the crate, or in a dependency the resolver picked for the newer compiler).
     */
    public static String toolchainTooOld(String toolchain, String rustc, String rustVersion, String packageName) {
        return "toolchain " + (toolchain == null ? "(default)" : toolchain) + " is " + rustc
                + ", older than rust-version " + rustVersion + " of " + packageName
                + ": run scripts/install-toolchains.sh (it links a Debian rustc at least that new as sark-debian),"
                + " `rustup update` for a rustup channel, or set <rustupToolchain> to a toolchain with rustc "
                + rustVersion + " or newer";
    }

    /** The fix for a missing linker. */
    public static String missingLinker(Platform platform, String configured) {
        Optional<CrossTargetTable.Entry> known = CrossTargetTable.of(platform);
        if (configured != null) {
            return "linker '" + configured + "' is not on the PATH"
                    + known.filter(l -> l.linker().equals(configured))
                    .map(l -> ": run `apt-get install " + l.linkerPackage() + "`").orElse("");
        }
        return "no linker is set for " + platform.triple() + known
                .map(l -> ": set <linker>" + l.linker() + "</linker> (from `apt-get install " + l.linkerPackage() + "`)")
                .orElse(": set <linker>")
                + ", or set <strategy>zigbuild</strategy> (`pip install ziglang cargo-zigbuild`)";
    }

    /** Known patterns in cargo's output, in the order they are checked, each with its fix. */
    private static final Map<String, String> OUTPUT_PATTERNS = new LinkedHashMap<>();

    static {
        OUTPUT_PATTERNS.put("can't find crate for `std`",
                "The target's standard library is missing: `rustup target add {triple}` or use a toolchain that"
                        + " has it (<rustupToolchain>), or <strategy>build-std</strategy>.");
        OUTPUT_PATTERNS.put("target may not be installed",
                "The target's standard library is missing: `rustup target add {triple}` or use a toolchain that"
                        + " has it (<rustupToolchain>), or <strategy>build-std</strategy>.");
        OUTPUT_PATTERNS.put("linker `cc` not found",
                "No C toolchain: install gcc (`apt-get install build-essential`) or set <linker>.");
        OUTPUT_PATTERNS.put("linking with `cc` failed",
                "The host's cc cannot link for {triple}: set <linker> to a cross linker ({linker}) or use"
                        + " <strategy>zigbuild</strategy>.");
        OUTPUT_PATTERNS.put("cannot find -lc",
                "The linker has no C library for {triple} (missing sysroot): install the cross toolchain"
                        + " ({linker}) or use <strategy>zigbuild</strategy>, which brings its own libc.");
        OUTPUT_PATTERNS.put("crt1.o",
                "The linker has no C runtime (crt1.o) for {triple} (missing sysroot): install the cross toolchain"
                        + " or use <strategy>zigbuild</strategy>.");
        OUTPUT_PATTERNS.put("__stack_chk_fail",
                "Stack-protector symbols do not match the C library: link against the target's own libc"
                        + " (zigbuild or a proper sysroot), and for musl add <rustflags>-C target-feature=-crt-static</rustflags>.");
        OUTPUT_PATTERNS.put("cannot produce cdylib",
                "This target links statically by default: add <rustflags>-C target-feature=-crt-static</rustflags>.");
        OUTPUT_PATTERNS.put("failed to run custom build command",
                "A build script failed, often a C dependency that needs a C cross compiler: set"
                        + " CC_{triple_underscored} in <env> or trim the crate's C-based features.");
        OUTPUT_PATTERNS.put("no matching package named",
                "A dependency cannot be resolved; when Maven runs offline (-o) cargo does too: run once online"
                        + " or `cargo fetch`.");
        OUTPUT_PATTERNS.put("attempting to make an http request, but --offline was specified",
                "Maven is offline (-o), so cargo is too: run `cargo fetch` once online, then build offline.");
        OUTPUT_PATTERNS.put("no such command: `zigbuild`",
                "cargo-zigbuild is not installed: `pip install ziglang cargo-zigbuild` (or `cargo install cargo-zigbuild`).");
        OUTPUT_PATTERNS.put("is not installed",
                "A rustup toolchain is missing: `rustup toolchain install NAME`, or `rustup toolchain link NAME DIR`.");
        OUTPUT_PATTERNS.put("requires rustc",
                "A dependency needs a newer compiler than this toolchain: keep rust-version in Cargo.toml so that"
                        + " cargo's resolver picks compatible versions, or use a newer <rustupToolchain>.");
    }

    /** The output patterns the plugin recognises (docs/troubleshooting.md quotes each of them). */
    public static Set<String> knownPatterns() {
        return Collections.unmodifiableSet(OUTPUT_PATTERNS.keySet());
    }

    /** The fixes that apply to a failed build's output, most specific first, without repeats. */
    public static List<String> forOutput(List<String> output, Platform platform) {
        String text = String.join("\n", output).toLowerCase(Locale.ROOT);
        String linker = CrossTargetTable.of(platform).map(l -> l.linker() + " from " + l.linkerPackage()).orElse("a cross linker");
        List<String> fixes = new ArrayList<>();
        OUTPUT_PATTERNS.forEach((pattern, fix) -> {
            if (text.contains(pattern.toLowerCase(Locale.ROOT))) {
                String sentence = fix.replace("{triple_underscored}", platform.triple().replace('-', '_'))
                        .replace("{triple}", platform.triple()).replace("{linker}", linker);
                if (!fixes.contains(sentence)) {
                    fixes.add(sentence);
                }
            }
        });
        return fixes;
    }

    /**
     * What an exit code above 128 means: the command was killed by a signal. 137 (SIGKILL) is nearly always the
     * kernel's out-of-memory killer during rustc's optimisation or linking.
     */
    static Optional<String> exitCodeMeaning(int exitCode) {
        if (exitCode == 137) {
            return Optional.of("killed by SIGKILL, most likely out of memory; give the build more memory, or fewer"
                    + " parallel jobs with CARGO_BUILD_JOBS=1 in <env> (or lto = false in the cargo profile)");
        }
        if (exitCode == 143) {
            return Optional.of("stopped by SIGTERM (the build was cancelled)");
        }
        if (exitCode > 128 && exitCode < 160) {
            return Optional.of("killed by signal " + (exitCode - 128));
        }
        return Optional.empty();
    }
}
