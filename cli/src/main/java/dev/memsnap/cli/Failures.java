package dev.memsnap.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Turns every failure into one {@code memsnap: <message>} line on stderr and its documented exit code. Stack traces
 * only with {@code --debug}: a script's log should show what went wrong, not where in memsnap.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine commandLine = failure.getCommandLine();
        PrintWriter err = commandLine.getErr();
        // One escaping rule for every message: a hostile argument or file must not reach the terminal raw.
        err.println("memsnap: " + Text.line(String.valueOf(failure.getMessage())));
        if (debug(commandLine)) {
            failure.printStackTrace(err);
        }
        UnmatchedArgumentException.printSuggestions(failure, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        commandLine.getOut().flush(); // what was printed before the failure comes first
        err.println("memsnap: " + Text.line(ExitCodes.message(failure)));
        if (debug(commandLine)) {
            failure.printStackTrace(err);
        }
        return ExitCodes.of(failure);
    }

    private static boolean debug(CommandLine commandLine) {
        return commandLine.getCommandSpec().root().userObject() instanceof MemsnapCommand root && root.debug;
    }
}
