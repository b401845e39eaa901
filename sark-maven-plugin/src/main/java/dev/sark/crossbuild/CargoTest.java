package dev.sark.crossbuild;

import java.util.List;
import java.util.Map;

/**
 * Runs the crate's own Rust tests ({@code cargo test}) for the host, with the same lock-file, network and
 * feature flags as the build, and reports a failure with the command and the last lines of output.
 */
public final class CargoTest {
    private final BuildContext context;
    private final CommandRunner runner;
    private final BuildLog log;
    private final String cargo;

    public CargoTest(BuildContext context, CommandRunner runner, BuildLog log) {
        this(context, runner, log, "cargo");
    }

    /** {@code cargo}: the cargo program (the pom's {@code <cargoExecutable>}, else {@code cargo} from the PATH). */
    public CargoTest(BuildContext context, CommandRunner runner, BuildLog log, String cargo) {
        this.cargo = cargo;
        this.context = context;
        this.runner = runner;
        this.log = log;
    }

    /** {@code cargo test --manifest-path M --target-dir D [--locked|--frozen|--offline] [features, cargo arguments]}. */
    public List<String> command() {
        return CargoCommand.test(cargo, context).arguments();
    }

    /**
     * @throws BuildException when a test fails or cargo cannot run, naming the command and the fix
     */
    public void run() {
        CargoInvocation invocation = new CargoInvocation(command(), Map.of("CARGO_TERM_COLOR", "never"), null, "cargo")
                .withDefaults(context.compilerCache().variables(ToolchainKind.CARGO));
        String display = invocation.display();
        log.info("Rust tests of " + context.crate().packageName() + ": " + display);
        CommandRunner.Result result = runner.stream(invocation.command(), invocation.environment(), context.crate().directory(),
                line -> log.info("[cargo test] " + line));
        if (!result.succeeded()) {
            StringBuilder m = new StringBuilder("cargo test failed (exit code ").append(result.exitCode())
                    .append(Suggestions.exitCodeMeaning(result.exitCode()).map(s -> ": " + s).orElse("")).append(")\n")
                    .append("  command: ").append(display).append('\n').append("  last lines of output:\n");
            result.tail().forEach(l -> m.append("    ").append(l).append('\n'));
            m.append("  fix: run the command above in ").append(context.crate().directory())
                    .append(" to see every failure; -DskipTests skips the Rust tests with the Java ones");
            throw new BuildException(m.toString());
        }
    }
}
