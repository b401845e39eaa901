package dev.sark.crossbuild;

import java.util.Map;

/**
 * The environment variables of the machine the build runs on. The one place the core reads the process
 * environment: everything else takes the variables from here or injected ({@link HostTools#environment()},
 * which tests replace), so a probe, a strategy and the command runner all see the same values.
 */
public final class HostEnvironment {
    private HostEnvironment() {
    }

    /** This process's environment, unmodifiable. */
    public static Map<String, String> current() {
        return System.getenv();
    }
}
