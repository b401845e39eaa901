package dev.sark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code windows-x86_64} library of a native module, proven at run time without Windows: wine's loader
 * loads the DLL from a mingw-compiled program and finds every JNI entry point {@link #apiClass()} needs
 * ({@link WineProbe}); and the runtime loader, told it runs on Windows, picks and extracts exactly that DLL
 * ({@link ForcedPlatform}).
 *
 * <p>A module's {@code WindowsLibraryTest} extends this class and implements the module's {@link LibraryUnderTest}:
 * {@code class WindowsLibraryTest extends AbstractWindowsLibraryTest implements CacheLibrary {}}.
 */
public abstract class AbstractWindowsLibraryTest extends AbstractClassifierLibraryTest {

    /** The classifier this class proves. */
    public static final String CLASSIFIER = "windows-x86_64";

    protected AbstractWindowsLibraryTest() {
        super(CLASSIFIER);
    }

    @Test
    public void winesLoaderLoadsTheDllAndFindsEveryJniEntryPoint(@TempDir Path dir) {
        Path jar = jar();
        Requirements.available(WineProbe.availability());

        Path dll = extractLibrary(jar, dir);
        assertEquals(libName() + ".dll", dll.getFileName().toString());
        Set<String> symbols = jniSymbols();

        long start = System.nanoTime();
        NativeProbe.Result r = WineProbe.run(dll, symbols);
        System.out.println("wine probe (" + (System.nanoTime() - start) / 1_000_000 + " ms, including compiling the probe"
                + " and creating the prefix on the first run): " + r);

        // The probe really ran under wine (ntdll exports wine_get_version).
        assertNotNull(r.value("wine"), r::toString);
        assertNotEquals("none", r.value("wine"), r::toString);

        // LoadLibraryA resolved every import of the DLL.
        assertNull(r.error(), r::toString);
        assertNotNull(r.loaded(), r::toString);
        assertTrue(r.value("module").toLowerCase(Locale.ROOT).endsWith("\\" + libName() + ".dll"), r::toString);
        assertEquals(Set.of(), r.missing(), r::toString);
        assertEquals(symbols, r.found(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);

        // Every module came from wine's system directory, except the probe, the DLL and, on a wine older than
        // 8.13, the documented bcryptprimitives.dll stand-in next to the probe.
        Path probeDir = Path.of(r.command().get(1)).getParent();
        String probeDirWin = "z:" + probeDir.toString().replace('/', '\\').toLowerCase(Locale.ROOT) + "\\";
        boolean shimmed = r.notes().stream().anyMatch(n -> n.contains("bcryptprimitives.dll"));
        List<String> foreign = r.values("mapped").stream().map(m -> m.toLowerCase(Locale.ROOT))
                .filter(m -> !m.startsWith("c:\\windows\\"))
                .filter(m -> !m.equals(r.value("module").toLowerCase(Locale.ROOT)))
                .filter(m -> !m.equals(probeDirWin + "loadlibrary_probe.exe"))
                .filter(m -> !(shimmed && m.equals(probeDirWin + "bcryptprimitives.dll")))
                .collect(Collectors.toList());
        assertEquals(List.of(), foreign, () -> "modules from outside wine: " + r);
    }

    @Test
    public void theRuntimeLoaderPicksTheWindowsDllWhenThePlatformIsForced(@TempDir Path dir) {
        Path jar = jar();
        ForcedPlatform.Outcome o = forced(jar, dir.resolve("cache"));
        // Spelled out rather than taken from Platform, so a change of the loader's layout shows here.
        assertEquals("dev/sark/native/" + CLASSIFIER + "/" + libName() + ".dll", o.entry);
        if (!CLASSIFIER.equals(ForcedPlatform.hostClassifier())) {
            // Not Windows: System.load got the extracted PE file and the host's loader refused it.
            assertFalse(o.loaded(), o.result::toString);
            assertTrue(o.error().contains(o.extracted + ": "), o.result::toString);
        }
    }
}
