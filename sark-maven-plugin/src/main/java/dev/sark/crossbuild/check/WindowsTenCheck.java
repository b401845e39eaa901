package dev.sark.crossbuild.check;

import java.util.List;

/**
 * Whether a DLL loads on Windows 10: the loader refuses an image whose subsystem version is newer than the
 * running Windows; the operating-system version is held to the same bound, as tools that read it (and older
 * loaders) treat it as a requirement; and every imported DLL must exist (see {@link WindowsDlls}).
 */
final class WindowsTenCheck {
    private WindowsTenCheck() {
    }

    static void check(String triple, PeFacts pe, List<String> problems) {
        WindowsVersion floor = WindowsVersion.WINDOWS_10;
        if (pe.subsystemVersion() != null && pe.subsystemVersion().newerThan(floor)) {
            problems.add("library's subsystem version is " + pe.subsystemVersion() + " (MajorSubsystemVersion."
                    + "MinorSubsystemVersion) but " + triple + " must load on Windows 10 (" + floor + "); link with"
                    + " a subsystem version of at most " + floor + " (mingw: --major-subsystem-version, MSVC:"
                    + " /SUBSYSTEM:WINDOWS," + floor + ")");
        }
        if (pe.osVersion() != null && pe.osVersion().newerThan(floor)) {
            problems.add("library's operating system version is " + pe.osVersion() + " (MajorOperatingSystemVersion)"
                    + " but " + triple + " must load on Windows 10 (" + floor + "); link with an operating system"
                    + " version of at most " + floor + " (mingw: --major-os-version)");
        }
        for (String dll : pe.importedDlls()) {
            WindowsDlls.missingOnWindows10(dll).ifPresent(why -> problems.add(why + " (" + triple + ")"));
        }
    }
}
