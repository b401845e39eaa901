package dev.sark.opa;

import dev.sark.testing.AbstractMuslLibraryTest;

/** The {@code linux-x86_64-musl} library under musl's loader, and the runtime loader's choice of it when the platform is forced. */
class MuslLibraryTest extends AbstractMuslLibraryTest implements OpaLibrary {
}
