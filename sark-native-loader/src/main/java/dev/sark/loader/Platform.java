package dev.sark.loader;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A native platform, the single owner of the mapping between Rust target triples, Maven classifiers
 * and the resource path of a library inside a classifier JAR.
 *
 * <p>The build plugin uses it to name and lay out what it packages; the runtime loader uses it to find
 * what matches the running JVM. Both sides therefore agree by construction.
 *
 * <p>Classifiers follow os-maven-plugin ({@code ${os.detected.classifier}}): {@code linux-x86_64},
 * {@code linux-aarch_64}, {@code osx-aarch_64}, ... with a {@code -musl} suffix for musl libc and
 * {@code -softfloat} for 32-bit ARM without hardware floating point (os-maven-plugin has no name for
 * it, and loading a hard-float library there would fail).
 */
public final class Platform {

    /** Directory inside a classifier JAR under which libraries live, one sub-directory per classifier. */
    public static final String RESOURCE_ROOT = "dev/sark/native/";

    /** Operating systems SARK ships to, with their library file naming. */
    public enum Os {
        LINUX("linux", "lib", ".so"),
        FREEBSD("freebsd", "lib", ".so"),
        WINDOWS("windows", "", ".dll"),
        OSX("osx", "lib", ".dylib");

        private final String classifierName;
        private final String libraryPrefix;
        private final String librarySuffix;

        Os(String classifierName, String libraryPrefix, String librarySuffix) {
            this.classifierName = classifierName;
            this.libraryPrefix = libraryPrefix;
            this.librarySuffix = librarySuffix;
        }

        public String classifierName() {
            return classifierName;
        }

        public String libraryPrefix() {
            return libraryPrefix;
        }

        public String librarySuffix() {
            return librarySuffix;
        }
    }

    /** CPU architectures, named as os-maven-plugin names them. */
    public enum Arch {
        X86_64("x86_64", "x86_64", 64),
        X86_32("x86_32", "i686", 32),
        AARCH_64("aarch_64", "aarch64", 64),
        ARM_32("arm_32", "armv7", 32),
        RISCV_64("riscv64", "riscv64gc", 64),
        PPCLE_64("ppcle_64", "powerpc64le", 64),
        S390_64("s390_64", "s390x", 64),
        /** A macOS fat library holding x86_64 and arm64 slices; Rust spells it universal2. */
        UNIVERSAL("universal", "universal2", 64);

        private final String classifierName;
        private final String canonicalRustName;
        private final int bits;

        Arch(String classifierName, String canonicalRustName, int bits) {
            this.classifierName = classifierName;
            this.canonicalRustName = canonicalRustName;
            this.bits = bits;
        }

        public String classifierName() {
            return classifierName;
        }

        /** The Rust architecture used when a triple has to be made up (from detection or a classifier). */
        public String canonicalRustName() {
            return canonicalRustName;
        }

        public int bits() {
            return bits;
        }

        static Arch fromRust(String rustArch, String triple) {
            String a = rustArch.toLowerCase(Locale.ROOT);
            if (a.equals("x86_64") || a.equals("amd64")) {
                return X86_64;
            }
            if (a.matches("i[3-6]86") || a.equals("x86")) {
                return X86_32;
            }
            if (a.equals("aarch64") || a.equals("arm64")) {
                return AARCH_64;
            }
            if (a.equals("arm") || a.startsWith("armv") || a.startsWith("thumbv")) {
                return ARM_32;
            }
            if (a.startsWith("riscv64")) {
                return RISCV_64;
            }
            if (a.equals("powerpc64le") || a.equals("ppc64le")) {
                return PPCLE_64;
            }
            if (a.equals("s390x")) {
                return S390_64;
            }
            if (a.equals("universal2") || a.equals("universal")) {
                return UNIVERSAL;
            }
            throw new IllegalArgumentException("Unsupported CPU architecture '" + rustArch + "' in target triple '"
                    + triple + "'. Supported: x86_64, i686, aarch64, armv7/arm, riscv64gc, powerpc64le, s390x, universal2");
        }
    }

    /** The C library a Linux library was linked against; other systems have exactly one. */
    public enum Libc {
        GLIBC, MUSL, SYSTEM
    }

    private final String triple;
    private final Os os;
    private final Arch arch;
    private final Libc libc;
    private final boolean hardFloat;

    private Platform(String triple, Os os, Arch arch, Libc libc, boolean hardFloat) {
        this.triple = triple;
        this.os = os;
        this.arch = arch;
        this.libc = libc;
        this.hardFloat = hardFloat;
    }

    /**
     * Parses a Rust target triple such as {@code aarch64-unknown-linux-gnu}, {@code x86_64-pc-windows-gnu}
     * or {@code armv7-unknown-linux-gnueabihf}.
     *
     * @throws IllegalArgumentException naming the triple and what is wrong with it
     */
    public static Platform fromTriple(String triple) {
        if (triple == null || triple.isBlank()) {
            throw new IllegalArgumentException("Target triple is empty; expected something like x86_64-unknown-linux-gnu");
        }
        String t = triple.trim();
        String[] parts = t.split("-");
        if (parts.length < 3) {
            throw new IllegalArgumentException("'" + t + "' is not a Rust target triple: expected ARCH-VENDOR-OS[-ENV]"
                    + " such as x86_64-unknown-linux-gnu (run 'rustc --print target-list' for the full list)");
        }
        Arch arch = Arch.fromRust(parts[0], t);
        String rest = t.substring(parts[0].length() + 1).toLowerCase(Locale.ROOT);
        Os os;
        Libc libc = Libc.SYSTEM;
        boolean hardFloat = true;
        // Match whole components: a substring test would miss "x86_64-linux-gnu" and accept "foolinux".
        List<String> components = Arrays.asList(rest.split("-"));
        if (components.contains("linux")) {
            os = Os.LINUX;
            // The environment is the component after "linux"; a triple ending in "linux" means gnu.
            String last = parts[parts.length - 1].toLowerCase(Locale.ROOT);
            String env = last.equals("linux") ? "gnu" : last;
            if (env.startsWith("musl")) {
                libc = Libc.MUSL;
            } else if (env.startsWith("gnu")) {
                libc = Libc.GLIBC;
            } else {
                throw new IllegalArgumentException("Unsupported Linux environment '" + env + "' in '" + t
                        + "': expected gnu* or musl*");
            }
            if (arch == Arch.ARM_32) {
                hardFloat = env.endsWith("hf");
            }
        } else if (components.contains("freebsd")) {
            os = Os.FREEBSD;
        } else if (components.contains("windows")) {
            os = Os.WINDOWS;
        } else if (components.contains("darwin") || components.contains("macos")) {
            os = Os.OSX;
        } else {
            throw new IllegalArgumentException("Unsupported operating system in target triple '" + t
                    + "': SARK builds for linux, freebsd, windows and darwin");
        }
        if (arch == Arch.UNIVERSAL && os != Os.OSX) {
            throw new IllegalArgumentException("'" + t + "': universal libraries exist only for macOS (universal2-apple-darwin)");
        }
        return new Platform(t, os, arch, libc, hardFloat);
    }

    /**
     * The platform a classifier stands for, with a canonical triple ({@code linux-arm_32} is
     * {@code armv7-unknown-linux-gnueabihf}).
     *
     * @throws IllegalArgumentException when the classifier follows no known scheme
     */
    public static Platform fromClassifier(String classifier) {
        if (classifier == null || classifier.isBlank()) {
            // Same exception type as fromTriple: callers pass user input (a -D property) here.
            throw new IllegalArgumentException("Classifier is empty; expected something like linux-x86_64");
        }
        String c = classifier.trim().toLowerCase(Locale.ROOT);
        for (Os os : Os.values()) {
            String prefix = os.classifierName() + "-";
            if (!c.startsWith(prefix)) {
                continue;
            }
            String rest = c.substring(prefix.length());
            Libc libc = os == Os.LINUX ? Libc.GLIBC : Libc.SYSTEM;
            boolean hardFloat = true;
            if (rest.endsWith("-softfloat")) {
                hardFloat = false;
                rest = rest.substring(0, rest.length() - "-softfloat".length());
            }
            if (rest.endsWith("-musl")) {
                libc = Libc.MUSL;
                rest = rest.substring(0, rest.length() - "-musl".length());
            }
            for (Arch arch : Arch.values()) {
                if (arch.classifierName().equals(rest)) {
                    Platform p;
                    try {
                        p = of(os, arch, libc, hardFloat);
                    } catch (IllegalArgumentException impossible) {
                        break; // e.g. linux-universal: report the classifier below, not the made-up triple
                    }
                    if (p.classifier().equals(c)) {
                        return p;
                    }
                }
            }
        }
        throw new IllegalArgumentException("Unknown classifier '" + classifier + "': expected OS-ARCH[-musl] such as"
                + " linux-x86_64, linux-aarch_64-musl, windows-x86_64 or osx-universal");
    }

    /** The platform for a combination of facts, with a canonical Rust triple. */
    public static Platform of(Os os, Arch arch, Libc libc, boolean hardFloat) {
        String rustArch = arch.canonicalRustName();
        String triple;
        switch (os) {
            case LINUX:
                String env = libc == Libc.MUSL ? "musl" : "gnu";
                if (arch == Arch.ARM_32) {
                    rustArch = hardFloat ? "armv7" : "arm";
                    env += hardFloat ? "eabihf" : "eabi";
                }
                triple = rustArch + "-unknown-linux-" + env;
                break;
            case FREEBSD:
                triple = rustArch + "-unknown-freebsd";
                break;
            case WINDOWS:
                triple = rustArch + "-pc-windows-msvc";
                break;
            case OSX:
                triple = rustArch + "-apple-darwin";
                break;
            default:
                throw new IllegalStateException(os.name());
        }
        return fromTriple(triple);
    }

    /** Detects the platform of the running JVM; see {@link PlatformDetector}. */
    public static Platform current() {
        return PlatformDetector.detect();
    }

    public String triple() {
        return triple;
    }

    public Os os() {
        return os;
    }

    public Arch arch() {
        return arch;
    }

    public Libc libc() {
        return libc;
    }

    /** Whether a 32-bit ARM target uses the hard-float ABI (always true elsewhere). */
    public boolean hardFloat() {
        return hardFloat;
    }

    /** The Maven classifier, compatible with os-maven-plugin's {@code os.detected.classifier}. */
    public String classifier() {
        StringBuilder c = new StringBuilder(os.classifierName()).append('-').append(arch.classifierName());
        if (libc == Libc.MUSL) {
            c.append("-musl");
        }
        if (arch == Arch.ARM_32 && !hardFloat) {
            c.append("-softfloat");
        }
        return c.toString();
    }

    /** The file a cdylib named {@code libName} gets on this platform: {@code libfoo.so}, {@code foo.dll}, ... */
    public String libraryFileName(String libName) {
        requireLibName(libName);
        return os.libraryPrefix() + libName + os.librarySuffix();
    }

    /** Where the library lives inside a classifier JAR, e.g. {@code dev/sark/native/linux-x86_64/libfoo.so}. */
    public String resourcePath(String libName) {
        return RESOURCE_ROOT + classifier() + "/" + libraryFileName(libName);
    }

    /** Two platforms are the same when their classifiers are: the classifier is what a library is published under. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Platform && ((Platform) o).classifier().equals(classifier());
    }

    @Override
    public int hashCode() {
        return classifier().hashCode();
    }

    @Override
    public String toString() {
        return triple + " (" + classifier() + ")";
    }

    private static void requireLibName(String libName) {
        if (libName == null || !libName.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Library name '" + libName
                    + "' is not a Rust library name (letters, digits and '_' only, as in [lib] name)");
        }
    }
}
