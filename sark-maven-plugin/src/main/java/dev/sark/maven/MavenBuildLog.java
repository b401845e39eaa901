package dev.sark.maven;

import dev.sark.build.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** Maven's log behind the build core's {@link BuildLog}. */
final class MavenBuildLog implements BuildLog {
    private final Log log;

    MavenBuildLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void error(String message) {
        log.error(message);
    }
}
