package dev.memsnap.api;

/** The snapshot store could not do what was asked (disk full, permission denied, connection lost). Nothing was lost. */
public class SnapshotStoreException extends SnapshotException {
    public SnapshotStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
