package dev.sark.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Works out which {@link Platform} the running JVM is, so the loader picks the library that will link.
 *
 * <p>OS and CPU come from {@code os.name} / {@code os.arch} (the JVM's own, which is what matters: a
 * 32-bit JVM on a 64-bit kernel needs a 32-bit library). The C library and the 32-bit ARM float ABI are
 * not exposed by Java, so they are read from the ELF headers of {@code /proc/self/exe}: its program
 * interpreter is the dynamic loader the whole process uses.
 *
 * <p>Two system properties override detection, for systems where it guesses wrong:
 * {@value #CLASSIFIER_PROPERTY} forces the whole platform, {@value #LIBC_PROPERTY} ({@code glibc} or
 * {@code musl}) only the C library.
 */
public final class PlatformDetector {

    public static final String CLASSIFIER_PROPERTY = "sark.native.classifier";
    public static final String LIBC_PROPERTY = "sark.native.libc";

    private static final Path SELF_EXE = Paths.get("/proc/self/exe");

    /** The executable never changes while the JVM runs, so it is parsed once. */
    private static volatile ElfResult selfElf;
    private static final String FORCED = "platform forced by -D";

    private PlatformDetector() {
    }

    /** A detected platform plus a human-readable account of how libc / float ABI were decided. */
    static final class Detection {
        private final Platform platform;
        private final String how;

        Detection(Platform platform, String how) {
            this.platform = platform;
            this.how = how;
        }

        Platform platform() {
            return platform;
        }

        /** E.g. "libc glibc from PT_INTERP /lib64/ld-linux-x86-64.so.2 of /proc/self/exe". */
        String how() {
            return how;
        }

        /** Whether -Dsark.native.classifier chose the platform. */
        boolean forced() {
            return how.startsWith(FORCED);
        }
    }

    /** The outcome of reading /proc/self/exe: either the ELF facts or why they are unavailable. */
    static final class ElfResult {
        final ElfInfo info;
        final String error;
        final String source;

        private ElfResult(ElfInfo info, String error, String source) {
            this.info = info;
            this.error = error;
            this.source = source;
        }

        static ElfResult of(ElfInfo info, String source) {
            return new ElfResult(info, null, source);
        }

        static ElfResult failed(String error, String source) {
            return new ElfResult(null, error, source);
        }
    }

    /** The platform of the running JVM, honouring the override properties. */
    public static Platform detect() {
        return detectWithReason().platform();
    }

    static Detection detectWithReason() {
        return detect(System::getProperty, PlatformDetector::selfElf);
    }

    /** The platform this JVM really runs on: detection with the two override properties ignored. */
    static Detection detectHost() {
        return detect(name -> CLASSIFIER_PROPERTY.equals(name) || LIBC_PROPERTY.equals(name) ? null : System.getProperty(name),
                PlatformDetector::selfElf);
    }

    /**
     * Detection from explicit inputs, so tests can play any host.
     *
     * @param property system property lookup ({@code os.name}, {@code os.arch} and the overrides)
     * @param elf supplies the ELF facts of the running executable; only called on Linux
     */
    static Detection detect(UnaryOperator<String> property, Supplier<ElfResult> elf) {
        String forced = property.apply(CLASSIFIER_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            try {
                return new Detection(Platform.fromClassifier(forced), FORCED + CLASSIFIER_PROPERTY + "=" + forced);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid -D" + CLASSIFIER_PROPERTY + "=" + forced + ": " + e.getMessage(), e);
            }
        }
        Platform.Os os = os(property.apply("os.name"));
        Platform.Arch arch = arch(property.apply("os.arch"));
        if (os != Platform.Os.LINUX) {
            return new Detection(Platform.of(os, arch, Platform.Libc.SYSTEM, true), "libc: the system's own (not Linux)");
        }

        ElfResult self = elf.get();
        StringBuilder how = new StringBuilder();
        Platform.Libc libc;
        String forcedLibc = property.apply(LIBC_PROPERTY);
        if (forcedLibc != null && !forcedLibc.isBlank()) {
            libc = libc(forcedLibc);
            how.append("libc ").append(libcName(libc)).append(" forced by -D").append(LIBC_PROPERTY).append('=').append(forcedLibc);
        } else if (self.info == null) {
            // glibc is by far the common case; the message tells musl users what to set.
            libc = Platform.Libc.GLIBC;
            how.append("libc glibc assumed because ").append(self.source).append(" could not be read (").append(self.error)
                    .append("); on musl (Alpine) set -D").append(LIBC_PROPERTY).append("=musl");
        } else if (self.info.interpreter().isEmpty()) {
            libc = Platform.Libc.GLIBC;
            how.append("libc glibc assumed because ").append(self.source).append(" has no PT_INTERP (statically linked)");
        } else {
            libc = self.info.isMusl() ? Platform.Libc.MUSL : Platform.Libc.GLIBC;
            how.append("libc ").append(libcName(libc)).append(" from PT_INTERP ").append(self.info.interpreter().get())
                    .append(" of ").append(self.source);
        }

        boolean hardFloat = true;
        if (arch == Platform.Arch.ARM_32) {
            if (self.info == null) {
                how.append("; ARM hard-float assumed (").append(self.source).append(" unreadable)");
            } else {
                hardFloat = self.info.isArmHardFloat();
                how.append("; ARM ").append(hardFloat ? "hard" : "soft").append("-float (ELF e_flags 0x")
                        .append(Integer.toHexString(self.info.flags())).append(", interpreter ")
                        .append(self.info.interpreter().orElse("none")).append(')');
            }
        }
        return new Detection(Platform.of(os, arch, libc, hardFloat), how.toString());
    }

    static Platform.Os os(String osName) {
        String n = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return Platform.Os.LINUX;
        }
        if (n.startsWith("windows")) {
            return Platform.Os.WINDOWS;
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return Platform.Os.OSX;
        }
        if (n.startsWith("freebsd")) {
            return Platform.Os.FREEBSD;
        }
        throw new IllegalArgumentException("Unsupported operating system '" + osName + "' (os.name); SARK ships for"
                + " Linux, FreeBSD, Windows and macOS. Set -D" + CLASSIFIER_PROPERTY + " if a library for another classifier works here");
    }

    static Platform.Arch arch(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                return Platform.Arch.X86_64;
            case "aarch64":
            case "arm64":
                return Platform.Arch.AARCH_64;
            case "x86":
            case "i386":
            case "i486":
            case "i586":
            case "i686":
            case "x86_32":
            case "ia32":
                return Platform.Arch.X86_32;
            case "riscv64":
                return Platform.Arch.RISCV_64;
            case "ppc64le":
                return Platform.Arch.PPCLE_64;
            case "s390x":
                return Platform.Arch.S390_64;
            default:
                // "arm", "armv7l", "armhf", "arm32", ... (but not "arm64", handled above)
                if (a.startsWith("arm")) {
                    return Platform.Arch.ARM_32;
                }
                throw new IllegalArgumentException("Unsupported CPU architecture '" + osArch + "' (os.arch); SARK ships for"
                        + " x86_64, aarch64, arm (32-bit), x86, riscv64, ppc64le and s390x");
        }
    }

    static Platform.Libc libc(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "glibc":
            case "gnu":
                return Platform.Libc.GLIBC;
            case "musl":
                return Platform.Libc.MUSL;
            default:
                throw new IllegalArgumentException("Invalid -D" + LIBC_PROPERTY + "=" + value + ": expected glibc or musl");
        }
    }

    private static String libcName(Platform.Libc libc) {
        return libc.name().toLowerCase(Locale.ROOT);
    }

    private static ElfResult selfElf() {
        ElfResult r = selfElf;
        if (r == null) {
            r = readElf(SELF_EXE);
            selfElf = r;
        }
        return r;
    }

    static ElfResult readElf(Path file) {
        try {
            return ElfResult.of(ElfInfo.read(file), file.toString());
        } catch (IOException | SecurityException e) {
            return ElfResult.failed(String.valueOf(e.getMessage()), file.toString());
        }
    }
}
