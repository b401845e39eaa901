package dev.sark.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What {@link MuslProbe} and {@link WineProbe} share: the result of running a small C program that loads a
 * library with a foreign platform's own loader and looks up symbols in it, and the plumbing to compile and
 * run such programs.
 *
 * <p>The programs ({@code dlopen_probe.c}, {@code loadlibrary_probe.c} next to this class) print one fact
 * per line, {@code <key> <value>}: {@code loaded <path>} or {@code error <message>}, then {@code found
 * <symbol>} or {@code missing <symbol>} for each symbol asked for, plus facts about the process they ran in
 * (which dynamic loader, which files were mapped). They exit 0 only when the library loaded and every symbol
 * was found, 1 when a symbol is missing, 2 when the library did not load.
 */
public final class NativeProbe {

    /** The longest a probe (compiler or program) may run. */
    static final long TIMEOUT_MINUTES = 2;

    private NativeProbe() {
    }

    /** What a probe printed, and how it ended. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final String stdout;
        private final String stderr;
        private final List<String> notes;

        Result(List<String> command, int exitCode, String stdout, String stderr, List<String> notes) {
            this.command = List.copyOf(command);
            this.exitCode = exitCode;
            this.stdout = stdout.replace("\r\n", "\n"); // Windows programs print CRLF, also under wine
            this.stderr = stderr;
            this.notes = List.copyOf(notes);
        }

        public int exitCode() {
            return exitCode;
        }

        public String stdout() {
            return stdout;
        }

        public String stderr() {
            return stderr;
        }

        /** The command that ran the probe. */
        public List<String> command() {
            return command;
        }

        /**
         * What the probe's environment added and a reader of the result must know, e.g. a stand-in DLL that
         * an old Wine lacks.
         */
        public List<String> notes() {
            return notes;
        }

        /** The values of every {@code <key> <value>} line, in order. */
        public List<String> values(String key) {
            String prefix = key + " ";
            return stdout.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .collect(Collectors.toList());
        }

        /** The value of the first {@code <key> <value>} line, or null. */
        public String value(String key) {
            List<String> v = values(key);
            return v.isEmpty() ? null : v.get(0);
        }

        /** The symbols the probe found in the library. */
        public Set<String> found() {
            return Collections.unmodifiableSet(new LinkedHashSet<>(values("found")));
        }

        /** The symbols the probe looked for and did not find. */
        public Set<String> missing() {
            return Collections.unmodifiableSet(new LinkedHashSet<>(values("missing")));
        }

        /** The path the library was loaded from, as the probe passed it to the loader; null when it did not load. */
        public String loaded() {
            return value("loaded");
        }

        /** The loader's error when the library did not load, else null. */
        public String error() {
            return value("error");
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("exit ").append(exitCode).append(" of ").append(String.join(" ", command));
            for (String n : notes) {
                s.append("\nnote: ").append(n);
            }
            return s.append("\n--- stdout\n").append(stdout).append("--- stderr\n").append(stderr).toString();
        }
    }

    /** What a process printed and its exit code. */
    static final class Exec {
        final int exitCode;
        final String stdout;
        final String stderr;

        Exec(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    /**
     * Runs {@code command}, output going to files (a daemon the program leaves behind, like wineserver,
     * cannot keep a pipe open and hang the caller), for at most {@link #TIMEOUT_MINUTES} minutes.
     *
     * @param environment variables to set; a null value removes the variable
     */
    static Exec exec(List<String> command, Map<String, String> environment, Path workDir) {
        try {
            Path out = Files.createTempFile("sark-probe", ".out");
            Path err = Files.createTempFile("sark-probe", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (workDir != null) {
                    pb.directory(workDir.toFile());
                }
                environment.forEach((k, v) -> {
                    if (v == null) {
                        pb.environment().remove(k);
                    } else {
                        pb.environment().put(k, v);
                    }
                });
                Process p = pb.start();
                if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IllegalStateException("did not finish in " + TIMEOUT_MINUTES + " minutes: " + command
                            + "\n--- stdout so far\n" + Files.readString(out, StandardCharsets.UTF_8)
                            + "--- stderr so far\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * Compiles the C source {@code resource} (next to this class) with {@code compiler} into {@code output},
     * failing with the compiler's messages.
     */
    static void compile(String compiler, String resource, Path output, List<String> extraArgs) {
        Path source = output.resolveSibling(resource);
        try (InputStream in = NativeProbe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing next to " + NativeProbe.class.getName());
            }
            Files.copy(in, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + source, e);
        }
        List<String> cmd = new ArrayList<>(List.of(compiler, "-O2", "-Wall", "-o", output.toString(), source.toString()));
        cmd.addAll(extraArgs);
        Exec r = exec(cmd, Map.of(), output.getParent());
        if (r.exitCode != 0 || !Files.isRegularFile(output)) {
            throw new IllegalStateException("compiling " + resource + " failed (exit " + r.exitCode + "): " + cmd
                    + "\n" + r.stdout + r.stderr);
        }
    }

    /** A new temporary directory, deleted (without following links) when the JVM exits. */
    static Path tempDirectoryDeletedOnExit(String prefix) {
        return tempDirectoryDeletedOnExit(prefix, dir -> { });
    }

    /**
     * Like {@link #tempDirectoryDeletedOnExit(String)}, running {@code beforeDelete} first in the same shutdown
     * hook (hooks run concurrently, so separate hooks would race).
     */
    static Path tempDirectoryDeletedOnExit(String prefix, Consumer<Path> beforeDelete) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    beforeDelete.accept(dir);
                } finally {
                    deleteTree(dir);
                }
            }, "delete " + dir));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * Deletes {@code dir} and everything in it, best effort. Symbolic links are deleted, never followed (a
     * wine prefix links {@code dosdevices/z:} to {@code /}).
     */
    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** A program found as a file or on PATH. */
    static Optional<Path> program(String... candidates) {
        for (String c : candidates) {
            if (c.contains("/")) {
                Path p = Path.of(c);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
                continue;
            }
            String path = System.getenv("PATH");
            if (path == null) {
                continue;
            }
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, c);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    static boolean hostIsLinuxX86_64() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        return os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
