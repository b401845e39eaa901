package dev.sark.opa;

import dev.sark.loader.Platform;

/**
 * Creates a PolicyEngine in a child JVM whose platform a test forces with {@code -Dsark.native.classifier},
 * and prints {@code key=value} facts: the platform the loader saw, and whether the library loaded (with a
 * policy decision) or the loader's error, newlines escaped. Run by {@link dev.sark.testing.ForcedPlatform}.
 */
public final class ForcedPlatformMain {
    private ForcedPlatformMain() {
    }

    public static void main(String[] args) {
        System.out.println("detected=" + Platform.current().classifier());
        try (PolicyEngine engine = new PolicyEngine()) {
            engine.loadPolicy("p", "package p\n\nallow if input.ok == true\n");
            System.out.println("loaded=true");
            System.out.println("roundtrip=" + (engine.isAllowed("data.p.allow", "{\"ok\": true}")
                    && !engine.isAllowed("data.p.allow", "{\"ok\": false}")));
        } catch (UnsatisfiedLinkError e) {
            System.out.println("loaded=false");
            System.out.println("error=" + String.valueOf(e.getMessage()).replace("\n", "\\n"));
        }
    }
}
