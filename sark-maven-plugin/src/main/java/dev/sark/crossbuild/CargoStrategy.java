package dev.sark.crossbuild;

import dev.sark.loader.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Plain {@code cargo build --target T}, through a rustup toolchain ({@code cargo +NAME}) and a linker.
 *
 * <p>Where the pom names neither, they are found: the default toolchain if it has the target's standard
 * library, else another installed toolchain that has it (such as the one scripts/install-toolchains.sh
 * links); the usual GCC cross linker for the target when it is on the PATH.
 */
public final class CargoStrategy implements BuildStrategy {
    private final HostTools tools;
    private final String hostTriple;

    /** {@code hostTriple}: the machine's own triple, which needs no cross linker. */
    public CargoStrategy(HostTools tools, String hostTriple) {
        this.tools = tools;
        this.hostTriple = hostTriple;
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.CARGO;
    }

    @Override
    public Optional<String> missing(TargetSpec target) {
        String toolchain = rustupToolchain(target);
        Optional<String> rust = missingRust(tools, toolchain, target.triple());
        if (rust.isPresent()) {
            return rust;
        }
        if (needsCrossLinker(target)) {
            String linker = linker(target);
            if (linker == null || !tools.onPath(linker)) {
                return Optional.of(Suggestions.missingLinker(target.platform(), linker));
            }
        }
        return Optional.empty();
    }

    /** What is missing for cargo to compile for the triple with a toolchain: cargo, the toolchain, its std. */
    static Optional<String> missingRust(HostTools tools, String toolchain, String triple) {
        if (!tools.cargoAvailable()) {
            return Optional.of(tools.cargo().equals("cargo")
                    ? "cargo is not on the PATH: install Rust with rustup, or add ~/.cargo/bin to the PATH"
                    : "<cargoExecutable> " + tools.cargo() + " does not exist or cannot run");
        }
        if (tools.rustcVersion(toolchain).isEmpty()) {
            return Optional.of(toolchain == null
                    ? "rustc does not run: install Rust with rustup"
                    : "rustup toolchain '" + toolchain + "' is not installed: `rustup toolchain install " + toolchain
                    + "`, or `rustup toolchain link " + toolchain + " DIR` for a compiler from elsewhere"
                    + " (scripts/install-toolchains.sh links one)");
        }
        if (!tools.hasStandardLibrary(toolchain, triple)) {
            return Optional.of(Suggestions.missingStandardLibrary(triple, toolchain));
        }
        return Optional.empty();
    }

    @Override
    public CargoInvocation invocation(TargetSpec target, BuildContext context) {
        String toolchain = rustupToolchain(target);
        Map<String, String> env = environment(target, tools.environment());
        String linker = linker(target);
        if (linker != null) {
            env.put(cargoTargetVariable(target.triple(), "LINKER"), linker);
        }
        return CargoCommand.build(tools.cargo(), toolchain, target, context).withEnvironment(env)
                .invocation("cargo" + (toolchain == null ? "" : " +" + toolchain));
    }

    @Override
    public String rustupToolchain(TargetSpec target) {
        return tools.toolchainFor(target.rustupToolchain(), target.triple());
    }

    /** The linker: the pom's, else one set through cargo's environment, else the usual cross gcc if installed. */
    String linker(TargetSpec target) {
        if (target.linker() != null) {
            return target.linker();
        }
        String variable = cargoTargetVariable(target.triple(), "LINKER");
        String fromEnv = target.env().getOrDefault(variable, tools.environment().get(variable));
        if (fromEnv != null || !needsCrossLinker(target)) {
            return fromEnv;
        }
        return tools.installedCrossLinker(target.platform()).orElse(null);
    }

    private boolean needsCrossLinker(TargetSpec target) {
        return !target.triple().equals(hostTriple);
    }

    /**
     * Variables shared by every cargo-based strategy: rustflags, the pom's own {@code <env>} and, for macOS,
     * MACOSX_DEPLOYMENT_TARGET. That one is always set, after {@code <env>}: rustc and the linker (zig too) take
     * the library's minimum macOS from it, and left unset the linker's own default (zig's is 13.0) wins.
     * {@code host} is the build machine's environment ({@link HostTools#environment()}).
     */
    static Map<String, String> environment(TargetSpec target, Map<String, String> host) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CARGO_TERM_COLOR", "never");
        if (target.linker() != null) {
            env.put(cargoTargetVariable(target.triple(), "LINKER"), target.linker());
        }
        String flags = rustflags(target, remapFlags(host));
        if (flags != null) {
            // RUSTFLAGS outranks every other rustflags source in cargo, so extend the caller's rather than hide it.
            // With --target, cargo applies RUSTFLAGS to the target only, never to build scripts on the host.
            String inherited = host.get("RUSTFLAGS");
            env.put("RUSTFLAGS", inherited == null || inherited.isBlank() ? flags : inherited + " " + flags);
        }
        env.putAll(target.env());
        if (target.macosMinimum() != null) {
            env.put("MACOSX_DEPLOYMENT_TARGET", target.macosMinimum());
        }
        return env;
    }

    /**
     * The pom's rustflags; for musl also {@code -C target-feature=-crt-static}, without which cargo links musl
     * statically and produces no cdylib (unless the pom already decides crt-static itself).
     */
    static String rustflags(TargetSpec target, List<String> remapFlags) {
        List<String> flags = new ArrayList<>();
        if (target.rustflags() != null) {
            flags.add(target.rustflags());
        }
        if (target.platform().libc() == Platform.Libc.MUSL && (target.rustflags() == null || !target.rustflags().contains("crt-static"))) {
            flags.add(DYNAMIC_MUSL);
        }
        flags.addAll(remapFlags);
        return flags.isEmpty() ? null : String.join(" ", flags);
    }

    /**
     * Keeps the build machine's paths out of the library (panic messages and debug info name source files):
     * crates from the registry live under CARGO_HOME, and build-std compiles the standard library from
     * RUSTUP_HOME or a linked toolchain, usually in the builder's home directory, which is mapped last as a
     * catch-all (rustc applies the last matching mapping, so the home goes first). The crate's own files are
     * already relative.
     */
    static List<String> remapFlags(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        List<String> flags = new ArrayList<>();
        Map<String, String> homes = new LinkedHashMap<>();
        homes.put(home, "/home");
        homes.put(env.getOrDefault("CARGO_HOME", home == null ? null : home + "/.cargo"), "/cargo");
        homes.put(env.getOrDefault("RUSTUP_HOME", home == null ? null : home + "/.rustup"), "/rustup");
        homes.forEach((from, to) -> {
            // RUSTFLAGS splits on spaces: a path with one cannot be passed this way.
            if (from != null && !from.isBlank() && !from.matches(".*\\s.*")) {
                flags.add("--remap-path-prefix=" + from + "=" + to);
            }
        });
        return List.copyOf(flags);
    }

    static final String DYNAMIC_MUSL = "-C target-feature=-crt-static";

    /** {@code CARGO_TARGET_<TRIPLE>_<NAME>}, cargo's per-target configuration through the environment. */
    static String cargoTargetVariable(String triple, String name) {
        return "CARGO_TARGET_" + triple.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_" + name;
    }
}
