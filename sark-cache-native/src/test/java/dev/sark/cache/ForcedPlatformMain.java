package dev.sark.cache;

import dev.sark.loader.Platform;
import java.time.Duration;

/**
 * Creates a NativeCache in a child JVM whose platform a test forces with {@code -Dsark.native.classifier},
 * and prints {@code key=value} facts: the platform the loader saw, and whether the library loaded (with a
 * round trip) or the loader's error, newlines escaped. Run by {@link dev.sark.testing.ForcedPlatform}.
 */
public final class ForcedPlatformMain {
    private ForcedPlatformMain() {
    }

    public static void main(String[] args) {
        System.out.println("detected=" + Platform.current().classifier());
        try (NativeCache cache = new NativeCache(1, Duration.ofSeconds(1))) {
            cache.put("k", "v");
            System.out.println("loaded=true");
            System.out.println("roundtrip=" + "v".equals(cache.get("k")));
        } catch (UnsatisfiedLinkError e) {
            System.out.println("loaded=false");
            System.out.println("error=" + String.valueOf(e.getMessage()).replace("\n", "\\n"));
        }
    }
}
