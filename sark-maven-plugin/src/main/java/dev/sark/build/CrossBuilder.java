package dev.sark.build;

import dev.sark.build.check.BinaryFacts;
import dev.sark.build.check.LibraryVerifier;
import dev.sark.loader.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds every target of the matrix in turn, checks and stages each library, and writes its classifier JAR.
 * A failed target does not stop the others, so one run reports every problem; the caller decides whether
 * the failures break the build.
 */
public final class CrossBuilder {
    private final BuildContext context;
    private final StrategySelector selector;
    private final HostTools tools;
    private final CommandRunner runner;
    private final BuildLog log;

    public CrossBuilder(BuildContext context, StrategySelector selector, HostTools tools, CommandRunner runner,
                        BuildLog log) {
        this.context = context;
        this.selector = selector;
        this.tools = tools;
        this.runner = runner;
        this.log = log;
    }

    /** Where one target's outputs go: the classifier JAR, and a staging directory laid out as class path resources. */
    public static final class Outputs {
        final Path jar;
        final Path stagingDir;

        public Outputs(Path jar, Path stagingDir) {
            this.jar = jar;
            this.stagingDir = stagingDir;
        }

        /** A directory that, put on a class path, holds the library where the runtime loader looks. */
        public Path resourceRoot() {
            return stagingDir.resolve("resources");
        }

        Path stagedLibrary(TargetSpec target, String libName) {
            return resourceRoot().resolve(target.platform().resourcePath(libName));
        }

        BuildStamp stamp() {
            return new BuildStamp(stagingDir.resolve("build-stamp.properties"));
        }
    }

    /** Decides the outputs of a target; the Mojo names them after the project's finalName. */
    public interface OutputLayout {
        Outputs outputsFor(TargetSpec target);
    }

    public List<TargetResult> buildAll(List<TargetSpec> targets, OutputLayout layout) {
        checkClassifiersUnique(targets);
        List<TargetResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetSpec target = targets.get(i);
            String progress = "(" + (i + 1) + "/" + targets.size() + ") " + target.triple();
            results.add(buildOne(target, layout.outputsFor(target), progress));
        }
        return results;
    }

    private TargetResult buildOne(TargetSpec target, Outputs out, String progress) {
        String libName = context.crate().libName();
        StrategySelector.Selection selection = selector.select(target);
        if (selection.strategy == null) {
            discard(out, target);
            String why = String.join("; ", selection.reasons);
            log.warn(progress + ": cannot be built here: " + why);
            return TargetResult.unavailable(target, "no toolchain strategy can build it here: " + why);
        }
        ToolchainStrategy strategy = selection.strategy;
        CargoInvocation invocation = strategy.invocation(target, context);
        String tool = invocation.label();
        if (!selection.reasons.isEmpty()) {
            log.info(progress + ": auto picked " + strategy.kind().pomName() + " (" + String.join("; ", selection.reasons) + ")");
        }
        String rustc = tools.rustcVersion(invocation.rustupToolchain()).orElse("unknown");
        List<Path> manifests = manifestFiles();
        String fingerprint = fingerprint(invocation, rustc, manifests);
        Path library = context.libraryPath(target);
        Path staged = out.stagedLibrary(target, libName);
        BuildStamp stamp = out.stamp();

        if (Files.isRegularFile(staged) && stamp.upToDate(fingerprint, library, out.jar, manifests).isPresent()) {
            log.info(progress + ": up to date (" + out.jar.getFileName() + ")");
            return TargetResult.packaged(target, true, tool, 0, staged, out.jar);
        }

        // From here on the previous outputs are gone, so a failure can never leave a stale library to package.
        discard(out, target);
        log.info(progress + ": building with " + tool);
        log.info("  " + invocation.display());
        long started = System.currentTimeMillis();
        CommandRunner.Result result;
        try {
            result = runner.stream(invocation.command(), invocation.environment(),
                    context.crate().directory(), line -> log.info("[" + target.triple() + "] " + line));
        } catch (BuildException cannotStart) {
            return TargetResult.failed(target, tool, 0, "target " + target.triple() + ": " + cannotStart.getMessage()
                    + "\n  command: " + invocation.display(), List.of());
        }
        double seconds = (System.currentTimeMillis() - started) / 1000.0;
        if (!result.succeeded()) {
            return TargetResult.failed(target, tool, seconds, failureMessage(target, invocation, result), result.tail());
        }
        if (!Files.isRegularFile(library)) {
            return TargetResult.failed(target, tool, seconds, tool + " succeeded but " + library + " does not exist."
                    + " Check that the crate's [lib] builds a cdylib named " + libName + ".", result.tail());
        }
        List<String> problems;
        try {
            problems = LibraryVerifier.problems(target.platform(), library, target.glibcFloor(), libName,
                    context.requireJniExports());
        } catch (IOException e) {
            problems = List.of(e.getMessage());
        }
        if (!problems.isEmpty()) {
            return TargetResult.failed(target, tool, seconds, "target " + target.triple() + ": " + library
                    + " does not match its target, so it is not packaged:\n  - " + String.join("\n  - ", problems),
                    List.of());
        }
        log.info(progress + ": checked " + library.getFileName() + " (" + describe(library) + ")");
        try {
            Files.createDirectories(staged.getParent());
            Files.copy(library, staged, StandardCopyOption.REPLACE_EXISTING);
            String sha256 = Digests.sha256(staged);
            ClassifierJar.write(out.jar, target.platform(),
                    new ClassifierJar.Contents(staged, libName, target.triple(), target.classifier(), sha256, rustc));
            stamp.write(new BuildStamp.Record(fingerprint, sha256, rustc, started));
        } catch (IOException | UncheckedIOException e) {
            return TargetResult.failed(target, tool, seconds, "packaging failed: " + e.getMessage(), List.of());
        }
        log.info(progress + ": packaged " + out.jar.getFileName() + " in " + String.format("%.1f s", seconds));
        return TargetResult.packaged(target, false, tool, seconds, staged, out.jar);
    }

    private static String describe(Path library) {
        try {
            return BinaryFacts.read(library).summary();
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * What a rebuild depends on besides the sources in cargo's dep-info: the command, the compiler, the
     * variables cargo and rustc read from the environment, and which manifests and cargo configs exist
     * (so that deleting a config, not only editing it, forces a rebuild).
     */
    private static String fingerprint(CargoInvocation invocation, String rustc, List<Path> manifests) {
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("CARGO_") || k.startsWith("RUST")) {
                env.put(k, v);
            }
        });
        // Cargo.lock is left out of the list: cargo itself creates it during the first build.
        List<Path> configs = manifests.stream().filter(p -> !p.endsWith("Cargo.lock")).collect(Collectors.toList());
        return Digests.sha256(invocation.display() + "\n" + rustc + "\n" + env + "\n" + configs);
    }

    /** Manifests, lock files and cargo configs from the crate up to the file system root. */
    private List<Path> manifestFiles() {
        List<Path> files = new ArrayList<>();
        for (Path dir = context.crate().directory(); dir != null; dir = dir.getParent()) {
            for (String name : List.of("Cargo.toml", "Cargo.lock", ".cargo/config.toml", ".cargo/config")) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f)) {
                    files.add(f);
                }
            }
        }
        return files;
    }

    private String failureMessage(TargetSpec target, CargoInvocation invocation, CommandRunner.Result result) {
        StringBuilder m = new StringBuilder();
        m.append("target ").append(target.triple()).append(" failed (exit code ").append(result.exitCode()).append(")\n");
        m.append("  command: ").append(invocation.display()).append('\n');
        m.append("  last lines of output:\n");
        result.tail().forEach(l -> m.append("    ").append(l).append('\n'));
        List<String> fixes = new ArrayList<>(Suggestions.forOutput(result.tail(), target.platform()));
        if (fixes.isEmpty()) {
            fixes.add("Run the command above in " + context.crate().directory() + " to see the whole error.");
        }
        fixes.forEach(f -> m.append("  fix: ").append(f).append('\n'));
        return m.toString().stripTrailing();
    }

    private static void discard(Outputs out, TargetSpec target) {
        try {
            Files.deleteIfExists(out.jar);
            deleteTree(out.stagingDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the previous outputs of " + target.triple(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void checkClassifiersUnique(List<TargetSpec> targets) {
        Map<String, String> seen = new TreeMap<>();
        for (TargetSpec t : targets) {
            String other = seen.putIfAbsent(t.classifier(), t.triple());
            if (other != null) {
                throw new BuildException("Targets " + other + " and " + t.triple() + " both map to classifier '"
                        + t.classifier() + "'; give one of them its own <classifier> or drop it from the matrix.");
            }
        }
    }

    /** The result whose platform is the one this JVM runs on, if the matrix has it. */
    public static Optional<TargetResult> hostResult(List<TargetResult> results, Platform host) {
        return results.stream().filter(r -> r.status().producedJar() && r.target().platform().equals(host)).findFirst();
    }
}
