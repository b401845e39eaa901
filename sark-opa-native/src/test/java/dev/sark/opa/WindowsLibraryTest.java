package dev.sark.opa;

import dev.sark.testing.AbstractWindowsLibraryTest;

/** The {@code windows-x86_64} DLL under wine's loader, and the runtime loader's choice of it when the platform is forced. */
class WindowsLibraryTest extends AbstractWindowsLibraryTest implements OpaLibrary {
}
