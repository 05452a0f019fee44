package dev.memsnap.cli;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.store.FileStores;
import dev.memsnap.core.store.MemoryDirectories;
import dev.memsnap.core.tools.SnapshotTools;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An opened snapshot store, stopped on close.
 *
 * @param config the {@code memory:} settings it was opened with
 * @param opened the store, with what it was made with
 */
record StoreHandle(MemoryConfig config, SnapshotStores.Opened opened) implements AutoCloseable {
    private static final String INCREMENTAL = "incremental";

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
    MemoryView memory(String memoryId) {
        return memory(store(), memoryId);
    }

    /**
     * @param over     this store, or a wrapper of it (a {@link RecordingStore}) that the view is to go through
     * @param memoryId a valid memory id
     * @return the store as that memory sees it, through {@code over}
     */
    MemoryView memory(SnapshotStore over, String memoryId) {
        return new MemoryView(over, memoryId, dir() == null ? null : () -> placeIds(memoryId));
    }

    /**
     * The ids stored in a memory's own directory, damaged ones included (they cannot be listed, so cannot say which
     * memory they are of; where they lie can): a memory other than the default keeps its snapshots in the directory
     * {@link MemoryDirectories} names, the default one in the snapshot directory itself, beside the others'.
     */
    private List<String> placeIds(String memoryId) {
        if (!memoryId.equals(MemoryManagers.DEFAULT)) {
            return idsIn(MemoryDirectories.of(dir(), memoryId));
        }
        Set<String> ids = new LinkedHashSet<>(store().storedIds());
        for (String other : store().memoryIds()) {
            if (!other.equals(MemoryManagers.DEFAULT)) {
                idsIn(MemoryDirectories.of(dir(), other)).forEach(ids::remove);
            }
        }
        return List.copyOf(ids);
    }

    /** @return the ids stored in one memory's directory, read by a store opened on it alone (never started) */
    private List<String> idsIn(Path memoryDir) {
        if (!Files.isDirectory(memoryDir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        SnapshotStore place = config.store().equals(INCREMENTAL)
                ? FileStores.openIncremental(memoryDir, codec()) : FileStores.open(memoryDir, codec());
        return place.storedIds();
    }

    @Override
    public void close() {
        opened.close();
    }
}
