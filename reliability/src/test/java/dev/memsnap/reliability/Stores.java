package dev.memsnap.reliability;

import com.google.inject.Guice;
import com.google.inject.util.Modules;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.codec.SnapshotCodec;

import java.nio.file.Path;

/**
 * Opening memsnap's own stores on a directory, the way a tool or a restarted process does: {@code file} (one file per
 * snapshot) or {@code incremental} (chunks and manifests), each with a codec the test chooses.
 */
final class Stores {
    /** The stores of {@code memory.store} that keep snapshots in {@code snapshot_dir}. */
    enum Kind {
        FILE("file"),
        INCREMENTAL("incremental");

        final String configName;

        Kind(String configName) {
            this.configName = configName;
        }
    }

    private Stores() {
    }

    /**
     * @param dir   a snapshot directory
     * @param codec how to write (reading detects every encoding)
     * @return a file store on it, started: its directory exists and stale temporary files are gone
     */
    static SnapshotStore started(Path dir, SnapshotCodec codec) {
        return started(Kind.FILE, dir, codec);
    }

    /**
     * @param kind  which store
     * @param dir   a snapshot directory
     * @param codec how to write
     * @return the store, started
     */
    static SnapshotStore started(Kind kind, Path dir, SnapshotCodec codec) {
        SnapshotStore store = open(kind, dir, codec);
        store.start();
        return store;
    }

    /**
     * The store as {@code memory.store} would choose it, with the codec replaced by the test's (the incremental store
     * has no public constructor, so it is made by the same Guice bindings a host uses).
     *
     * @return the store, not started
     */
    static SnapshotStore open(Kind kind, Path dir, SnapshotCodec codec) {
        MemoryConfig config = new MemoryConfig(dir, false, 10).withStore(kind.configName);
        return Guice.createInjector(Modules.override(new MemorySnapshotModule(config))
                        .with(binder -> binder.bind(SnapshotCodec.class).toInstance(codec)))
                .getInstance(SnapshotStore.class);
    }
}
