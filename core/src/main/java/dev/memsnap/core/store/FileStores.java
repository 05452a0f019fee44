package dev.memsnap.core.store;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;

import java.nio.file.Path;

/** Opens a file store outside Guice: for tools that work on a directory, such as the command line. */
public final class FileStores {
    private FileStores() {
    }

    /**
     * @param dir   the snapshot directory
     * @param codec how to write snapshots (reading detects any encoding)
     * @return the store, not yet started
     */
    public static SnapshotStore open(Path dir, SnapshotCodec codec) {
        return new MemoryPartitionedStore(dir, d -> new FileSnapshotStore(d, codec));
    }

    /**
     * @param dir   the snapshot directory of an incremental store
     * @param codec how to write manifests and chunks
     * @return the store, not yet started
     */
    public static SnapshotStore openIncremental(Path dir, SnapshotCodec codec) {
        return new MemoryPartitionedStore(dir, d -> new IncrementalSnapshotStore(d, codec));
    }
}
