package dev.memsnap.cli;

import picocli.CommandLine;

import java.util.Arrays;

/**
 * The {@code memsnap} command line: lists, shows, compares, prunes, verifies, exports, imports, labels, pins and
 * re-encrypts the snapshots of a snapshot directory. Run {@code memsnap --help} for the commands, and
 * {@code memsnap COMMAND --help} for each one's options.
 *
 * <p>Output is for scripts as much as for people: results on stdout ({@code --json} where a script would parse them),
 * messages on stderr as {@code memsnap: <message>}, and documented exit codes (see {@code --help}).
 */
public final class MemsnapCli {
    private static final String DEBUG = "--debug";

    private MemsnapCli() {
    }

    /**
     * Runs one command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains(DEBUG)) {
            // slf4j-simple reads its level once, when the first logger is made: before any command class loads.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
            System.setProperty("org.slf4j.simpleLogger.log.dev.memsnap.core.store.FileSnapshotStore", "debug");
            System.setProperty("org.slf4j.simpleLogger.log.dev.memsnap.core.store.SnapshotListing", "debug");
        }
        System.exit(run(CliContext.system(), args));
    }

    /**
     * Runs one command in this process.
     *
     * @param context the streams, environment and working directory to use
     * @param args    the command line
     * @return the exit code
     */
    static int run(CliContext context, String... args) {
        try {
            return commandLine(context).execute(args);
        } catch (VirtualMachineError | LinkageError | AssertionError e) {
            // Errors pass picocli's handler, which takes Exceptions only; uncaught they would exit 1, which means
            // "damaged or different".
            context.out().flush();
            context.err().println("memsnap: internal error: " + e
                    + (e instanceof OutOfMemoryError ? " (give Java more heap: java -Xmx...)" : "")
                    + " (rerun with --debug for the stack trace, and please report it)");
            if (Arrays.asList(args).contains(DEBUG)) {
                e.printStackTrace(context.err());
            }
            return ExitCodes.INTERNAL;
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    /**
     * @param context the streams, environment and working directory to use
     * @return the command tree, wired to the context, with memsnap's error handling
     */
    static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new MemsnapCommand(context));
        commandLine.setOut(context.out());
        commandLine.setErr(context.err());
        // Registered after the subcommands are added, so that it reaches all of them.
        commandLine.registerConverter(java.nio.file.Path.class, new Converters.NonEmptyPath());
        Failures failures = new Failures();
        commandLine.setExecutionExceptionHandler(failures);
        commandLine.setParameterExceptionHandler(failures);
        commandLine.setUsageHelpLongOptionsMaxWidth(30);
        return commandLine;
    }
}
