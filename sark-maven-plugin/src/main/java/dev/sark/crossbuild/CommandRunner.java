package dev.sark.crossbuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs external tools with commons-exec, streaming their output line by line and keeping the tail. */
public class CommandRunner {
    /** Lines of output kept for error messages. */
    static final int TAIL_LINES = 30;

    private final Consumer<String> debug;
    private final HostEnvironment environment;

    public CommandRunner() {
        this(line -> { });
    }

    /** {@code debug} receives each probe and its outcome (Maven's {@code -X}). */
    public CommandRunner(Consumer<String> debug) {
        this(debug, HostEnvironment.current());
    }

    /** {@code environment}: what every command starts with, before the variables the command itself sets. */
    public CommandRunner(Consumer<String> debug, HostEnvironment environment) {
        this.debug = debug;
        this.environment = environment;
    }

    /** The environment commands start with (and {@link HostTools} probes with). */
    public HostEnvironment environment() {
        return environment;
    }

    /** The outcome of one command. */
    /**
     * @param exitCode the command's exit code
     * @param output   everything the command printed (only kept for {@link #capture})
     * @param tail     the last lines of output, stdout and stderr interleaved as they came
     */
    public record Result(int exitCode, List<String> output, List<String> tail) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        public String firstLine() {
            return output.isEmpty() ? "" : output.get(0);
        }
    }

    /**
     * Runs {@code command}, giving each line of its output to {@code lines} as it comes.
     *
     * @throws BuildException when the program cannot be started at all (not on PATH, not executable)
     */
    public Result stream(List<String> command, Map<String, String> extraEnv, Path workDir, Consumer<String> lines) {
        return stream(command, extraEnv, workDir, line -> false, lines);
    }

    /**
     * Like {@link #stream(List, Map, Path, Consumer)}, but lines that {@code messages} takes (a tool's
     * machine-readable messages, such as cargo's JSON) go neither to {@code lines} nor into the tail.
     */
    public Result stream(List<String> command, Map<String, String> extraEnv, Path workDir, Predicate<String> messages,
                         Consumer<String> lines) {
        return run(command, extraEnv, workDir, messages, lines, false, null);
    }

    /** Runs a short probe such as {@code rustc -vV} and keeps all its output; null when it cannot start. */
    public Result capture(List<String> command, Map<String, String> extraEnv, Path workDir) {
        try {
            Result r = run(command, extraEnv, workDir, line -> false, line -> { }, true, Duration.ofMinutes(2));
            debug.accept("probe: " + String.join(" ", command) + " -> exit " + r.exitCode()
                    + (r.output().isEmpty() ? "" : ", " + r.firstLine()));
            return r;
        } catch (BuildException notStartable) {
            debug.accept("probe: " + String.join(" ", command) + " -> cannot start: " + notStartable.getMessage());
            return null;
        }
    }

    private Result run(List<String> command, Map<String, String> extraEnv, Path workDir, Predicate<String> messages,
                       Consumer<String> lines, boolean keepAll, Duration timeout) {
        List<String> all = new ArrayList<>();
        Deque<String> tail = new ArrayDeque<>();
        Consumer<String> sink = line -> {
            synchronized (tail) {
                if (messages.test(line)) {
                    return;
                }
                if (keepAll) {
                    all.add(line);
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
                lines.accept(line);
            }
        };
        CommandLine cl = new CommandLine(command.get(0));
        for (String arg : command.subList(1, command.size())) {
            cl.addArgument(arg, false);
        }
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(workDir.toFile()).get();
        executor.setExitValues(null);
        executor.setProcessDestroyer(ProcessTreeDestroyer.INSTANCE);
        if (timeout != null) {
            executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(timeout).get());
        }
        LineSink out = new LineSink(sink);
        LineSink err = new LineSink(sink);
        executor.setStreamHandler(new PumpStreamHandler(out, err));
        Map<String, String> env = new HashMap<>(environment.variables());
        env.putAll(extraEnv);
        try {
            int code = executor.execute(cl, env);
            out.close();
            err.close();
            List<String> tailCopy;
            synchronized (tail) {
                tailCopy = List.copyOf(tail);
            }
            return new Result(code, all, tailCopy);
        } catch (ExecuteException e) {
            throw new BuildException("Could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BuildException("Could not start '" + command.get(0) + "': " + e.getMessage()
                    + ". Is it installed and on the PATH?", e);
        }
    }

    /** Turns a byte stream into UTF-8 lines. */
    private static final class LineSink extends LogOutputStream {
        private final Consumer<String> sink;

        LineSink(Consumer<String> sink) {
            super(0, StandardCharsets.UTF_8);
            this.sink = sink;
        }

        @Override
        protected void processLine(String line, int level) {
            sink.accept(line);
        }
    }
}
