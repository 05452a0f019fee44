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
        Map<String, String> previous = ProcessEnvironment.set(env);
        int code;
        try {
            code = MemsnapCli.run(new CliContext(new PrintWriter(out), new PrintWriter(err), env, terminal, workDir,
                    progress), args);
        } finally {
            ProcessEnvironment.restore(previous);
        }
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * The variables of the run in this process's own environment as well, for as long as it runs. The command line
     * reads keys from its {@link CliContext#env()}, but the stores it opens through core's {@code SnapshotStores}
     * read theirs from {@link System#getenv()}, as a host's do; outside tests the two are the same environment.
     * Needs {@code --add-opens java.base/java.util=ALL-UNNAMED} (the surefire configuration gives it).
     */
    private static final class ProcessEnvironment {
        private ProcessEnvironment() {
        }

        /** @return the values the variables had before (a {@code null} value: unset) */
        static synchronized Map<String, String> set(Map<String, String> variables) {
            Map<String, String> previous = new HashMap<>();
            Map<String, String> env = writable();
            variables.forEach((name, value) -> {
                previous.put(name, env.get(name));
                env.put(name, value);
            });
            return previous;
        }

        static synchronized void restore(Map<String, String> previous) {
            Map<String, String> env = writable();
            previous.forEach((name, value) -> {
                if (value == null) {
                    env.remove(name);
                } else {
                    env.put(name, value);
                }
            });
        }

        @SuppressWarnings("unchecked")
        private static Map<String, String> writable() {
            Map<String, String> env = System.getenv();
            try {
                java.lang.reflect.Field inner = env.getClass().getDeclaredField("m");
                inner.setAccessible(true);
                return (Map<String, String>) inner.get(env);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot set this process's environment for a test: run it through "
                        + "Maven, whose surefire configuration opens java.util", e);
            }
        }
    }
}
