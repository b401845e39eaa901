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
 * Loads a Windows DLL under wine: {@code loadlibrary_probe.c}, compiled with {@code x86_64-w64-mingw32-gcc},
 * calls {@code LoadLibraryA} on the DLL (so every import must resolve) and {@code GetProcAddress} for the
 * symbols asked for. The way the test suite proves that a {@code windows-x86_64} library loads, without
 * Windows.
 *
 * <p>Besides {@code loaded}/{@code error} and {@code found}/{@code missing}, the probe prints {@code wine
 * <version>} (from ntdll's {@code wine_get_version}), {@code module <path>} of the loaded DLL and
 * {@code mapped <path>} for every module in the process afterwards.
 *
 * <p>Wine runs with a fresh {@code WINEPREFIX} (a temporary directory, created by the first run in this JVM,
 * which takes some seconds, and deleted when the JVM exits), {@code WINEDEBUG=-all}, no {@code DISPLAY} and
 * Mono/Gecko disabled, so it never opens a window or asks to download anything.
 *
 * <p><b>bcryptprimitives.dll.</b> Rust's standard library (1.78 and later) imports {@code ProcessPrng} from
 * {@code bcryptprimitives.dll}, which every Windows 10 has but Wine only since 8.13 (Debian bookworm ships
 * 8.0). When the prefix has no such DLL, a stand-in exporting {@code ProcessPrng} (built from
 * {@code bcryptprimitives_shim.c}, random bytes from {@code RtlGenRandom}) is put next to the probe, where
 * the loader looks first; {@link NativeProbe.Result#notes()} then says so and the probe's {@code mapped}
 * lines show it. Every other import must come from Wine itself.
 */
public final class WineProbe {

    /** Where Debian's wine64 package puts the loader; {@code wine64} or {@code wine} on PATH are tried next. */
    public static final String DEBIAN_WINE64 = "/usr/lib/wine/wine64";
    static final String MINGW_GCC = "x86_64-w64-mingw32-gcc";
    static final String FIX = "run scripts/install-toolchains.sh runtimes (Debian packages gcc-mingw-w64-x86-64, wine64)";
    static final String SHIM = "bcryptprimitives.dll";

    private static Setup setup;

    private WineProbe() {
    }

    /** The compiled probe and the prefix it runs in, made once per JVM. */
    private static final class Setup {
        final Path wine;
        final Path exe;
        final Path prefix;
        final List<String> notes;

        Setup(Path wine, Path exe, Path prefix, List<String> notes) {
            this.wine = wine;
            this.exe = exe;
            this.prefix = prefix;
            this.notes = List.copyOf(notes);
        }
    }

    /** Why the probe cannot run on this machine, with the fix; empty when it can. */
    public static Optional<String> availability() {
        if (!NativeProbe.hostIsLinuxX86_64()) {
            return Optional.of("the wine probe runs on Linux x86_64 only, this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"));
        }
        List<String> missing = new ArrayList<>();
        if (NativeProbe.program(MINGW_GCC).isEmpty()) {
            missing.add(MINGW_GCC + " is not on PATH");
        }
        if (wine().isEmpty()) {
            missing.add("wine is neither at " + DEBIAN_WINE64 + " nor on PATH (wine64, wine)");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", missing) + ": " + FIX);
    }

    /** The wine loader to use, if there is one. */
    public static Optional<Path> wine() {
        return NativeProbe.program(DEBIAN_WINE64, "wine64", "wine");
    }

    /**
     * Loads {@code dll} under wine and looks up {@code symbols} in it.
     *
     * @throws IllegalStateException when the probe cannot run here ({@link #availability()} says why), does
     *                               not compile or does not finish in two minutes
     */
    public static NativeProbe.Result run(Path dll, Collection<String> symbols) {
        Setup s = setup();
        List<String> cmd = new ArrayList<>(List.of(s.wine.toString(), s.exe.toString(), windowsPath(dll)));
        cmd.addAll(symbols);
        NativeProbe.Exec r = NativeProbe.exec(cmd, environment(s.prefix), s.exe.getParent());
        return new NativeProbe.Result(cmd, r.exitCode, r.stdout, r.stderr, s.notes);
    }

    /** {@code /a/b.dll} as wine sees it through the {@code Z:} drive, which a new prefix maps to {@code /}. */
    static String windowsPath(Path file) {
        return "Z:" + file.toAbsolutePath().normalize().toString().replace('/', '\\');
    }

    private static Map<String, String> environment(Path prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("WINEPREFIX", prefix.toString());
        env.put("WINEDEBUG", "-all");
        env.put("WINEDLLOVERRIDES", "mscoree,mshtml=d"); // no Mono / Gecko installer when the prefix is created
        env.put("DISPLAY", null);
        env.put("WAYLAND_DISPLAY", null);
        return env;
    }

    private static synchronized Setup setup() {
        if (setup != null) {
            return setup;
        }
        availability().ifPresent(reason -> {
            throw new IllegalStateException("The wine probe cannot run here: " + reason);
        });
        Path wine = wine().orElseThrow();
        Path dir = NativeProbe.tempDirectoryDeletedOnExit("sark-wine-probe");
        Path exe = dir.resolve("loadlibrary_probe.exe");
        NativeProbe.compile(MINGW_GCC, "loadlibrary_probe.c", exe, List.of("-lpsapi"));

        // The wineserver outlives the probe by a few seconds and writes the registry into the prefix when it
        // exits: stop it before deleting the prefix.
        Path prefix = NativeProbe.tempDirectoryDeletedOnExit("sark-wine-prefix", p -> stopWineserver(wine, p));

        // The first run creates the prefix (the probe without arguments prints the wine version and its usage).
        long start = System.nanoTime();
        List<String> init = List.of(wine.toString(), exe.toString());
        NativeProbe.Exec r = NativeProbe.exec(init, environment(prefix), dir);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (r.exitCode != 64 || !Files.isDirectory(prefix.resolve("drive_c/windows/system32"))) {
            throw new IllegalStateException("wine did not start the probe in a new prefix " + prefix + " (exit " + r.exitCode
                    + ", expected 64 for the usage message): " + init + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr);
        }
        String version = r.stdout.lines().filter(l -> l.startsWith("wine ")).findFirst().orElse("wine ?").trim();
        List<String> notes = new ArrayList<>();
        notes.add(version + " (" + wine + "), WINEPREFIX " + prefix + " created by this JVM's first wine run in " + millis + " ms");
        if (!Files.exists(prefix.resolve("drive_c/windows/system32/" + SHIM))) {
            NativeProbe.compile(MINGW_GCC, "bcryptprimitives_shim.c", dir.resolve(SHIM), List.of("-shared", "-ladvapi32"));
            notes.add("this wine has no " + SHIM + " (Wine < 8.13): a stand-in exporting ProcessPrng (RtlGenRandom) was put"
                    + " next to the probe, as Rust's std imports it on Windows");
        }
        setup = new Setup(wine, exe, prefix, notes);
        return setup;
    }

    private static void stopWineserver(Path wine, Path prefix) {
        Optional<Path> server = NativeProbe.program(wine.resolveSibling("wineserver").toString(),
                wine.resolveSibling("wineserver64").toString(), "wineserver");
        if (server.isEmpty()) {
            return;
        }
        try {
            NativeProbe.exec(List.of(server.get().toString(), "-k"), environment(prefix), null);
        } catch (RuntimeException e) {
            // best effort: the server exits by itself a few seconds after its last client
        }
    }
}
