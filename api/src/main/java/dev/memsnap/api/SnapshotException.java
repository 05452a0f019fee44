package dev.memsnap.api;

/** The base of every error memsnap reports. An operation that throws one has changed nothing. */
public class SnapshotException extends RuntimeException {
    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
