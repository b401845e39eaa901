package dev.sark.crossbuild;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command that builds one target: the program and its arguments, plus environment variables on top of ours.
 *
 * @param command         the program and its arguments ({@link CargoCommand#arguments()})
 * @param environment     variables set for the command, in the order they are shown
 * @param rustupToolchain the rustup toolchain the command runs (null: the default), whose rustc version is
 *                        recorded in the classifier JAR
 * @param label           a short name for logs and the summary, e.g. {@code cargo +sark-debian}
 */
public record CargoInvocation(List<String> command, Map<String, String> environment, String rustupToolchain,
                              String label) {
    public CargoInvocation {
        command = List.copyOf(command);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /** The same command with {@code variables} added; a variable the command already sets keeps its value. */
    public CargoInvocation withDefaults(Map<String, String> variables) {
        Map<String, String> merged = new LinkedHashMap<>(variables);
        merged.putAll(environment);
        return new CargoInvocation(command, merged, rustupToolchain, label);
    }

    /** The command as a user would type it, with the variables this build sets in front. */
    public String display() {
        StringBuilder s = new StringBuilder();
        environment.forEach((k, v) -> s.append(k).append('=').append(quote(v)).append(' '));
        for (String arg : command) {
            s.append(quote(arg)).append(' ');
        }
        return s.toString().trim();
    }

    private static String quote(String arg) {
        return arg.isEmpty() || arg.matches(".*[\\s'\"$].*") ? "'" + arg.replace("'", "'\\''") + "'" : arg;
    }
}
