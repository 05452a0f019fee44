package dev.memsnap.api;

/** No snapshot has the given id, or nothing is at the given location. */
public class SnapshotNotFoundException extends SnapshotException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
