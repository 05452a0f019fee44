package dev.memsnap.store.postgres;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.store.SnapshotStore;

import java.util.Objects;

/**
 * Keeps snapshots in PostgreSQL: binds {@link SnapshotStore} to a store on the configured database, replacing core's
 * file store through its {@code OptionalBinder}. Install it next to core's {@code MemorySnapshotModule}, whose
 * {@code SnapshotCodec} (from {@code memory.compression} and {@code memory.encryption}) the store writes with:
 * <pre>
 * Guice.createInjector(new MemorySnapshotModule(memoryConfig),
 *         new PostgresStoreModule(PostgresStoreConfig.of("jdbc:postgresql://db:5432/memsnap", "memsnap",
 *                 "MEMSNAP_PG_PASSWORD")));
 * </pre>
 * {@link PostgresStorePlugin} installs it for a host that starts memsnap with {@code Memsnap.start} and sets
 * {@code memory.store: postgres}. Bindings: {@link SnapshotStore} (a singleton) and {@link PostgresStoreConfig}.
 * Building the injector connects to nothing: the store opens its pool and migrates the schema in {@code start()},
 * which {@code Memsnap} calls (a host building its own injector calls it too).
 */
public final class PostgresStoreModule extends AbstractModule {
    private final PostgresStoreConfig config;

    /** @param config the {@code memory.postgres:} section */
    public PostgresStoreModule(PostgresStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(PostgresStoreConfig.class).toInstance(config);
        bind(PostgresSnapshotStore.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), SnapshotStore.class).setBinding().to(PostgresSnapshotStore.class);
    }
}
