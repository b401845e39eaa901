package dev.sark.crossbuild;

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

    /**
     * {@code cargo test --manifest-path M --target-dir D [--locked|--frozen|--offline] [features, cargo arguments]},
     * without colour codes and through the compiler cache.
     */
    public CargoInvocation invocation() {
        return CargoCommand.test(cargo, context).withEnvironment(Map.of("CARGO_TERM_COLOR", "never"))
                .invocation("cargo").withDefaults(context.compilerCache().variables(StrategyKind.CARGO));
    }

    /**
     * What one {@code cargo test} run came to.
     *
     * @param command the command as it ran, variables first
     * @param seconds how long it ran
     * @param failure null when every test passed, else the exit code, the last lines and the fix
     */
    public record Outcome(String command, double seconds, String failure) {
        public boolean passed() {
            return failure == null;
        }

        /** @throws BuildException with the failure's message when a test failed or cargo could not run them */
        public void throwIfFailed() {
            if (failure != null) {
                throw new BuildException(failure);
            }
        }
    }

    /**
     * Runs the tests; a failing test is an outcome (see {@link Outcome#throwIfFailed}), so that the goal can
     * record it before it fails the build.
     *
     * @throws BuildException when cargo cannot be started at all
     */
    public Outcome run() {
        CargoInvocation invocation = invocation();
        String display = invocation.display();
        log.info("Rust tests of " + context.crate().packageName() + ": " + display);
        long started = System.currentTimeMillis();
        CommandRunner.Result result = runner.stream(invocation.command(), invocation.environment(), context.crate().directory(),
                line -> log.info("[cargo test] " + line));
        double seconds = (System.currentTimeMillis() - started) / 1000.0;
        if (result.succeeded()) {
            return new Outcome(display, seconds, null);
        }
        StringBuilder m = new StringBuilder("cargo test failed (exit code ").append(result.exitCode())
                .append(Suggestions.exitCodeMeaning(result.exitCode()).map(s -> ": " + s).orElse("")).append(")\n")
                .append("  command: ").append(display).append('\n').append("  last lines of output:\n");
        result.tail().forEach(l -> m.append("    ").append(l).append('\n'));
        m.append("  fix: run the command above in ").append(context.crate().directory())
                .append(" to see every failure; -DskipTests skips the Rust tests with the Java ones");
        return new Outcome(display, seconds, m.toString());
    }
}
