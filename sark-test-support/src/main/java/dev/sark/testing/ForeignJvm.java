package dev.sark.testing;

import dev.sark.loader.NativeLoader;
import dev.sark.loader.Platform;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Debian OpenJDK of another architecture, unpacked by {@code scripts/install-toolchains.sh jvms} and
 * run through qemu-user: the way the test suite proves that a cross-built library really loads and works
 * in a JVM of its target platform.
 */
public final class ForeignJvm {
    private final Platform platform;
    private final Path root;
    private final Path java;
    private final String qemu;

    private ForeignJvm(Platform platform, Path root, Path java, String qemu) {
        this.platform = platform;
        this.root = root;
        this.java = java;
        this.qemu = qemu;
    }

    /** Where the install script puts things ({@code $SARK_HOME}, default {@code ~/.cache/sark}). */
    public static Path sarkHome() {
        String env = System.getenv("SARK_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "sark");
    }

    /**
     * The JVM for a Linux platform, or an error message that says what is missing and how to install it.
     */
    public static ForeignJvm forPlatform(Platform platform) {
        String debArch;
        String qemu;
        if (platform.os() == Platform.Os.LINUX && platform.libc() == Platform.Libc.GLIBC
                && platform.arch() == Platform.Arch.AARCH_64) {
            debArch = "arm64";
            qemu = "qemu-aarch64-static";
        } else if (platform.os() == Platform.Os.LINUX && platform.libc() == Platform.Libc.GLIBC
                && platform.arch() == Platform.Arch.ARM_32 && platform.hardFloat()) {
            debArch = "armhf";
            qemu = "qemu-arm-static";
        } else {
            throw new IllegalArgumentException("no foreign JVM is set up for " + platform);
        }
        Path root = sarkHome().resolve("jvm").resolve(debArch);
        Path java = root.resolve("usr/lib/jvm/java-17-openjdk-" + debArch + "/bin/java");
        if (!Files.isExecutable(java) || onPath(qemu).isEmpty()) {
            throw new IllegalStateException("No " + debArch + " JVM under qemu-user here (" + java + ", " + qemu
                    + "): run scripts/install-toolchains.sh jvms");
        }
        return new ForeignJvm(platform, root, java, qemu);
    }

    /**
     * Runs {@code probe} in the JVM of {@code classifier}'s architecture with only the loader, the code
     * sources of {@code anchors} (the module's API classes), the module's classifier JAR for {@code classifier}
     * and the probe on the class path, so the library can only come from that JAR through the loader, which
     * extracts it to {@code cacheDir}; with {@code -Xshare:off}. Prints how long the run took and what it
     * printed.
     *
     * <p>The JAR is the one {@code sark:cross-build} wrote to {@code target/}; without it the calling test is
     * skipped, or fails under {@code -Dsark.requireAll} ({@link Requirements#classifierJar}). Without the
     * foreign JVM, {@link #forPlatform} throws.
     */
    public static Result runProbe(String classifier, Path cacheDir, List<Class<?>> anchors, Class<?> probe) {
        Path jar = Requirements.classifierJar(Path.of("target"), classifier);
        ForeignJvm jvm = forPlatform(Platform.fromClassifier(classifier));

        List<Path> classPath = new ArrayList<>();
        classPath.add(codeSource(NativeLoader.class));
        anchors.forEach(a -> classPath.add(codeSource(a)));
        classPath.add(jar);
        classPath.add(codeSource(probe));
        long start = System.nanoTime();
        Result r = jvm.run(classPath, List.of("-Dsark.native.cacheDir=" + cacheDir, "-Xshare:off"), probe.getName());
        System.out.println(classifier + " JVM under qemu (" + (System.nanoTime() - start) / 1_000_000 + " ms):\n" + r);
        return r;
    }

    /** What a run printed, and how it ended. */
    public static final class Result {
        public final int exitCode;
        public final String stdout;
        public final String stderr;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** The value of a {@code key=value} line printed by the probe, or null. */
        public String value(String key) {
            return stdout.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs {@code mainClass} with the class path and system properties given, waiting at most two minutes. */
    public Result run(List<Path> classPath, List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(qemu, "-L", root.toString(), java.toString()));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("foreign-jvm", ".out");
            Path err = Files.createTempFile("foreign-jvm", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the " + platform + " JVM did not finish in 2 minutes: " + cmd);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where a class was loaded from: a JAR or a classes directory, to rebuild a class path for the child JVM. */
    public static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot tell where " + type + " was loaded from", e);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
