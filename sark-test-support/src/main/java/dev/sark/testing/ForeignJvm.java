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
 * A Debian OpenJDK unpacked by {@code scripts/install-toolchains.sh} with the C library of its release, run
 * through qemu-user for another architecture or through its own dynamic loader for the host's: the way the
 * test suite proves that a cross-built library really loads and works in a JVM of its target platform, and
 * on an older userland than the build machine's.
 */
public final class ForeignJvm {
    /** Which Debian release's JVM and C library. */
    public enum Userland {
        /** Debian 12, the build machine's own release: {@code jvms} component, under qemu-user. */
        BOOKWORM("", "12"),
        /** Debian 11, glibc 2.31: {@code bullseye} component, for the libraries' glibc floor. */
        BULLSEYE("bullseye-", "11");

        private final String rootPrefix;
        private final String debianRelease;

        Userland(String rootPrefix, String debianRelease) {
            this.rootPrefix = rootPrefix;
            this.debianRelease = debianRelease;
        }

        String component() {
            return this == BOOKWORM ? "jvms" : "bullseye";
        }

        @Override
        public String toString() {
            return "Debian " + debianRelease;
        }
    }

    private final Platform platform;
    private final Path root;
    private final List<String> launcher;

    private ForeignJvm(Platform platform, Path root, List<String> launcher) {
        this.platform = platform;
        this.root = root;
        this.launcher = launcher;
    }

    /** Where the install script puts things ({@code $SARK_HOME}, default {@code ~/.cache/sark}). */
    public static Path sarkHome() {
        String env = System.getenv("SARK_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "sark");
    }

    /**
     * The Debian 12 JVM for a foreign Linux platform, or an error message that says what is missing and how
     * to install it.
     */
    public static ForeignJvm forPlatform(Platform platform) {
        return forPlatform(platform, Userland.BOOKWORM);
    }

    /**
     * The JVM of {@code userland} for a Linux glibc platform: under qemu-user with the root as its file
     * system prefix for arm64 and armhf; for x86_64 (Debian 11 only) started by the root's own dynamic
     * loader with the root's libraries first, so the JVM and the library under test run on that release's
     * C library. Throws with the install command when the root or qemu is missing.
     */
    public static ForeignJvm forPlatform(Platform platform, Userland userland) {
        if (platform.os() != Platform.Os.LINUX || platform.libc() != Platform.Libc.GLIBC
                || platform.arch() == Platform.Arch.ARM_32 && !platform.hardFloat()) {
            throw new IllegalArgumentException("no " + userland + " JVM is set up for " + platform);
        }
        String debArch;
        String qemu = null;
        switch (platform.arch()) {
            case AARCH_64:
                debArch = "arm64";
                qemu = "qemu-aarch64-static";
                break;
            case ARM_32:
                debArch = "armhf";
                qemu = "qemu-arm-static";
                break;
            case X86_64:
                if (userland == Userland.BOOKWORM) {
                    throw new IllegalArgumentException("the host JVM is the Debian 12 JVM for " + platform);
                }
                debArch = "amd64";
                break;
            default:
                throw new IllegalArgumentException("no " + userland + " JVM is set up for " + platform);
        }
        Path root = sarkHome().resolve("jvm").resolve(userland.rootPrefix + debArch);
        Path java = root.resolve("usr/lib/jvm/java-17-openjdk-" + debArch + "/bin/java");
        String install = "run scripts/install-toolchains.sh " + userland.component();
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("No " + userland + " " + debArch + " JVM here (" + java + "): " + install);
        }
        if (qemu == null) {
            Path loader = root.resolve("lib64/ld-linux-x86-64.so.2");
            String libraries = root.resolve("lib/x86_64-linux-gnu") + File.pathSeparator
                    + root.resolve("usr/lib/x86_64-linux-gnu");
            return new ForeignJvm(platform, root, List.of(loader.toString(), "--library-path", libraries, java.toString()));
        }
        if (onPath(qemu).isEmpty()) {
            throw new IllegalStateException("No " + qemu + " here to run the " + debArch + " JVM: " + install);
        }
        return new ForeignJvm(platform, root, List.of(qemu, "-L", root.toString(), java.toString()));
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
        return runProbe(classifier, Userland.BOOKWORM, cacheDir, anchors, probe);
    }

    /** {@link #runProbe(String, Path, List, Class)} in the JVM of {@code userland}. */
    public static Result runProbe(String classifier, Userland userland, Path cacheDir, List<Class<?>> anchors,
                                  Class<?> probe) {
        Path jar = Requirements.classifierJar(Path.of("target"), classifier);
        ForeignJvm jvm = forPlatform(Platform.fromClassifier(classifier), userland);

        List<Path> classPath = new ArrayList<>();
        classPath.add(codeSource(NativeLoader.class));
        classPath.add(codeSource(ProcessFacts.class)); // this module: no native code, only what probes print
        anchors.forEach(a -> classPath.add(codeSource(a)));
        classPath.add(jar);
        classPath.add(codeSource(probe));
        long start = System.nanoTime();
        Result r = jvm.run(classPath, List.of("-Dsark.native.cacheDir=" + cacheDir, "-Xshare:off"), probe.getName());
        System.out.println(classifier + " " + userland + " JVM (" + (System.nanoTime() - start) / 1_000_000 + " ms):\n" + r);
        return r;
    }

    /** The root file system the JVM and its C library come from. */
    public Path root() {
        return root;
    }

    /** What a run printed, and how it ended. */
    public static final class Result {
        public final int exitCode;
        public final String stdout;
        public final String stderr;
        /** The root of the JVM that ran, or null for the host's. */
        private final Path root;

        Result(int exitCode, String stdout, String stderr, Path root) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.root = root;
        }

        /**
         * Whether the probe ran on glibc {@code version} from its JVM's root, judged by the {@code libc=} fact
         * it printed ({@link ProcessFacts#mappedCLibrary()}): proof that the intended userland ran it.
         */
        public boolean ranOnGlibcOfItsRoot(String version) {
            String libc = value("libc");
            return root != null && libc != null && libc.startsWith(root.toString() + "/")
                    && libc.endsWith("/libc-" + version + ".so");
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
        List<String> cmd = new ArrayList<>(launcher);
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
                        Files.readString(err, StandardCharsets.UTF_8), root);
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
