package dev.sark.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader jar in a parent class loader and one API class per web application, each in its own child
 * class loader, as in Tomcat or a redeploy: every application's native methods must work, with a real JNI
 * library compiled here.
 */
class ApplicationServerLayoutTest {

    private static final String LIB = "sark_appserver_fixture";

    @TempDir
    Path tmp;

    @AfterEach
    void clearProperties() {
        System.clearProperty(ExtractionDirectories.EXTRACT_DIR_PROPERTY);
    }

    @Test
    void everyWebApplicationGetsWorkingNativeMethods() throws Exception {
        Path classes = webApplicationClasses();
        assumeTrue(classes != null, "needs Linux, a C compiler and a JDK's javac");
        System.setProperty(ExtractionDirectories.EXTRACT_DIR_PROPERTY, tmp.resolve("extract").toString());
        for (int app = 1; app <= 3; app++) { // three deployments: the first two stay alive, like a redeploy before GC
            try (URLClassLoader webapp = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
                Class<?> api = webapp.loadClass("fixture.Answer");
                assertEquals(42 + app, (int) api.getMethod("answerPlus", int.class).invoke(null, app),
                        "native method of deployment " + app);
            }
        }
    }

    /** A class path directory with fixture.Answer (native methods, loads through NativeLoader) and its library. */
    private Path webApplicationClasses() throws IOException, InterruptedException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path include = Paths.get(System.getProperty("java.home"), "include");
        if (!System.getProperty("os.name").startsWith("Linux") || javac == null || !Files.isRegularFile(include.resolve("jni.h"))) {
            return null;
        }
        Path src = Files.createDirectories(tmp.resolve("src/fixture"));
        Files.writeString(src.resolve("Answer.java"), String.join("\n",
                "package fixture;",
                "public final class Answer {",
                "    static { dev.sark.loader.NativeLoader.load(java.lang.invoke.MethodHandles.lookup(), \"" + LIB + "\"); }",
                "    public static native int answerPlus(int n);",
                "}"));
        Path classes = tmp.resolve("classes");
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.resolve("Answer.java").toString());
        if (rc != 0) {
            return null;
        }
        Path c = Files.writeString(tmp.resolve("answer.c"), String.join("\n",
                "#include <jni.h>",
                "JNIEXPORT jint JNICALL Java_fixture_Answer_answerPlus(JNIEnv *env, jclass cls, jint n) { return 42 + n; }"));
        Path so = classes.resolve(Platform.current().resourcePath(LIB));
        Files.createDirectories(so.getParent());
        Process p;
        try {
            p = new ProcessBuilder(List.of("cc", "-shared", "-fPIC", "-I" + include, "-I" + include.resolve("linux"),
                    "-o", so.toString(), c.toString())).inheritIO().start();
        } catch (IOException noCompiler) {
            return null;
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return null;
        }
        return classes;
    }
}
