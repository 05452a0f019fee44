package dev.memsnap.core;

import com.google.inject.AbstractModule;
import dev.memsnap.core.codec.CodecModule;
import dev.memsnap.core.manager.ManagerModule;
import dev.memsnap.core.store.FileStoreModule;

import java.util.Objects;

/**
 * Everything memsnap needs, on the embedded defaults: in-memory short- and long-term memory, the JSON file store in
 * {@code snapshot_dir}, and a DEBUG log of snapshot events.
 * <pre>
 * EnhancedMemoryManager memory = Guice.createInjector(new MemorySnapshotModule(MemoryConfig.defaults()))
 *         .getInstance(EnhancedMemoryManager.class);
 * </pre>
 * Bindings: {@link MemoryConfig} (this module's), {@link MemsnapLifecycle} (start and stop through it), the set of
 * services {@link MemsnapLifecycle#SERVICES}, the {@link dev.memsnap.api.plugin.PluginContext}, the codec of {@link CodecModule}, and the defaults of
 * {@link FileStoreModule} and
 * {@link ManagerModule}, each replaceable with {@code OptionalBinder.setBinding()}. Constructing or installing the
 * module does no I/O; the store creates its directory on its first save or on {@code start()}. Plugins found on the
 * class path are installed by {@link Memsnap}, not by this module.
 */
public final class MemorySnapshotModule extends AbstractModule {
    private final MemoryConfig config;

    /** @param config the {@code memory:} section */
    public MemorySnapshotModule(MemoryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(MemoryConfig.class).toInstance(config);
        install(new CodecModule());
        install(new FileStoreModule());
        install(new ManagerModule());
        com.google.inject.multibindings.Multibinder.newSetBinder(binder(), dev.memsnap.api.Lifecycle.class,
                MemsnapLifecycle.SERVICES);
        // plugins' parts need a context even when no plugin is installed, so the bindings are always complete
        bind(dev.memsnap.api.plugin.PluginContext.class).to(CorePluginContext.class);
    }
}
