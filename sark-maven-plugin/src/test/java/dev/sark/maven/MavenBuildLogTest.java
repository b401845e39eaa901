package dev.sark.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class MavenBuildLogTest {

    /** Records what reaches Maven's log. */
    private static final class Recording extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add("INFO " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("WARN " + content);
        }

        @Override
        public void error(CharSequence content) {
            lines.add("ERROR " + content);
        }
    }

    @Test
    void underMvnTEachLineSaysWhichModuleItComesFrom() {
        Recording maven = new Recording();
        MavenBuildLog log = new MavenBuildLog(maven, "[sark-opa-native] ");
        log.info("(1/10) x86_64-unknown-linux-gnu: cargo via cargo");
        log.warn("w");
        log.error("e");
        assertEquals(List.of("INFO [sark-opa-native] (1/10) x86_64-unknown-linux-gnu: cargo via cargo",
                "WARN [sark-opa-native] w", "ERROR [sark-opa-native] e"), maven.lines);

        Recording sequential = new Recording();
        new MavenBuildLog(sequential).info("plain");
        assertEquals(List.of("INFO plain"), sequential.lines);
    }
}
