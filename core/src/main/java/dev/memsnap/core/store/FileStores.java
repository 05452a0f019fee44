package dev.memsnap.core.store;

import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.SnapshotCodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

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
        return partitioned(dir, codec, FileSnapshotStore::new);
    }

    /**
     * @param dir   the snapshot directory of an incremental store
     * @param codec how to write manifests and chunks
     * @return the store, not yet started
     */
    public static SnapshotStore openIncremental(Path dir, SnapshotCodec codec) {
        return partitioned(dir, codec, IncrementalSnapshotStore::new);
    }

    /**
     * @param dir   a snapshot directory
     * @param codec how to write snapshots
     * @return the codec the directory's stores write with: with encryption, each memory under its own data key, kept
     *         in {@code dir/.memsnap/keys}
     */
    public static SnapshotCodec withDataKeys(Path dir, SnapshotCodec codec) {
        return codec.withDataKeys(new KeyFiles(dir));
    }

    /**
     * @param file        a snapshot file given by path, perhaps inside a snapshot directory, perhaps copied out of one
     * @param snapshotDir the configured snapshot directory
     * @param codec       how to read it
     * @return a codec that finds a memory's data key in the snapshot directory the file lies in (its memory's folder,
     *         or the default memory's), else in {@code snapshotDir}'s
     */
    public static SnapshotCodec withDataKeysFor(Path file, Path snapshotDir, SnapshotCodec codec) {
        Path folder = file.toAbsolutePath().normalize().getParent();
        List<KeyFiles> places = new ArrayList<>();
        if (folder != null) {
            Path memories = folder.getParent();
            if (Files.isRegularFile(folder.resolve(MemoryDirectories.MEMORY_ID_FILE)) && memories != null
                    && memories.getFileName() != null
                    && memories.getFileName().toString().equals(MemoryDirectories.MEMORIES)
                    && memories.getParent() != null) {
                places.add(new KeyFiles(memories.getParent()));
            }
            places.add(new KeyFiles(folder));
        }
        places.add(new KeyFiles(snapshotDir));
        return codec.withDataKeys(new KeyFiles.FirstHolding(places));
    }

    /** A store per memory directory, each with a codec that seals under that memory's data key. */
    static SnapshotStore partitioned(Path dir, SnapshotCodec codec, BiFunction<Path, SnapshotCodec, SnapshotStore> make) {
        SnapshotCodec keyed = withDataKeys(dir, codec);
        return new MemoryPartitionedStore(dir, (d, memoryId) -> make.apply(d, keyed.forMemory(memoryId)),
                keyed.dataKeys());
    }

    /** @return whether {@code dir} holds an incremental store */
    public static boolean isIncremental(Path dir) {
        return Files.isRegularFile(dir.resolve("index.jsonl")) && Files.isDirectory(dir.resolve("manifests"));
    }
}
