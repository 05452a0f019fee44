package dev.memsnap.core.store;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.store.SnapshotStore;

/**
 * Binds the default {@link SnapshotStore}: JSON files in {@code memory.snapshot_dir}. A host replaces it with
 * {@code OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setBinding().to(MyStore.class)}.
 * Needs a bound {@link dev.memsnap.core.MemoryConfig}.
 */
public final class FileStoreModule extends AbstractModule {
    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setDefault().to(FileSnapshotStore.class);
    }
}
