package dev.sark.crossbuild.check;

import dev.sark.loader.Platform;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The oldest platform a library must load on, for the kinds that a build can choose: the glibc floor of a
 * linux-gnu target and the macOS minimum per architecture. (Windows 10 and FreeBSD 12 are fixed: see
 * {@link WindowsVersion#WINDOWS_10} and {@link FreeBsdRelease#SUPPORTED}.)
 *
 * @param glibc          the newest glibc a library may need ({@code 2.17}), or null for no limit
 * @param macosMinimums  the macOS minimum per architecture; an architecture left out takes Rust's default
 */
public record PlatformFloors(GlibcFloor glibc, Map<Platform.Arch, String> macosMinimums) {

    /**
     * The glibc of CentOS 7, manylinux2014 and the Linux builds of netty-tcnative, rocksdbjni and sqlite-jdbc:
     * what a linux-gnu library without a declared floor is measured against for the summary's warning.
     */
    public static final String RECOMMENDED_GLIBC = "2.17";

    public PlatformFloors {
        Map<Platform.Arch, String> copy = new EnumMap<>(Platform.Arch.class);
        copy.putAll(macosMinimums);
        macosMinimums = Collections.unmodifiableMap(copy);
    }

    /** A glibc floor (or null) and Rust's default macOS minimums. */
    public static PlatformFloors glibc(GlibcFloor glibcFloor) {
        return new PlatformFloors(glibcFloor, Map.of());
    }

    /**
     * Rust's own default deployment target for a macOS architecture: 10.12 for x86_64 and 11.0 for arm64 (the
     * first macOS on Apple silicon); null for architectures macOS does not run.
     */
    public static String defaultMacosMinimum(Platform.Arch arch) {
        switch (arch) {
            case X86_64:
                return "10.12";
            case AARCH_64:
                return "11.0";
            default:
                return null;
        }
    }

    /** The macOS minimum for an architecture: the one given, else Rust's default, else null. */
    public String macosMinimum(Platform.Arch arch) {
        String given = macosMinimums.get(arch);
        return given != null ? given : defaultMacosMinimum(arch);
    }

    /** The same floors with another macOS minimum for one architecture (null restores the default). */
    public PlatformFloors withMacosMinimum(Platform.Arch arch, String minimum) {
        Map<Platform.Arch, String> copy = new EnumMap<>(Platform.Arch.class);
        copy.putAll(macosMinimums);
        if (minimum == null) {
            copy.remove(arch);
        } else {
            copy.put(arch, minimum);
        }
        return new PlatformFloors(glibc, copy);
    }
}
