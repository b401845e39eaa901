package dev.sark.crossbuild.check;

import dev.sark.loader.Platform;
import java.util.List;

/**
 * Compares the minimum macOS a Mach-O image declares (LC_BUILD_VERSION's minos, or LC_VERSION_MIN_MACOSX) with
 * the target's minimum. dyld refuses an image whose minimum is newer than the running macOS, so a newer one
 * shuts out older Macs; an image that declares none has been linked in a way nobody checked, so it is refused
 * too.
 */
final class MacosMinimumCheck {
    private MacosMinimumCheck() {
    }

    /** The architecture of a Mach-O CPU type, for the per-architecture minimum; null for others. */
    static Platform.Arch arch(int cpuType) {
        if (cpuType == MachOFacts.CPU_TYPE_X86_64) {
            return Platform.Arch.X86_64;
        }
        return cpuType == MachOFacts.CPU_TYPE_ARM64 ? Platform.Arch.AARCH_64 : null;
    }

    /**
     * @param subject what the image is in the message ({@code library}, {@code library's arm64 slice})
     * @param minimum the oldest macOS the image must load on ({@code 10.12}); null skips the check
     */
    static void check(String triple, MachOFacts.Thin image, String subject, String minimum, List<String> problems) {
        if (minimum == null) {
            return;
        }
        String fix = "link with MACOSX_DEPLOYMENT_TARGET=" + minimum + " (the plugin sets it from <macosMinimum>)";
        if (image.minOs() == null) {
            problems.add(subject + " declares no minimum macOS (neither LC_BUILD_VERSION nor LC_VERSION_MIN_MACOSX)"
                    + " but " + triple + " must state one, at most " + minimum + "; " + fix);
        } else if (!image.minOs().matches("[0-9]+(\\.[0-9]+)*")
                || ElfFacts.compareVersions(image.minOs(), minimum) > 0) {
            problems.add(subject + " needs macOS " + image.minOs() + " but the minimum for " + triple + " is "
                    + minimum + "; " + fix + ", or raise <macosMinimum> to " + image.minOs());
        }
    }
}
