package dev.memsnap.cli;

import dev.memsnap.core.tools.SnapshotTools.Progress;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a run of the command line sees of the world. {@link #system()} is the real one; tests build their own, so that
 * commands run in-process with captured output, a chosen environment (for key variables) and no terminal.
 *
 * @param out      standard output: results only
 * @param err      standard error: messages, warnings, the progress bar
 * @param env      environment variables, read for keys and passphrases
 * @param terminal whether a person is watching (a console), which turns the progress bar on by default
 * @param workDir  what relative paths (config file, directories, key files) are resolved against
 * @param progress wraps the progress callback of every long operation; the identity outside tests, where it lets
 *                 a test interrupt a rekey half-way through
 */
record CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal, Path workDir,
                  UnaryOperator<Progress> progress) {

    CliContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
        workDir = workDir.toAbsolutePath().normalize();
        Objects.requireNonNull(progress, "progress");
    }

    /** @return the process's own streams, environment and working directory */
    static CliContext system() {
        // JSON is UTF-8 by definition, and snapshot text is any Unicode: never the platform's legacy charset.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        return new CliContext(out, err, System.getenv(), System.console() != null, Path.of(""),
                UnaryOperator.identity());
    }

    /**
     * @param path a path given on the command line or in the config file
     * @return it resolved against {@link #workDir()}
     */
    Path resolve(Path path) {
        return workDir.resolve(path).normalize();
    }
}
