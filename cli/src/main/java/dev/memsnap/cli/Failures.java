package dev.memsnap.cli;

import dev.memsnap.core.Suggestions;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

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
        if (!suggestCommand(failure, err)) {
            UnmatchedArgumentException.printSuggestions(failure, err);
        }
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

    /**
     * picocli suggests commands by shared letter pairs, which finds nothing for a swap such as {@code lsit}; the
     * edit distance (with transpositions, as git's "did you mean") finds {@code list}.
     *
     * @return whether a command was suggested
     */
    private static boolean suggestCommand(ParameterException failure, PrintWriter err) {
        if (!(failure instanceof UnmatchedArgumentException unmatched) || unmatched.isUnknownOption()
                || unmatched.getUnmatched().isEmpty()) {
            return false;
        }
        CommandLine commandLine = failure.getCommandLine();
        String typed = unmatched.getUnmatched().get(0);
        List<String> nearest = nearest(typed, commandLine.getSubcommands().keySet());
        if (nearest.isEmpty()) {
            return false;
        }
        String name = commandLine.getCommandSpec().qualifiedName();
        err.println("Did you mean " + (nearest.size() == 1 ? "" : "one of ")
                + nearest.stream().map(c -> "'" + name + " " + c + "'").collect(Collectors.joining(", ")) + "?");
        return true;
    }

    /** @return the candidates closest to {@code typed}, if close enough to be a typo: at most 2 edits, fewer than half */
    static List<String> nearest(String typed, Collection<String> candidates) {
        int best = Integer.MAX_VALUE;
        List<String> nearest = new ArrayList<>();
        for (String candidate : candidates) {
            int d = Suggestions.distance(typed, candidate);
            if (d > 2 || d * 2 >= Math.max(typed.length(), candidate.length())) {
                continue;
            }
            if (d < best) {
                best = d;
                nearest.clear();
            }
            if (d == best) {
                nearest.add(candidate);
            }
        }
        return nearest;
    }

    private static boolean debug(CommandLine commandLine) {
        return commandLine.getCommandSpec().root().userObject() instanceof MemsnapCommand root && root.debug;
    }
}
