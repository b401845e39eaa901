package dev.sark.bench;

import dev.sark.cache.NativeCache;
import dev.sark.loader.NativeLoader;

import java.lang.invoke.MethodHandles;
import java.time.Duration;

/**
 * One measurement of loader start-up, in a fresh JVM. Modes:
 * <ul>
 *   <li>{@code loader}: NativeLoader.load of sark_cache from the class path (platform detection, resource
 *   read, SHA-256, extraction or reuse in {@code -Dsark.native.cacheDir}, System.load);</li>
 *   <li>{@code system FILE}: System.load(FILE) only, the floor.</li>
 * </ul>
 * Prints {@code load_ms=<ms>} (nanoTime around the load call) and checks the library works afterwards.
 * scripts/bench-loader.sh runs it in fresh JVMs and takes medians.
 */
public final class LoaderStartup {

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "loader";
        long t0 = System.nanoTime();
        if (mode.equals("system")) {
            System.load(args[1]);
        } else {
            NativeLoader.load(MethodHandles.lookup(), "sark_cache");
        }
        long t1 = System.nanoTime();
        if (mode.equals("system")) {
            // Let NativeCache find the library already loaded: the same file through the override property.
            System.setProperty(NativeLoader.LIBRARY_PROPERTY_PREFIX + "sark_cache", args[1]);
        }
        try (NativeCache cache = new NativeCache(10, Duration.ofMinutes(1))) {
            cache.put("k", "v");
            if (!"v".equals(cache.get("k"))) {
                throw new IllegalStateException("library loaded but does not work");
            }
        }
        System.out.printf("mode=%s load_ms=%.3f%n", mode, (t1 - t0) / 1e6);
    }
}
