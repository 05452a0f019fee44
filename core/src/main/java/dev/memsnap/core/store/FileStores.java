package dev.memsnap.core.store;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a file store outside Guice: for tools that work on a directory, such as the command line. */
public final class FileStores {
    private FileStores() {
    }

    /**
     * @param dir   the snapshot directory
     * @param codec how to write snapshots (reading detects any encoding)
     * @return the store, not yet started: the incremental store when the directory holds its layout (an index and a
     *         folder of manifests), else the file store; a file store's view of an incremental directory would
     *         hold no snapshot at all, and a check of it would pass for an all-clear
     */
    public static SnapshotStore open(Path dir, SnapshotCodec codec) {
        if (isIncremental(dir)) {
            return openIncremental(dir, codec);
        }
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

    /** @return whether {@code dir} holds an incremental store */
    public static boolean isIncremental(Path dir) {
        return Files.isRegularFile(dir.resolve("index.jsonl")) && Files.isDirectory(dir.resolve("manifests"));
    }
}
