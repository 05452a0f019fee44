package dev.memsnap.cli;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.store.OneMemoryStore;
import dev.memsnap.core.tools.SnapshotTools;

import java.nio.file.Path;

/**
 * An opened snapshot store, stopped on close.
 *
 * @param config the {@code memory:} settings it was opened with
 * @param opened the store, with what it was made with
 */
record StoreHandle(MemoryConfig config, SnapshotStores.Opened opened) implements AutoCloseable {

    /** @return the store */
    SnapshotStore store() {
        return opened.store();
    }

    /** @return its directory, or {@code null} when the store keeps its snapshots elsewhere (a database) */
    Path dir() {
        return Workspace.isDirectoryStore(config.store()) ? config.snapshotDir() : null;
    }

    /** @return where it keeps its snapshots, for messages: its directory, or the store itself */
    String where() {
        Path dir = dir();
        return dir != null ? dir.toString() : opened.name() + " store " + opened.store();
    }

    /** @return the codec the store writes with (and its key id, when it encrypts) */
    SnapshotCodec codec() {
        if (opened.context().encoding() instanceof SnapshotCodec codec) {
            return codec;
        }
        throw new IllegalStateException("not core's codec: " + opened.context().encoding());
    }

    /** @return the tooling over this store */
    SnapshotTools tools() {
        return new SnapshotTools(store());
    }

    /**
     * @param memoryId a valid memory id
     * @return the store as that memory sees it
     */
    OneMemoryStore memory(String memoryId) {
        return memory(store(), memoryId);
    }

    /**
     * @param over     this store, or a wrapper of it (a {@link RecordingStore}) that the view is to go through
     * @param memoryId a valid memory id
     * @return the store as that memory sees it, through {@code over}; its damaged snapshots count where the store
     *         can tell whose they are ({@link SnapshotStore#storedIds(String)})
     */
    OneMemoryStore memory(SnapshotStore over, String memoryId) {
        return new OneMemoryStore(over, memoryId);
    }

    @Override
    public void close() {
        opened.close();
    }
}
