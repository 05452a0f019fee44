package dev.memsnap.cli;

import dev.memsnap.core.tools.SnapshotTools.Progress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Runs {@code memsnap} in this process, as a user would, with captured stdout and stderr. */
final class Cli {
    private final Map<String, String> env = new HashMap<>();
    private Path workDir = Path.of("").toAbsolutePath();
    private boolean terminal;
    private UnaryOperator<Progress> progress = UnaryOperator.identity();

    /**
     * @param code the exit code
     * @param out  what went to stdout
     * @param err  what went to stderr
     */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli workDir(Path dir) {
        workDir = dir;
        return this;
    }

    Cli terminal(boolean isTerminal) {
        terminal = isTerminal;
        return this;
    }

    Cli progress(UnaryOperator<Progress> wrapper) {
        progress = wrapper;
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The run's environment is its CliContext's alone: the keys of the stores it opens come from it too.
        int code = MemsnapCli.run(new CliContext(new PrintWriter(out), new PrintWriter(err), env, terminal, workDir,
                progress), args);
        return new Result(code, out.toString(), err.toString());
    }
}
