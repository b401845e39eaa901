package dev.sark.crossbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
    @TempDir
    Path tmp;

    private final CommandRunner runner = new CommandRunner();

    @Test
    void streamsStdoutAndStderrAndKeepsTheExitCode() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CommandRunner.Result r = runner.stream(List.of("/bin/sh", "-c", "echo out; echo err >&2; printf 'last without newline'; exit 101"),
                Map.of(), tmp, seen::add);

        assertEquals(101, r.exitCode());
        assertTrue(!r.succeeded());
        assertTrue(seen.containsAll(List.of("out", "err", "last without newline")), seen.toString());
        assertTrue(r.tail().containsAll(seen) && seen.containsAll(r.tail()), r.tail().toString());
        assertEquals(List.of(), r.output(), "stream keeps no full output");
    }

    @Test
    void tailKeepsTheLastLinesOnly() {
        CommandRunner.Result r = runner.stream(List.of("/bin/sh", "-c", "i=1; while [ $i -le 100 ]; do echo line$i; i=$((i+1)); done"),
                Map.of(), tmp, line -> { });
        assertEquals(CommandRunner.TAIL_LINES, r.tail().size());
        assertEquals("line100", r.tail().get(r.tail().size() - 1));
        assertEquals("line" + (101 - CommandRunner.TAIL_LINES), r.tail().get(0));
    }

    @Test
    void extraEnvironmentAndWorkingDirectoryReachTheProcess() {
        CommandRunner.Result r = runner.capture(List.of("/bin/sh", "-c", "echo \"$SARK_TEST_VAR\"; pwd"),
                Map.of("SARK_TEST_VAR", "hello world"), tmp);
        assertTrue(r.succeeded());
        assertEquals("hello world", r.firstLine());
        assertEquals(tmp.toAbsolutePath().toString(), r.output().get(1));
    }

    @Test
    void argumentsAreNotReinterpretedByAShell() {
        CommandRunner.Result r = runner.capture(List.of("/bin/echo", "a b", "$HOME", "'q'"), Map.of(), tmp);
        assertEquals("a b $HOME 'q'", r.firstLine());
    }

    @Test
    void programThatCannotStart() {
        List<String> cmd = List.of(tmp.resolve("no-such-tool").toString(), "--version");
        BuildException e = assertThrows(BuildException.class, () -> runner.stream(cmd, Map.of(), tmp, line -> { }));
        assertTrue(e.getMessage().contains("no-such-tool"), e.getMessage());
        assertNull(runner.capture(cmd, Map.of(), tmp));
    }

    @Test
    void probesAndTheirAnswersGoToTheDebugLog() {
        List<String> debug = new ArrayList<>();
        CommandRunner runner = new CommandRunner(debug::add);
        runner.capture(List.of("sh", "-c", "echo rustc 1.95.0; exit 3"), Map.of(), tmp);
        runner.capture(List.of(tmp.resolve("no-such-tool").toString()), Map.of(), tmp);
        assertEquals("probe: sh -c echo rustc 1.95.0; exit 3 -> exit 3, rustc 1.95.0", debug.get(0));
        assertTrue(debug.get(1).contains("-> cannot start"), debug.toString());
    }
}
