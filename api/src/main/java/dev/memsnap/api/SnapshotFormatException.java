package dev.memsnap.api;

/**
 * What was read is not a valid snapshot: malformed or truncated JSON, a missing or wrong-typed field, an invalid id.
 * The message names the source and the problem.
 */
public class SnapshotFormatException extends SnapshotException {
    private final String source;

    public SnapshotFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public SnapshotFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** @return where the bad snapshot came from, a file path or a store location */
    public String source() {
        return source;
    }
}
