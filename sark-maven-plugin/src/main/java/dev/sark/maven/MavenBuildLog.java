package dev.sark.maven;

import dev.sark.crossbuild.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** Maven's log behind the build core's {@link BuildLog}. */
final class MavenBuildLog implements BuildLog {
    private final Log log;
    private final String prefix;

    MavenBuildLog(Log log) {
        this(log, "");
    }

    /** {@code prefix} goes in front of every line, e.g. the module's name when Maven builds modules in parallel. */
    MavenBuildLog(Log log, String prefix) {
        this.log = log;
        this.prefix = prefix;
    }

    @Override
    public void info(String message) {
        log.info(prefix + message);
    }

    @Override
    public void warn(String message) {
        log.warn(prefix + message);
    }

    @Override
    public void error(String message) {
        log.error(prefix + message);
    }
}
