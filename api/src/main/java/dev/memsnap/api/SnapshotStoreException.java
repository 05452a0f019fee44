package dev.memsnap.api;

/** The snapshot store could not do what was asked (disk full, permission denied, connection lost). Nothing was lost. */
public class SnapshotStoreException extends SnapshotException {
    /** @param message what failed, naming the place */
    public SnapshotStoreException(String message) {
        super(message);
    }

    public SnapshotStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
