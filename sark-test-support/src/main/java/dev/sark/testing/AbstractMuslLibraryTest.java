package dev.sark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code linux-x86_64-musl} library of a native module, proven at run time on a glibc machine: musl's own
 * dynamic loader loads it and finds every JNI entry point {@link #apiClass()} needs ({@link MuslProbe}); and
 * the runtime loader, told it runs on musl, picks and extracts exactly that library ({@link ForcedPlatform}).
 *
 * <p>A module's {@code MuslLibraryTest} extends this class and implements the module's {@link LibraryUnderTest}:
 * {@code class MuslLibraryTest extends AbstractMuslLibraryTest implements CacheLibrary {}}.
 */
public abstract class AbstractMuslLibraryTest extends AbstractClassifierLibraryTest {

    /** The classifier this class proves. */
    public static final String CLASSIFIER = "linux-x86_64-musl";

    protected AbstractMuslLibraryTest() {
        super(CLASSIFIER);
    }

    @Test
    public void muslsLoaderLoadsTheLibraryAndFindsEveryJniEntryPoint(@TempDir Path dir) {
        Path jar = jar();
        Requirements.available(MuslProbe.availability());

        Path library = extractLibrary(jar, dir);
        Set<String> symbols = jniSymbols();

        long start = System.nanoTime();
        NativeProbe.Result r = MuslProbe.run(library, symbols);
        System.out.println("musl probe (" + (System.nanoTime() - start) / 1_000_000 + " ms): " + r);

        // The probe really ran under musl: the kernel started musl's loader for it, and no glibc is mapped.
        assertEquals(MuslProbe.LOADER, r.value("interpreter"), r::toString);
        List<String> mapped = r.values("mapped");
        assertTrue(mapped.contains(realPath(Path.of(MuslProbe.LOADER))), () -> "musl's libc is not mapped: " + r);
        assertFalse(mapped.stream().anyMatch(m -> m.contains("libc.so.6") || m.contains("ld-linux")),
                () -> "glibc is mapped into the musl probe: " + r);

        // RTLD_NOW: the load resolved every undefined symbol of the library against musl.
        assertNull(r.error(), r::toString);
        assertEquals(library.toAbsolutePath().toString(), r.loaded(), r::toString);
        assertTrue(mapped.contains(realPath(library)), () -> "the library is not mapped: " + r);
        assertEquals(Set.of(), r.missing(), r::toString);
        assertEquals(symbols, r.found(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    public void theRuntimeLoaderPicksTheMuslLibraryWhenThePlatformIsForced(@TempDir Path dir) {
        Path jar = jar();
        ForcedPlatform.Outcome o = forced(jar, dir.resolve("cache"));
        // Spelled out rather than taken from Platform, so a change of the loader's layout shows here.
        assertEquals("dev/sark/native/" + CLASSIFIER + "/lib" + libName() + ".so", o.entry);

        String host = ForcedPlatform.hostClassifier();
        if ("linux-x86_64".equals(host)) {
            // A glibc JVM cannot run a musl library: its NEEDED libc.so is musl's loader, which glibc does not
            // have (it finds a linker script or nothing). The error proves System.load got the extracted file.
            assertFalse(o.loaded(), () -> "a musl library loaded into a glibc JVM: " + o.result);
            assertTrue(o.error().contains(o.extracted + ": "), o.result::toString);
            assertTrue(o.error().contains("libc.so"), () -> "not the missing-musl-libc error: " + o.result);
        } else if (CLASSIFIER.equals(host)) {
            assertTrue(o.loaded(), () -> "the musl library does not load on this musl JVM: " + o.result);
        }
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toAbsolutePath().toString();
        }
    }
}
