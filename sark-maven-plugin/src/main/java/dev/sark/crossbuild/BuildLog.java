package dev.sark.crossbuild;

/** Where the build reports progress; the Mojo adapts Maven's log to it, tests collect the lines. */
public interface BuildLog {
    void info(String message);

    void warn(String message);

    void error(String message);
}
