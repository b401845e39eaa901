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
    void theInjectedEnvironmentIsWhatCommandsAndProbesSee() {
        HostEnvironment host = new HostEnvironment(Map.of("PATH", "/usr/bin:/bin", "SARK_HOST_VAR", "from the host"));
        CommandRunner injected = new CommandRunner(line -> { }, host);

        CommandRunner.Result r = injected.capture(List.of("/bin/sh", "-c", "echo \"$SARK_HOST_VAR|$SARK_CMD_VAR|${HOME:-no home}\""),
                Map.of("SARK_CMD_VAR", "from the command"), tmp);

        assertEquals("from the host|from the command|no home", r.firstLine(), "only the injected variables, then the command's");
        assertEquals(host.variables(), new HostTools(injected, tmp).environment(), "the probes read the same environment");
        MessagesSeen messages = new MessagesSeen();
        injected.stream(List.of("/bin/sh", "-c", "echo '{\"reason\":\"x\"}'; echo text"), Map.of(), tmp, messages::take,
                messages.text::add);
        assertEquals(List.of("{\"reason\":\"x\"}"), messages.taken);
        assertEquals(List.of("text"), messages.text);
    }

    /** Takes the lines that look like a JSON message, as CargoMessages does. */
    private static final class MessagesSeen {
        final List<String> taken = new ArrayList<>();
        final List<String> text = new ArrayList<>();

        boolean take(String line) {
            if (line.startsWith("{")) {
                taken.add(line);
                return true;
            }
            return false;
        }
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
