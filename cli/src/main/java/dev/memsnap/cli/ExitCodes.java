package dev.memsnap.cli;

import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.ConfigException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The exit codes scripts rely on, and which failure gets which. Documented in every command's help. */
final class ExitCodes {
    /** Done; for verify, every snapshot intact; for diff, identical memory. */
    static final int OK = 0;
    /** verify found damage, or diff found differences. */
    static final int DIFFERENT = 1;
    /** A usage error (unknown option, malformed argument or id) or an unusable config or key setting. */
    static final int USAGE = 2;
    /** No such snapshot, file or snapshot directory. */
    static final int NOT_FOUND = 3;
    /** A snapshot is damaged, invalid, or encrypted with a key that is not configured. */
    static final int DAMAGED = 4;
    /** Reading or writing the store failed (I/O). */
    static final int IO = 5;
    /** A bug in memsnap (sysexits' EX_SOFTWARE): nothing a script should retry. */
    static final int INTERNAL = 70;

    private ExitCodes() {
    }

    /**
     * @param failure what a command threw
     * @return its exit code
     */
    static int of(Throwable failure) {
        // Order matters: the specific subclasses of SnapshotException first.
        if (failure instanceof CommandLine.ParameterException || failure instanceof ConfigException
                || failure instanceof InvalidSnapshotIdException) {
            return USAGE;
        }
        if (failure instanceof SnapshotNotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof SnapshotFormatException) {
            return DAMAGED;
        }
        if (failure instanceof SnapshotException || failure instanceof IOException
                || failure instanceof UncheckedIOException) {
            return IO;
        }
        return INTERNAL;
    }

    /**
     * @param failure what a command threw
     * @return the line to show after {@code memsnap: }
     */
    static String message(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof UncheckedIOException && failure.getCause() != null) {
            message = describe(failure.getCause());
        } else if (failure instanceof IOException) {
            message = describe(failure);
        }
        if (ExitCodes.of(failure) == INTERNAL) {
            return "internal error: " + failure + " (rerun with --debug for the stack trace, and please report it)";
        }
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** An IOException's message is often just a path; the class name says what went wrong with it. */
    static String describe(Throwable ioFailure) {
        String message = ioFailure.getMessage();
        String kind = switch (ioFailure.getClass().getSimpleName()) {
            case "NoSuchFileException" -> "no such file or directory";
            case "AccessDeniedException" -> "permission denied";
            case "FileAlreadyExistsException" -> "already exists";
            case "NotDirectoryException" -> "not a directory";
            case "DirectoryNotEmptyException" -> "directory not empty";
            default -> null;
        };
        if (kind != null) {
            return message == null ? kind : message + ": " + kind;
        }
        return message == null ? ioFailure.getClass().getSimpleName() : message;
    }
}
