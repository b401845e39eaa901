package dev.sark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the tests in a JVM of its own: for tests whose failure would be the process dying (an
 * abort, a stack overflow, a stall), which must not take the test JVM with it. The child gets the tests' class
 * path, no JAVA_TOOL_OPTIONS, a time bound, and optionally a cap on its address space (Linux, {@code ulimit -v})
 * so that running out of native memory is real. Its output (stdout and stderr together) is returned.
 */
public final class ChildJvm {
    /** How the child ended: within the time bound or not, its exit code, and everything it printed. */
    public record Outcome(boolean finished, int exitCode, String output) {
        /** 134 is an abort (SIGABRT), 139 a segmentation fault, e.g. a native stack overflow. */
        public String describe() {
            return (finished ? "exit code " + exitCode : "did not finish") + ", output:\n" + output;
        }
    }

    private final Path java;
    private final List<String> options = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private long addressSpaceKib;

    private ChildJvm(Path java) {
        this.java = java;
    }

    /** A child of the JVM running the tests. */
    public static ChildJvm ofThisJvm() {
        return of(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** A child of another installed JVM ({@code bin/java}). */
    public static ChildJvm of(Path java) {
        return new ChildJvm(java);
    }

    public ChildJvm options(String... jvmOptions) {
        options.addAll(List.of(jvmOptions));
        return this;
    }

    public ChildJvm environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Caps the child's virtual address space (Linux {@code ulimit -v}); its own reservations count too. */
    public ChildJvm addressSpaceKib(long kib) {
        this.addressSpaceKib = kib;
        return this;
    }

    /** Runs {@code main} with {@code args}; a child still running after {@code timeout} is killed. */
    public Outcome run(Class<?> main, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (addressSpaceKib > 0) {
            command.addAll(List.of("/bin/sh", "-c", "ulimit -v " + addressSpaceKib + " && exec \"$@\"", "sh"));
        }
        command.add(java.toString());
        command.addAll(options);
        // surefire runs the tests through a manifest-only JAR and names the real class path here
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("child-jvm", ".log");
        try {
            ProcessBuilder launcher = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            launcher.environment().remove("JAVA_TOOL_OPTIONS");
            launcher.environment().putAll(environment);
            Process child = launcher.start();
            boolean finished = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly().waitFor();
            }
            return new Outcome(finished, finished ? child.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
