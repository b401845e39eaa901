package dev.sark.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JVM running the tests, started again as a child process with a class path of the test's choosing:
 * the way to check what the loader does with exactly one set of JARs and system properties, away from the
 * test JVM's own class path and already-loaded libraries.
 */
public final class HostJvm {

    private HostJvm() {
    }

    /** {@code java.home}'s {@code bin/java}. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Runs {@code mainClass} with the class path and JVM options given, waiting at most two minutes. */
    public static ForeignJvm.Result run(List<Path> classPath, List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java().toString()));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        // JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS of the build (e.g. an agent) must not change what the child does.
        Map<String, String> env = new java.util.HashMap<>();
        env.put("JAVA_TOOL_OPTIONS", null);
        env.put("JDK_JAVA_OPTIONS", null);
        NativeProbe.Exec r = NativeProbe.exec(cmd, env, null);
        return new ForeignJvm.Result(r.exitCode, r.stdout, r.stderr, null);
    }
}
