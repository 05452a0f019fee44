package dev.memsnap.api;

/** A string given as a snapshot id is not one: ids are {@code snapshot_<yyyyMMdd>_<HHmmss>_<8 lowercase hex>}. */
public class InvalidSnapshotIdException extends SnapshotException {
    public InvalidSnapshotIdException(String message) {
        super(message);
    }
}
