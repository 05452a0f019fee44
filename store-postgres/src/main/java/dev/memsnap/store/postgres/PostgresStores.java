package dev.memsnap.store.postgres;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;

/**
 * Opens a PostgreSQL store outside Guice, as core's {@code FileStores} opens a directory: for tools such as the
 * command line's export and import ({@code new SnapshotTools(from).copyTo(to, progress)}).
 */
public final class PostgresStores {
    private PostgresStores() {
    }

    /**
     * @param config the database, and the environment variable holding the password
     * @param codec  how to write snapshots (reading detects any encoding)
     * @return the store, not yet started: {@code start()} connects and migrates, {@code stop()} closes the pool
     */
    public static SnapshotStore open(PostgresStoreConfig config, SnapshotCodec codec) {
        return new PostgresSnapshotStore(config, codec);
    }
}
