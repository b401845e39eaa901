package dev.sark.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Plain {@code cargo build --target T}, optionally through a rustup toolchain ({@code cargo +NAME}) and a linker. */
public final class CargoStrategy implements ToolchainStrategy {
    private final String hostTriple;

    /** {@code hostTriple}: the machine's own triple, which needs no cross linker. */
    public CargoStrategy(String hostTriple) {
        this.hostTriple = hostTriple;
    }

    @Override
    public ToolchainKind kind() {
        return ToolchainKind.CARGO;
    }

    @Override
    public Optional<String> missing(TargetSpec target, HostTools tools) {
        if (!tools.onPath("cargo")) {
            return Optional.of("cargo is not on the PATH: install Rust with rustup, or add ~/.cargo/bin to the PATH");
        }
        if (tools.rustcVersion(target.rustupToolchain()).isEmpty()) {
            return Optional.of(target.rustupToolchain() == null
                    ? "rustc does not run: install Rust with rustup"
                    : "rustup toolchain '" + target.rustupToolchain() + "' is not installed: `rustup toolchain install "
                    + target.rustupToolchain() + "`, or `rustup toolchain link " + target.rustupToolchain()
                    + " DIR` for a compiler from elsewhere (scripts/install-toolchains.sh does this)");
        }
        if (!tools.hasStandardLibrary(target.rustupToolchain(), target.triple())) {
            return Optional.of(Suggestions.missingStandardLibrary(target.triple(), target.rustupToolchain()));
        }
        if (!target.triple().equals(hostTriple)) {
            String linker = effectiveLinker(target);
            if (linker == null || !tools.onPath(linker)) {
                return Optional.of(Suggestions.missingLinker(target.platform(), linker));
            }
        }
        return Optional.empty();
    }

    @Override
    public CargoInvocation invocation(TargetSpec target, BuildContext context) {
        List<String> cmd = new ArrayList<>();
        cmd.add("cargo");
        if (target.rustupToolchain() != null) {
            cmd.add("+" + target.rustupToolchain());
        }
        cmd.addAll(List.of("build", "--manifest-path", context.crate().manifest().toString(),
                "--target", target.triple(), "--target-dir", context.cargoTargetDir().toString(),
                "--profile", context.profile(), "--lib"));
        if (context.offline()) {
            cmd.add("--offline");
        }
        return new CargoInvocation(cmd, environment(target));
    }

    /** Variables shared by every cargo-based strategy: linker, rustflags and the pom's own {@code <env>}. */
    static Map<String, String> environment(TargetSpec target) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CARGO_TERM_COLOR", "never");
        if (target.linker() != null) {
            env.put(cargoTargetVariable(target.triple(), "LINKER"), target.linker());
        }
        if (target.rustflags() != null) {
            // RUSTFLAGS outranks every other rustflags source in cargo, so extend the caller's rather than hide it.
            // With --target, cargo applies RUSTFLAGS to the target only, never to build scripts on the host.
            String inherited = System.getenv("RUSTFLAGS");
            env.put("RUSTFLAGS", inherited == null || inherited.isBlank()
                    ? target.rustflags() : inherited + " " + target.rustflags());
        }
        env.putAll(target.env());
        return env;
    }

    /** {@code CARGO_TARGET_<TRIPLE>_<NAME>}, cargo's per-target configuration through the environment. */
    static String cargoTargetVariable(String triple, String name) {
        return "CARGO_TARGET_" + triple.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_" + name;
    }

    private static String effectiveLinker(TargetSpec target) {
        if (target.linker() != null) {
            return target.linker();
        }
        String fromEnv = target.env().get(cargoTargetVariable(target.triple(), "LINKER"));
        return fromEnv != null ? fromEnv : System.getenv(cargoTargetVariable(target.triple(), "LINKER"));
    }
}
