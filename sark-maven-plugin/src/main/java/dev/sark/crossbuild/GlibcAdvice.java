package dev.sark.crossbuild;

import dev.sark.crossbuild.check.BinaryFacts;
import dev.sark.crossbuild.check.ElfFacts;
import dev.sark.crossbuild.check.PlatformFloors;
import dev.sark.loader.Platform;
import java.util.Optional;

/**
 * The warning for a linux-gnu library without a declared {@code <glibcFloor>} that needs a glibc newer than
 * {@link PlatformFloors#RECOMMENDED_GLIBC}: such a library was linked against the build machine's glibc and
 * will not load on older distributions (RHEL 8, Debian 11, Amazon Linux 2). Like maturin's audit it only
 * warns, since the user never asked for a floor; with a declared floor the check fails the target instead.
 */
final class GlibcAdvice {
    private GlibcAdvice() {
    }

    static Optional<String> warning(TargetSpec target, BinaryFacts facts) {
        if (target.platform().libc() != Platform.Libc.GLIBC || target.glibcFloor() != null
                || !(facts instanceof ElfFacts)) {
            return Optional.empty();
        }
        String recommended = PlatformFloors.RECOMMENDED_GLIBC;
        ElfFacts elf = (ElfFacts) facts;
        if (!elf.needsGlibcNewerThan(recommended)) {
            return Optional.empty();
        }
        return elf.highestGlibcVersion().map(v -> "the library needs " + v + ", so it does not load on systems"
                + " with an older glibc (glibc " + recommended + " covers CentOS 7 and everything since); declare"
                + " <glibcFloor>" + recommended + "</glibcFloor> on " + target.triple() + ", which makes the plugin"
                + " build it with cargo-zigbuild against that glibc");
    }
}
