package dev.sark.crossbuild;

import java.util.Map;

/**
 * The environment variables of the machine the build runs on, as one injectable value. {@link #current()} is
 * the one place the core reads the process environment; the {@link CommandRunner} carries the build's
 * environment and hands it to the commands it runs and to {@link HostTools}, whose probes, strategies and
 * compiler cache read it from there, so they all see the same values, and a test can replace them all at once.
 *
 * @param variables the variables, unmodifiable
 */
public record HostEnvironment(Map<String, String> variables) {
    public HostEnvironment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment. */
    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv());
    }
}
