package dev.sark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a library with musl's dynamic loader: {@code dlopen_probe.c}, compiled with {@code musl-gcc} (so
 * the kernel starts it with {@value #LOADER}), {@code dlopen}s the library with {@code RTLD_NOW} (every
 * undefined symbol must resolve against musl) and {@code dlsym}s the symbols asked for. The way the test
 * suite proves that a {@code linux-x86_64-musl} library loads on an Alpine-like system without one.
 *
 * <p>Besides {@code loaded}/{@code error} and {@code found}/{@code missing}, the probe prints
 * {@code interpreter <path>} (the PT_INTERP of its own executable) and {@code mapped <path>} for every file
 * mapped into the process, so a test can check that musl, and no glibc, was in use.
 */
public final class MuslProbe {

    /** musl's dynamic loader on x86_64, the interpreter of every program musl-gcc links. */
    public static final String LOADER = "/lib/ld-musl-x86_64.so.1";
    static final String FIX = "run scripts/install-toolchains.sh runtimes (Debian packages musl, musl-tools)";

    private static Path probe;

    private MuslProbe() {
    }

    /** Why the probe cannot run on this machine, with the fix; empty when it can. */
    public static Optional<String> availability() {
        if (!NativeProbe.hostIsLinuxX86_64()) {
            return Optional.of("the musl probe runs on Linux x86_64 only, this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        List<String> missing = new ArrayList<>();
        if (NativeProbe.program("musl-gcc").isEmpty()) {
            missing.add("musl-gcc is not on PATH");
        }
        if (!Files.exists(Path.of(LOADER))) {
            missing.add("musl's dynamic loader " + LOADER + " does not exist");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", missing) + ": " + FIX);
    }

    /**
     * Loads {@code library} with musl's loader and looks up {@code symbols} in it.
     *
     * @throws IllegalStateException when the probe cannot run here ({@link #availability()} says why), does
     *                               not compile or does not finish in two minutes
     */
    public static NativeProbe.Result run(Path library, Collection<String> symbols) {
        List<String> cmd = new ArrayList<>(List.of(probe().toString(), library.toAbsolutePath().toString()));
        cmd.addAll(symbols);
        // The library must resolve against musl alone: no search path or preload from the (glibc) host.
        Map<String, String> env = new HashMap<>();
        env.put("LD_LIBRARY_PATH", null);
        env.put("LD_PRELOAD", null);
        NativeProbe.Exec r = NativeProbe.exec(cmd, env, null);
        return new NativeProbe.Result(cmd, r.exitCode, r.stdout, r.stderr, List.of());
    }

    /** The compiled probe, built once per JVM. */
    static synchronized Path probe() {
        if (probe == null) {
            availability().ifPresent(reason -> {
                throw new IllegalStateException("The musl probe cannot run here: " + reason);
            });
            Path dir = NativeProbe.tempDirectoryDeletedOnExit("sark-musl-probe");
            Path exe = dir.resolve("dlopen_probe");
            NativeProbe.compile("musl-gcc", "dlopen_probe.c", exe, List.of());
            probe = exe;
        }
        return probe;
    }
}
