package dev.sark.crossbuild;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cross build}: cargo inside a Docker (or Podman) image that holds the target's toolchain. Needs
 * a running container engine, which CI runners usually have and these build machines do not. The linker
 * is the image's business, so none is passed; {@code <rustflags>} and {@code <env>} travel as variables
 * (list extra ones under {@code [build.env] passthrough} in Cross.toml).
 */
public final class CrossStrategy implements BuildStrategy {
    static final String CONTAINER_TARGET_DIR = "/target";

    private final HostTools tools;

    public CrossStrategy(HostTools tools) {
        this.tools = tools;
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.CROSS;
    }

    @Override
    public Optional<String> missing(TargetSpec target) {
        if (!tools.onPath("cross")) {
            return Optional.of("cross is not installed: `cargo install cross`");
        }
        if (!tools.containerEngineRunning()) {
            return Optional.of("no Docker or Podman engine answers (`docker info` fails): start one, or use"
                    + " <strategy>cargo</strategy> / <strategy>zigbuild</strategy>");
        }
        return Optional.empty();
    }

    @Override
    public CargoInvocation invocation(TargetSpec target, BuildContext context) {
        Map<String, String> env = CargoStrategy.environment(target, tools.environment());
        env.remove(CargoStrategy.cargoTargetVariable(target.triple(), "LINKER"));
        return CargoCommand.build("cross", target.rustupToolchain(), target, context).withEnvironment(env)
                .invocation("cross");
    }

    /**
     * cross mounts the target directory at {@value #CONTAINER_TARGET_DIR} in its container, so cargo's messages
     * name the library there: the same file under the build's target directory. A reported path that exists
     * here while that one does not (cross run in a container that shares the host's paths) is kept.
     */
    @Override
    public Path hostPath(Path reported, BuildContext context) {
        Path mount = Path.of(CONTAINER_TARGET_DIR);
        if (!reported.startsWith(mount)) {
            return reported;
        }
        Path mapped = context.cargoTargetDir().resolve(mount.relativize(reported).toString());
        return Files.exists(mapped) || !Files.exists(reported) ? mapped : reported;
    }
}
