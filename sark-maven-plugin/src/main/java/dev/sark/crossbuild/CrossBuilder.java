package dev.sark.crossbuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    private final LibraryPackager packager;

    public CrossBuilder(BuildContext context, StrategySelector selector, HostTools tools, CommandRunner runner,
                        BuildLog log) {
        this.packager = new LibraryPackager(context.crate().libName(), context.requireJniExports(), log,
                context.entryTime());
        this.context = context;
        this.selector = selector;
        this.tools = tools;
        this.runner = runner;
        this.log = log;
    }

    /**
     * The targets no strategy can build on this machine, found before anything is built, so that a missing
     * required target fails the build at once (with every other missing one), not after the others compiled.
     */
    public List<TargetResult> unavailable(List<TargetSpec> targets) {
        List<TargetResult> missing = new ArrayList<>();
        for (TargetSpec target : targets) {
            if (!target.slices().isEmpty()) {
                continue; // merged from its slices, which are checked themselves
            }
            StrategySelector.Selection selection = selector.select(target);
            if (selection.strategy() == null) {
                missing.add(TargetResult.unavailable(target, "no strategy can build it here: "
                        + String.join("; ", selection.reasons())));
            }
        }
        return missing;
    }

    public List<TargetResult> buildAll(List<TargetSpec> targets, TargetOutputs.Layout layout) {
        LibraryPackager.checkClassifiersUnique(targets);
        List<TargetResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetSpec target = targets.get(i);
            String progress = "(" + (i + 1) + "/" + targets.size() + ") " + target.triple();
            results.add(!target.slices().isEmpty()
                    ? packager.mergeSlices(target, layout.outputsFor(target), results,
                            tools.rustcVersion(null).orElse("unknown"), progress)
                    : buildOne(target, layout.outputsFor(target), progress));
        }
        return results;
    }

    private TargetResult buildOne(TargetSpec target, TargetOutputs out, String progress) {
        StrategySelector.Selection selection = selector.select(target);
        // A target that cannot be built leaves its earlier JAR on disk (never attached): only a replacement that
        // passed its checks may take a good JAR's place.
        if (selection.strategy() == null) {
            out.forget();
            String why = String.join("; ", selection.reasons());
            log.warn(progress + ": cannot be built here: " + why);
            return TargetResult.unavailable(target, "no strategy can build it here: " + why);
        }
        CargoInvocation invocation = selection.strategy().invocation(target, context)
                .withDefaults(context.compilerCache().variables(selection.strategy().kind()));
        CargoMessages messages = new CargoMessages(context.crate().libName());
        return run(target, out, progress, selection, invocation, messages)
                .withCommand(invocation.display(), messages.compiled());
    }

    /** Runs cargo for a target a strategy can build, and packages what it produced. */
    private TargetResult run(TargetSpec target, TargetOutputs out, String progress, StrategySelector.Selection selection,
                             CargoInvocation invocation, CargoMessages messages) {
        String libName = context.crate().libName();
        BuildStrategy strategy = selection.strategy();
        String tool = invocation.label();
        if (!selection.reasons().isEmpty()) {
            log.info(progress + ": auto picked " + strategy.kind().pomName() + " (" + String.join("; ", selection.reasons()) + ")");
        }
        String rustc = tools.rustcVersion(invocation.rustupToolchain()).orElse("unknown");
        String rustVersion = context.crate().rustVersion();
        if (RustVersion.olderThan(rustc, rustVersion)) {
            // cargo would stop inside the crate (or a dependency) with an error that hides the fix
            out.forget();
            String why = Suggestions.toolchainTooOld(invocation.rustupToolchain(), rustc, rustVersion,
                    context.crate().packageName());
            log.warn(progress + ": " + why);
            return TargetResult.failed(target, tool, 0, "target " + target.triple() + ": " + why, List.of());
        }

        // Cargo runs every time: it alone knows every input of the library, and has nothing to do in milliseconds
        // when nothing changed. A check of our own would miss some (environment variables, path dependencies).
        log.info(progress + ": cargo via " + tool);
        log.info("  " + invocation.display());
        long started = System.currentTimeMillis();
        CommandRunner.Result result;
        try {
            result = runner.stream(invocation.command(), invocation.environment(), context.crate().directory(),
                    messages::take, line -> log.info("[" + target.triple() + "] " + line));
        } catch (BuildException cannotStart) {
            out.forget();
            return TargetResult.failed(target, tool, 0, "target " + target.triple() + ": " + cannotStart.getMessage()
                    + "\n  command: " + invocation.display(), List.of());
        }
        double seconds = (System.currentTimeMillis() - started) / 1000.0;
        if (!result.succeeded()) {
            out.forget();
            return TargetResult.failed(target, tool, seconds, failureMessage(target, invocation, result), result.tail());
        }
        String fileName = target.platform().libraryFileName(libName);
        Optional<Path> reported = messages.library(fileName);
        if (reported.isEmpty()) {
            out.forget();
            return TargetResult.failed(target, tool, seconds, tool + " succeeded but reported no library " + fileName
                    + " in its JSON messages (" + CargoMessages.FORMAT_FLAG + "). Check that the crate's [lib] builds"
                    + " a cdylib named " + libName + ", and that a wrapper around cargo passes cargo's standard output"
                    + " through.", result.tail());
        }
        Path library = strategy.hostPath(reported.get(), context);
        if (!Files.isRegularFile(library)) {
            out.forget();
            String where = library.equals(reported.get()) ? "" : " (on this machine " + library + ")";
            return TargetResult.failed(target, tool, seconds, tool + " reported the library " + reported.get() + where
                    + ", which does not exist.", result.tail());
        }
        String sha = Digests.sha256(library);
        String settings = packagingSettings(target, rustc);
        Path staged = out.stagedLibrary(target, libName);
        BuildStamp stamp = out.stamp();
        if (stamp.packaged(settings, sha, staged, out.jar())) {
            return packager.upToDate(target, staged, out.jar(), tool, seconds, progress);
        }
        stamp.delete();
        TargetResult packaged = packager.pack(target, library, out, tool, seconds, rustc, progress);
        if (packaged.status().producedJar()) {
            stamp.write(settings, sha);
        }
        return packaged;
    }

    /**
     * What the checks and the JAR depend on besides the library's bytes, including the JAR's own format: a
     * plugin that writes JARs differently must not keep an older plugin's JAR as "up to date".
     */
    private String packagingSettings(TargetSpec target, String rustc) {
        return String.join("\n", ClassifierJar.FORMAT, context.entryTime().toString(), target.triple(),
                target.classifier(), String.valueOf(target.glibcFloor()),
                String.valueOf(target.macosMinimum()), rustc, context.crate().libName(),
                Boolean.toString(context.requireJniExports()));
    }

    private String failureMessage(TargetSpec target, CargoInvocation invocation, CommandRunner.Result result) {
        StringBuilder m = new StringBuilder();
        m.append("target ").append(target.triple()).append(" failed (exit code ").append(result.exitCode())
                .append(Suggestions.exitCodeMeaning(result.exitCode()).map(s -> ": " + s).orElse("")).append(")\n");
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
}
