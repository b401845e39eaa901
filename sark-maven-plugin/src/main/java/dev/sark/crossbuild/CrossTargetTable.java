package dev.sark.crossbuild;

import dev.sark.loader.Platform;
import java.util.Optional;

/**
 * What a Debian or Ubuntu build machine has for a target, in one table: the usual GCC cross linker and the
 * package that installs it, and the Debian architecture whose packaged Rust standard library
 * ({@code libstd-rust-web-dev:ARCH}) serves the target. The fixes ({@link Suggestions}), the strategies and
 * the doctor read it; {@code CrossTargetTableTest} holds scripts/install-toolchains.sh, the GitHub workflow and
 * docs/cross-compilation.md to it.
 */
public final class CrossTargetTable {
    private CrossTargetTable() {
    }

    /**
     * @param linker        the GCC cross linker program, e.g. {@code aarch64-linux-gnu-gcc}
     * @param linkerPackage the Debian package that installs it
     * @param debianArch    the Debian architecture of the target's packaged standard library, or null when
     *                      Debian packages none (the target is built with build-std or rustup's std)
     */
    public record Entry(String linker, String linkerPackage, String debianArch) {
    }

    /** The target's entry, when a Debian machine has a GCC cross linker for it. */
    public static Optional<Entry> of(Platform platform) {
        switch (platform.os()) {
            case LINUX:
                if (platform.libc() == Platform.Libc.MUSL) {
                    return platform.arch() == Platform.Arch.X86_64
                            ? Optional.of(new Entry("musl-gcc", "musl-tools", null)) : Optional.empty();
                }
                switch (platform.arch()) {
                    case AARCH_64:
                        return Optional.of(new Entry("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu", "arm64"));
                    case ARM_32:
                        return Optional.of(platform.hardFloat()
                                ? new Entry("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf", "armhf")
                                : new Entry("arm-linux-gnueabi-gcc", "gcc-arm-linux-gnueabi", "armel"));
                    case X86_64:
                        return Optional.of(new Entry("x86_64-linux-gnu-gcc", "gcc-x86-64-linux-gnu", "amd64"));
                    case X86_32:
                        return Optional.of(new Entry("i686-linux-gnu-gcc", "gcc-i686-linux-gnu", "i386"));
                    case RISCV_64:
                        return Optional.of(new Entry("riscv64-linux-gnu-gcc", "gcc-riscv64-linux-gnu", "riscv64"));
                    default:
                        return Optional.empty();
                }
            case WINDOWS:
                return platform.triple().endsWith("-gnu") && platform.arch() == Platform.Arch.X86_64
                        ? Optional.of(new Entry("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64", null))
                        : Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
