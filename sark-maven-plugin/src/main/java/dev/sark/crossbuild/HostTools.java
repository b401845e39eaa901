package dev.sark.crossbuild;

import dev.sark.loader.Platform;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this machine has: programs on the PATH, rustup toolchains and the standard libraries they carry.
 * Probes run at most once per build and are cached, so checking a large matrix stays cheap.
 */
public class HostTools {
    private final CommandRunner runner;
    private final Path workDir;
    private final Map<String, Optional<String>> rustcVersions = new ConcurrentHashMap<>();
    private final Map<String, Optional<Path>> sysroots = new ConcurrentHashMap<>();
    private final Map<String, String> pathOverride;
    /** The cargo program: {@code cargo} from the PATH, or the pom's {@code <cargoExecutable>}. */
    private final String cargo;
    /** The rustc beside a configured cargo, else {@code rustc} from the PATH. */
    private final String rustc;
    private volatile List<String> toolchains;
    private volatile Boolean engineRunning;
    private final Map<String, Boolean> pythonModules = new ConcurrentHashMap<>();

    public HostTools(CommandRunner runner, Path workDir) {
        this(runner, workDir, null);
    }

    /** {@code env} replaces the process environment for PATH lookups (tests use it to hide or plant tools). */
    public HostTools(CommandRunner runner, Path workDir, Map<String, String> env) {
        this(runner, workDir, env, null);
    }

    /**
     * {@code cargoExecutable}: the cargo to build and probe with instead of the PATH's (its rustc is the one
     * in the same directory, when there is one); null for the PATH's.
     */
    public HostTools(CommandRunner runner, Path workDir, Map<String, String> env, Path cargoExecutable) {
        this.runner = runner;
        this.workDir = workDir;
        this.pathOverride = env;
        this.cargo = cargoExecutable == null ? "cargo" : cargoExecutable.toAbsolutePath().toString();
        Path siblingRustc = cargoExecutable == null ? null
                : cargoExecutable.toAbsolutePath().resolveSibling(cargoExecutable.getFileName().toString().replace("cargo", "rustc"));
        this.rustc = siblingRustc != null && Files.isExecutable(siblingRustc) ? siblingRustc.toString() : "rustc";
    }

    /** The environment of this build: the injected one (tests), else the runner's. */
    public Map<String, String> environment() {
        return pathOverride != null ? pathOverride : runner.environment().variables();
    }

    /** The first line {@code program --version} prints, or empty when it does not run. */
    public Optional<String> versionOf(Path program) {
        CommandRunner.Result r = runner.capture(List.of(program.toString(), "--version"), Map.of(), workDir);
        return r != null && r.succeeded() ? Optional.of(r.firstLine().trim()) : Optional.empty();
    }

    /** The cargo program every command runs. */
    public String cargo() {
        return cargo;
    }

    /** Whether that cargo exists and can run. */
    public boolean cargoAvailable() {
        return onPath(cargo);
    }

    /** The program's file when it is an executable on the PATH. */
    public Optional<Path> findOnPath(String program) {
        Path direct = Path.of(program);
        if (direct.isAbsolute()) {
            return Files.isExecutable(direct) ? Optional.of(direct) : Optional.empty();
        }
        String path = environment().get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : List.of(program, program + ".exe")) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    public boolean onPath(String program) {
        return findOnPath(program).isPresent();
    }

    /** The usual GCC cross linker of the platform ({@link CrossTargetTable}), when it is on the PATH. */
    public Optional<String> installedCrossLinker(Platform platform) {
        return CrossTargetTable.of(platform).map(CrossTargetTable.Entry::linker).filter(this::onPath);
    }

    /** {@code rustc -vV} of a rustup toolchain (null: the default one), or empty when it does not run. */
    public Optional<String> rustcVersion(String toolchain) {
        return rustcVersions.computeIfAbsent(key(toolchain), k -> {
            CommandRunner.Result r = runner.capture(rustc(toolchain, "-V"), Map.of(), workDir);
            return r != null && r.succeeded() ? Optional.of(r.firstLine().trim()) : Optional.empty();
        });
    }

    /** The sysroot of a toolchain: where {@code lib/rustlib/<triple>} holds each target's standard library. */
    public Optional<Path> sysroot(String toolchain) {
        return sysroots.computeIfAbsent(key(toolchain), k -> {
            CommandRunner.Result r = runner.capture(rustc(toolchain, "--print", "sysroot"), Map.of(), workDir);
            return r != null && r.succeeded() ? Optional.of(Path.of(r.firstLine().trim())) : Optional.empty();
        });
    }

    /** Whether the toolchain carries a compiled standard library for the triple. */
    public boolean hasStandardLibrary(String toolchain, String triple) {
        return sysroot(toolchain).map(s -> containsStd(s.resolve("lib/rustlib").resolve(triple).resolve("lib")))
                .orElse(false);
    }

    /** Names of the installed rustup toolchains, the default first; empty without rustup. */
    public List<String> rustupToolchains() {
        if (toolchains == null) {
            CommandRunner.Result r = runner.capture(List.of("rustup", "toolchain", "list"), Map.of(), workDir);
            List<String> names = new ArrayList<>();
            if (r != null && r.succeeded()) {
                for (String line : r.output()) {
                    String name = line.trim().split("\\s+")[0];
                    if (name.isEmpty() || name.startsWith("no ")) {
                        continue;
                    }
                    if (line.contains("(default)") || line.contains("(active, default)")) {
                        names.add(0, name);
                    } else {
                        names.add(name);
                    }
                }
            }
            toolchains = List.copyOf(names);
        }
        return toolchains;
    }

    /**
     * The rustup toolchain for a target: {@code preferred} when the pom names one; else the default (null)
     * when it has the target's standard library; else the first other installed toolchain that has it
     * (such as the one scripts/install-toolchains.sh links); else null, and the caller reports what is missing.
     */
    public String toolchainFor(String preferred, String triple) {
        if (preferred != null || hasStandardLibrary(null, triple)) {
            return preferred;
        }
        return rustupToolchains().stream().skip(1).filter(t -> hasStandardLibrary(t, triple)).findFirst().orElse(null);
    }

    /** Whether the toolchain carries the standard library's source, which {@code -Zbuild-std} compiles. */
    public boolean hasStandardLibrarySource(String toolchain) {
        return sysroot(toolchain).map(s -> Files.isDirectory(s.resolve("lib/rustlib/src/rust/library/std"))).orElse(false);
    }

    /** The first rustup toolchain (the default first) that carries the standard library's source, or empty. */
    public Optional<String> toolchainWithStandardLibrarySource(String preferred) {
        if (preferred != null) {
            return hasStandardLibrarySource(preferred) ? Optional.of(preferred) : Optional.empty();
        }
        return rustupToolchains().stream().filter(this::hasStandardLibrarySource).findFirst();
    }

    /** Whether {@code python3 -m MODULE} would find the module (pip's ziglang brings zig this way). */
    public boolean pythonModuleInstalled(String module) {
        return pythonModules.computeIfAbsent(module, m -> {
            CommandRunner.Result r = runner.capture(List.of("python3", "-c", "import " + m), Map.of(), workDir);
            return r != null && r.succeeded();
        });
    }

    /** Whether cargo-zigbuild can run: it is on the PATH and finds zig (on the PATH, or pip's ziglang module). */
    public boolean zigbuildAvailable() {
        return onPath("cargo-zigbuild") && (onPath("zig") || pythonModuleInstalled("ziglang"));
    }

    /** Whether a Docker (or Podman) engine answers, which cross needs; a client alone is not enough. */
    public boolean containerEngineRunning() {
        if (engineRunning == null) {
            boolean running = false;
            for (String engine : List.of("docker", "podman")) {
                if (onPath(engine)) {
                    CommandRunner.Result r = runner.capture(List.of(engine, "info"), Map.of(), workDir);
                    running |= r != null && r.succeeded();
                }
            }
            engineRunning = running;
        }
        return engineRunning;
    }

    /** The triples the default toolchain's rustc knows ({@code rustc --print target-list}); empty when rustc does not run. */
    public Optional<Set<String>> rustcTargets() {
        CommandRunner.Result r = runner.capture(List.of(rustc, "--print", "target-list"), Map.of(), workDir);
        if (r == null || !r.succeeded()) {
            return Optional.empty();
        }
        Set<String> triples = new TreeSet<>();
        r.output().stream().map(String::trim).filter(l -> !l.isEmpty()).forEach(triples::add);
        return triples.isEmpty() ? Optional.empty() : Optional.of(triples);
    }

    /** The host triple of the default toolchain ({@code host:} line of {@code rustc -vV}). */
    public Optional<String> hostTriple() {
        CommandRunner.Result r = runner.capture(List.of(rustc, "-vV"), Map.of(), workDir);
        if (r == null || !r.succeeded()) {
            return Optional.empty();
        }
        return r.output().stream().filter(l -> l.startsWith("host:")).map(l -> l.substring(5).trim()).findFirst();
    }

    private static boolean containsStd(Path libDir) {
        if (!Files.isDirectory(libDir)) {
            return false;
        }
        try (var files = Files.list(libDir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("libstd-"));
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> rustc(String toolchain, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(rustc);
        if (toolchain != null) {
            cmd.add("+" + toolchain);
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String key(String toolchain) {
        return toolchain == null ? "" : toolchain;
    }
}
