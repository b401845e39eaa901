package dev.sark.crossbuild.check;

import java.util.Locale;
import java.util.Optional;

/**
 * Which imported DLLs a stock Windows 10 cannot provide. A DLL import that the loader cannot resolve makes
 * {@code System.loadLibrary} fail with "Can't find dependent libraries", so such an import is a problem.
 *
 * <p>The list is small on purpose: it holds what Rust builds are known to pick up by accident, not every DLL
 * Windows lacks.
 * <ul>
 *   <li>GCC's run-time DLLs from mingw-w64 ({@code libgcc_s_seh-1.dll}, {@code libgcc_s_dw2-1.dll},
 *       {@code libwinpthread-1.dll}, {@code libstdc++-6.dll}): not part of Windows; a windows-gnu library gets
 *       them when the linker finds their import libraries before the static ones.</li>
 * </ul>
 * Accepted on purpose: the system DLLs ({@code KERNEL32.dll}, {@code ntdll.dll}, {@code bcryptprimitives.dll},
 * {@code msvcrt.dll}, ...); the Universal CRT ({@code ucrtbase.dll}, {@code api-ms-win-crt-*}), part of Windows
 * 10; API sets such as {@code api-ms-win-core-synch-l1-2-0.dll} (Windows 8 and later), which Rust's standard
 * library itself imports for {@code WaitOnAddress}; and {@code VCRUNTIME140.dll}, which every Windows JDK ships
 * next to {@code jvm.dll}, so it is loaded before any JNI library.
 */
final class WindowsDlls {
    private WindowsDlls() {
    }

    /** Why {@code dll} is not on a stock Windows 10, with the fix, or empty when it is (or may well be). */
    static Optional<String> missingOnWindows10(String dll) {
        String name = dll.toLowerCase(Locale.ROOT);
        if (name.startsWith("libgcc_s_") || name.equals("libwinpthread-1.dll") || name.startsWith("libstdc++")) {
            return Optional.of("library imports " + dll + ", GCC's run-time DLL from mingw-w64, which Windows 10"
                    + " does not have; link it statically (RUSTFLAGS \"-C target-feature=+crt-static\", or"
                    + " -static-libgcc/-static for C code) so that the DLL needs only Windows' own DLLs");
        }
        return Optional.empty();
    }
}
