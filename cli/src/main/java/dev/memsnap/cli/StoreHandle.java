package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.tools.SnapshotTools;

import java.nio.file.Path;

/**
 * An opened snapshot store, stopped on close.
 *
 * @param dir   its directory
 * @param store the store
 */
record StoreHandle(Path dir, SnapshotStore store) implements AutoCloseable {

    /** @return the tooling over this store */
    SnapshotTools tools() {
        return new SnapshotTools(store);
    }

    @Override
    public void close() {
        store.stop();
    }
}
