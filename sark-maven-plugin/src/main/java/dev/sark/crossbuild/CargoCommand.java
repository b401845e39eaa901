package dev.sark.crossbuild;

import dev.sark.crossbuild.check.GlibcFloor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cargo command as values, turned into the program's arguments in one place ({@link #arguments()}):
 * {@code PROGRAM [+TOOLCHAIN] SUBCOMMAND --manifest-path M [--target T[.GLIBC]] --target-dir D [--profile P]
 * [--lib --message-format=json-render-diagnostics] [lock and network flags] [the strategy's flags] [the pom's features and arguments]}.
 *
 * <p>The pom's arguments come last, as it wrote them, so that a trailing {@code -- ...} still reaches the
 * test binaries or rustc.
 *
 * @param program         {@code cargo}, {@code cross} or the pom's {@code <cargoExecutable>}
 * @param rustupToolchain the {@code +NAME} toolchain, or null for the default
 * @param subcommand      {@code build}, {@code zigbuild} or {@code test}
 * @param triple          the target, or null for the host (cargo test)
 * @param glibcFloor      cargo-zigbuild's glibc suffix ({@code 2.17} makes {@code --target T.2.17}), or null
 * @param profile         cargo's {@code --profile}, or null for the subcommand's default
 * @param libOnly         {@code --lib}: only the library target, reported in cargo's JSON messages
 *                        ({@link CargoMessages}), which name the library file the build produced
 * @param strategyFlags   flags the strategy adds, such as {@code -Zbuild-std=std,panic_unwind}
 * @param context         the crate, the target directory, the lock and network mode, the pom's cargo options
 * @param pomOptions      the pom's features and arguments for this command
 * @param environment     variables the command runs with on top of the build's environment (linker, flags, the
 *                        pom's {@code <env>}), shown before the program in {@link CargoInvocation#display()}
 */
public record CargoCommand(String program, String rustupToolchain, String subcommand, String triple, GlibcFloor glibcFloor,
                           String profile, boolean libOnly, List<String> strategyFlags, BuildContext context,
                           CargoOptions pomOptions, Map<String, String> environment) {
    public CargoCommand {
        strategyFlags = List.copyOf(strategyFlags);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * {@code cargo build} of the target's library, with the build's profile and the pom's options for the target.
     *
     * @throws ConfigurationException when the pom's arguments choose cargo's message format, which the build sets
     *                                itself ({@link CargoMessages}): cargo refuses two
     */
    public static CargoCommand build(String program, String rustupToolchain, TargetSpec target, BuildContext context) {
        CargoOptions options = context.cargoOptions().with(target.cargoOptions());
        for (String arg : options.args()) {
            if (arg.startsWith("--message-format")) {
                throw new ConfigurationException(ConfigurationException.Setting.CARGO_ARGUMENTS, target.triple(), arg,
                        "is the build's own choice: it reads the library's path from cargo's JSON messages, and cargo"
                        + " accepts one message format only");
            }
        }
        return new CargoCommand(program, rustupToolchain, "build", target.triple(), null, context.profile(), true,
                List.of(), context, options, Map.of());
    }

    /** {@code cargo test} for the host, with the pom's options for the tests. */
    public static CargoCommand test(String program, BuildContext context) {
        return new CargoCommand(program, null, "test", null, null, null, false, List.of(), context,
                context.cargoOptions(), Map.of());
    }

    /** The same command with another subcommand ({@code zigbuild}). */
    public CargoCommand withSubcommand(String name) {
        return new CargoCommand(program, rustupToolchain, name, triple, glibcFloor, profile, libOnly, strategyFlags,
                context, pomOptions, environment);
    }

    /** The same command linking against glibc {@code floor} (cargo-zigbuild's target suffix); null for none. */
    public CargoCommand withGlibcFloor(GlibcFloor floor) {
        return new CargoCommand(program, rustupToolchain, subcommand, triple, floor, profile, libOnly, strategyFlags,
                context, pomOptions, environment);
    }

    /** The same command with {@code flags} added to the strategy's. */
    public CargoCommand withFlags(String... flags) {
        List<String> all = new ArrayList<>(strategyFlags);
        all.addAll(List.of(flags));
        return new CargoCommand(program, rustupToolchain, subcommand, triple, glibcFloor, profile, libOnly, all,
                context, pomOptions, environment);
    }

    /** The same command with {@code variables} set as well (a variable set twice takes the later value). */
    public CargoCommand withEnvironment(Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.putAll(variables);
        return new CargoCommand(program, rustupToolchain, subcommand, triple, glibcFloor, profile, libOnly,
                strategyFlags, context, pomOptions, all);
    }

    /** The command ready to run, its arguments rendered, under {@code label} in logs and the summary. */
    public CargoInvocation invocation(String label) {
        return new CargoInvocation(arguments(), environment, rustupToolchain, label);
    }

    /** The program and its arguments, ready to run. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add(program);
        if (rustupToolchain != null) {
            args.add("+" + rustupToolchain);
        }
        args.add(subcommand);
        args.add("--manifest-path");
        args.add(context.crate().manifest().toString());
        if (triple != null) {
            args.add("--target");
            args.add(glibcFloor == null ? triple : triple + "." + glibcFloor);
        }
        args.add("--target-dir");
        args.add(context.cargoTargetDir().toString());
        if (profile != null) {
            args.add("--profile");
            args.add(profile);
        }
        if (libOnly) {
            args.add("--lib");
            args.add(CargoMessages.FORMAT_FLAG);
        }
        args.addAll(context.lockAndNetworkFlags());
        args.addAll(strategyFlags);
        args.addAll(pomOptions.arguments());
        return args;
    }
}
