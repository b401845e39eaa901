package dev.sark.opa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sark.loader.NativeLoader;
import dev.sark.testing.ForcedPlatform;
import dev.sark.testing.ForeignJvm;
import dev.sark.testing.HostJvm;
import dev.sark.testing.ProcessFacts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@link PolicyProbe} in a JVM of each cross target's architecture (Debian's OpenJDK under qemu-user)
 * with only the loader, the API classes, the classifier JAR and the probe on the class path: real policy
 * decisions, data, errors and Unicode through the cross-built library. The host run checks the same facts,
 * so a foreign failure is the library's and not the probe's.
 */
class ForeignJvmPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"linux-aarch_64", "linux-arm_32"})
    void policiesWorkInAForeignJvm(String classifier, @TempDir Path cacheDir) {
        // Skipped in a partial local build without the cross toolchain; a failure under -Dsark.requireAll.
        ForeignJvm.Result r = ForeignJvm.runProbe(classifier, cacheDir, List.of(PolicyEngine.class), PolicyProbe.class);
        assertDecisions(classifier, r);
    }

    /**
     * The linux-gnu libraries are linked for glibc 2.17: they make the same decisions in Debian 11's OpenJDK on
     * Debian 11's C library (glibc 2.31, older than the build machine's), through its own loader for x86_64 and
     * under qemu-user for the others.
     */
    @ParameterizedTest
    @ValueSource(strings = {"linux-x86_64", "linux-aarch_64", "linux-arm_32"})
    void policiesWorkOnDebian11(String classifier, @TempDir Path cacheDir) {
        ForeignJvm.Result r = ForeignJvm.runProbe(classifier, ForeignJvm.Userland.BULLSEYE, cacheDir,
                List.of(PolicyEngine.class), PolicyProbe.class);
        assertDecisions(classifier, r);
        assertTrue(r.ranOnGlibcOfItsRoot("2.31"), "not on Debian 11's glibc 2.31: " + r);
    }

    @Test
    void theProbesFactsHoldOnTheHost(@TempDir Path cacheDir) {
        String host = ForcedPlatform.hostClassifier();
        // The host library is in target/test-classes (sark:cross-build puts it there for the tests).
        ForeignJvm.Result r = HostJvm.run(
                List.of(ForeignJvm.codeSource(NativeLoader.class), ForeignJvm.codeSource(PolicyEngine.class),
                        ForeignJvm.codeSource(PolicyProbe.class), ForeignJvm.codeSource(ProcessFacts.class)),
                List.of("-Dsark.native.cacheDir=" + cacheDir),
                PolicyProbe.class.getName());
        assertDecisions(host, r);
    }

    private static void assertDecisions(String classifier, ForeignJvm.Result r) {
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(classifier, r.value("platform"), r.toString());

        assertEquals("true", r.value("hasPolicy"), r.toString());
        assertEquals("false", r.value("hasOther"), r.toString());
        assertEquals("[rbac]", r.value("policies"), r.toString());

        // RBAC with the roles in data: alice (admin) may delete, guest (viewer) may only read.
        assertEquals("true", r.value("adminAllowed"), r.toString());
        assertEquals("false", r.value("guestAllowed"), r.toString());
        assertEquals("true", r.value("guestRead"), r.toString());
        assertEquals("[\"guest may not delete\"]", r.value("guestDeny"), r.toString());
        assertEquals("[]", r.value("adminDeny"), r.toString());

        // Any expression is a query.
        assertEquals("42", r.value("expression"), r.toString());

        // NUL and a surrogate pair cross JNI both ways unchanged (UTF-8 byte[], not modified UTF-8).
        String json = "\"" + PolicyProbe.UNICODE.replace("\u0000", "\\u0000") + "\"";
        assertEquals(PolicyProbe.ascii(json), r.value("unicode"), r.toString());
        assertEquals("true", r.value("unicodeRoundTrip"), r.toString());

        // Errors become the API's exceptions, with regorus' message: policy name, line and column.
        assertContains(r, "compileError", "broken:5:1");
        assertContains(r, "compileError", "error:");
        assertEquals("false", r.value("hasBroken"), r.toString());
        assertContains(r, "v0Error", "old:3:7");
        assertContains(r, "v0Error", "`if` keyword is required");
        assertEquals("{\"result\":[]}", r.value("lenientDivision"), r.toString());
        assertContains(r, "evaluationError", ":1:9");
        assertContains(r, "evaluationError", "divide by zero");

        // The failed loads left the engine answering with the previous policies.
        assertEquals("true", r.value("stillAllowed"), r.toString());
    }

    private static void assertContains(ForeignJvm.Result r, String key, String part) {
        String value = r.value(key);
        assertTrue(value != null && value.contains(part), () -> key + " does not contain '" + part + "': " + r);
    }
}
