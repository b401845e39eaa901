package dev.sark.crossbuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared fixtures: crates written to a temporary directory, a collecting log, a HostTools that probes nothing. */
final class TestSupport {
    private TestSupport() {
    }

    /** Writes {@code dir/Cargo.toml} for a cdylib crate and a {@code src/lib.rs}; returns the manifest. */
    static Path writeCdylibCrate(Path dir, String packageName) throws IOException {
        return writeCdylibCrate(dir, packageName, "");
    }

    /** The same, with {@code packageLines} (such as {@code rust-version = "1.95"\n}) added to {@code [package]}. */
    static Path writeCdylibCrate(Path dir, String packageName, String packageLines) throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/lib.rs"), "pub fn f() {}\n");
        return Files.writeString(dir.resolve("Cargo.toml"), "[package]\nname = \"" + packageName + "\"\n"
                + "version = \"0.1.0\"\nedition = \"2021\"\n" + packageLines + "\n[lib]\ncrate-type = [\"cdylib\"]\n");
    }

    /** Writes an executable file (a shell script, or a stand-in for a tool on the PATH). */
    static Path writeExecutable(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A log that keeps every line, prefixed with its level. */
    static final class RecordingLog implements BuildLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void info(String message) {
            lines.add("INFO " + message);
        }

        @Override
        public synchronized void warn(String message) {
            lines.add("WARN " + message);
        }

        @Override
        public synchronized void error(String message) {
            lines.add("ERROR " + message);
        }

        synchronized List<String> messages() {
            List<String> m = new ArrayList<>();
            for (String l : lines) {
                m.add(l.substring(l.indexOf(' ') + 1));
            }
            return m;
        }
    }

    /**
     * Host tools whose PATH is a given map's and whose rustc answers are fixed: no rustc or rustup runs.
     * The default toolchain (null) has the standard libraries of {@code triplesWithStd}; {@link #withToolchain}
     * adds other installed toolchains.
     */
    static class FakeHostTools extends HostTools {
        private final Optional<String> rustc;
        private final Map<String, List<String>> stdByToolchain = new LinkedHashMap<>();
        private final Map<String, String> rustcByToolchain = new LinkedHashMap<>();

        FakeHostTools(Map<String, String> env, String rustcVersion, List<String> triplesWithStd) {
            super(new CommandRunner(), Path.of("."), env);
            this.rustc = Optional.ofNullable(rustcVersion);
            stdByToolchain.put("", triplesWithStd);
        }

        /** Another installed rustup toolchain, with the standard libraries of {@code triples}. */
        FakeHostTools withToolchain(String name, String... triples) {
            stdByToolchain.put(name, List.of(triples));
            return this;
        }

        /** The {@code rustc -V} line of a toolchain (null: the default), instead of the one given to all. */
        FakeHostTools withRustc(String toolchain, String rustcVersion) {
            String key = toolchain == null ? "" : toolchain;
            stdByToolchain.putIfAbsent(key, List.of());
            rustcByToolchain.put(key, rustcVersion);
            return this;
        }

        @Override
        public Optional<String> rustcVersion(String toolchain) {
            String key = toolchain == null ? "" : toolchain;
            if (rustcByToolchain.containsKey(key)) {
                return Optional.of(rustcByToolchain.get(key));
            }
            return stdByToolchain.containsKey(key) ? rustc : Optional.empty();
        }

        @Override
        public boolean hasStandardLibrary(String toolchain, String triple) {
            return stdByToolchain.getOrDefault(toolchain == null ? "" : toolchain, List.of()).contains(triple);
        }

        @Override
        public List<String> rustupToolchains() {
            List<String> names = new ArrayList<>();
            names.add("stable"); // the default
            stdByToolchain.keySet().stream().filter(k -> !k.isEmpty()).forEach(names::add);
            return names;
        }

        @Override
        public Optional<String> hostTriple() {
            return Optional.of("x86_64-unknown-linux-gnu");
        }
    }
}
