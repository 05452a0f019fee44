package dev.memsnap.store.postgres;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.StoreFactory;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.MemsnapLifecycle;
import dev.memsnap.core.PluginModule;
import dev.memsnap.core.SnapshotStores;
import dev.memsnap.core.codec.SnapshotCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code memory.store: postgres} in config.yaml selects this store, through the plugin's one store factory, for every
 * way memsnap is started or a tool opens the store; nothing else does.
 */
class PostgresStorePluginTest {
    private final PostgresServer server = PostgresServer.shared();
    private final PostgresStorePlugin plugin = new PostgresStorePlugin();
    private String database;

    @BeforeEach
    void database() {
        database = server.createDatabase();
    }

    private static ConfigFile yaml(String text) {
        return ConfigFile.parse("config.yaml", text);
    }

    private String postgresYaml(String url, String extra) {
        return """
                memory:
                  store: postgres
                  postgres:
                    url: %s
                    user: %s
                    password_env: %s
                %s""".formatted(url, PostgresServer.USER, PostgresServer.PASSWORD_ENV, extra.indent(4));
    }

    /** A host's own injector with the plugin, as {@code PluginModule}'s documentation shows. */
    private Injector injector(ConfigFile config) {
        return Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.<MemsnapPlugin>of(plugin)));
    }

    @Test
    void coreFindsThePluginByItsServiceFile() {
        List<MemsnapPlugin> found = ServiceLoader.load(MemsnapPlugin.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof PostgresStorePlugin).toList();
        assertEquals(1, found.size());
        assertEquals("postgres-store", found.get(0).name());
        assertEquals(List.of("postgres"), found.get(0).storeFactories().stream().map(StoreFactory::name).toList());
        assertTrue(found.get(0).eventListenerFactories().isEmpty() && found.get(0).serviceFactories().isEmpty()
                && found.get(0).managerDecoratorFactories().isEmpty());
    }

    @Test
    void withoutMemoryStoreOrWithFileTheFileStoreStays() {
        for (String text : List.of("", "memory: {store: file}", "memory: {snapshot_dir: x, postgres: {url: nope}}")) {
            ConfigFile config = yaml(text);
            SnapshotStore store = injector(config).getInstance(SnapshotStore.class);
            // Core keeps each memory of a file store in a directory of its own, behind a store that names itself
            // after the default memory's FileSnapshotStore.
            assertTrue(store.toString().startsWith("FileSnapshotStore["), text + ": " + store);
            assertFalse(store instanceof PostgresSnapshotStore, text);
        }
    }

    @Test
    void postgresBindsOneStoreAndConnectsOnlyOnStart() throws Exception {
        int nothingListens;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            nothingListens = s.getLocalPort();
        }
        ConfigFile config = yaml(postgresYaml("jdbc:postgresql://127.0.0.1:" + nothingListens + "/memsnap",
                "connection_timeout: 1s"));
        Injector injector = injector(config);
        SnapshotStore store = injector.getInstance(SnapshotStore.class);
        assertTrue(store instanceof PostgresSnapshotStore);
        assertSame(store, injector.getInstance(SnapshotStore.class));

        long start = System.nanoTime();
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class, store::start);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
        assertTrue(e.getMessage().contains("127.0.0.1:" + nothingListens), e.getMessage());
        store.stop();
    }

    @Test
    void anUnknownStoreNamesTheKeyAndTheKnownValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Memsnap.start(yaml("memory: {store: mysql, snapshot_dir: " + dir + "}")));
        assertTrue(e.getMessage().startsWith("memory.store: no store named \"mysql\"; known stores: file, "
                + "incremental"), e.getMessage());
    }

    @Test
    void aWrongPostgresSectionNamesTheKey() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("memory: {store: postgres}", "config.yaml: memory.postgres: memory.store is postgres, so "
                        + "this section is required"),
                Map.entry("memory: {store: postgres, postgres: {user: x}}",
                        "config.yaml: memory.postgres.url: required"),
                Map.entry("memory: {store: postgres, postgres: {urll: 'jdbc:postgresql://h/db'}}",
                        "config.yaml: memory.postgres.urll: unknown key; did you mean url?"),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:mysql://h/db'}}",
                        keyed("url", "expected a PostgreSQL JDBC URL")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db?user=a&password=hunter2'}}",
                        keyed("url", "must not hold a password")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', pool_size: 0}}",
                        keyed("pool_size", "expected a whole number from 1 to 100, got 0")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', pool_size: many}}",
                        "config.yaml: memory.postgres.pool_size: expected a whole number"),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', schema: Snap-Shots}}",
                        keyed("schema", "expected 1 to 63 lower case letters")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', "
                        + "connection_timeout: soon}}", keyed("connection_timeout", "expected a duration")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', "
                        + "connection_timeout: 500ms}}", keyed("connection_timeout", "must be at least 1s")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', password_env: 'my var'}}",
                        keyed("password_env", "expected the name of an environment variable")),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', migrate: yes please}}",
                        "config.yaml: memory.postgres.migrate: expected true or false"),
                Map.entry("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', "
                        + "password: hunter2}}", "config.yaml: memory.postgres.password: unknown key"));
        StoreFactory factory = plugin.storeFactories().get(0);
        cases.forEach((text, expected) -> {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> factory.create(yaml(text), Contexts.of(SnapshotCodec.plain())), text);
            assertTrue(e.getMessage().startsWith(expected) || Pattern.compile(expected).matcher(e.getMessage())
                    .lookingAt(), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        });
    }

    /**
     * What memsnap reports for a value the record's constructor refuses: the file, the section and the key. (Core's
     * binder puts the section and the key together with ": " or with "."; either names the key.)
     */
    private static String keyed(String key, String message) {
        return Pattern.quote("config.yaml: memory.postgres") + "(\\.|: )" + Pattern.quote(key + ": " + message);
    }

    @Test
    void everyKeyIsRead() {
        ConfigFile config = yaml(postgresYaml("jdbc:postgresql://db.internal:6432/snaps",
                "pool_size: 9\nschema: assistant_memory\nconnection_timeout: 1m\nmigrate: false"));
        PostgresStoreConfig bound = config.bind(PostgresStoreConfig.SECTION, PostgresStoreConfig.class);
        assertEquals(new PostgresStoreConfig("jdbc:postgresql://db.internal:6432/snaps", PostgresServer.USER,
                PostgresServer.PASSWORD_ENV, 9, "assistant_memory", "1m", false), bound);
        assertEquals(Duration.ofMinutes(1), bound.timeout());
        PostgresStoreConfig defaults = yaml("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db'}}")
                .bind(PostgresStoreConfig.SECTION, PostgresStoreConfig.class);
        assertEquals(PostgresStoreConfig.of("jdbc:postgresql://h/db", null, null), defaults);
        assertEquals(new PostgresStoreConfig("jdbc:postgresql://h/db", null, null, 4, "public", "10s", true),
                defaults);
        assertEquals(Duration.ofSeconds(10), defaults.timeout());
        assertEquals(Duration.ofMillis(1500), defaults.withPool(2, Duration.ofMillis(1500)).timeout());
    }

    @Test
    void anUnsetPasswordVariableStopsTheStartAndNamesIt() {
        PostgresSnapshotStore store = new PostgresSnapshotStore(new PostgresStoreConfig(server.url(database),
                PostgresServer.USER, "MEMSNAP_TEST_UNSET", 2, "public", "5s", true),
                Contexts.of(SnapshotCodec.plain()), Map.<String, String>of()::get);
        ConfigException e = assertThrows(ConfigException.class, store::start);
        assertEquals("memory.postgres.password_env: the environment variable MEMSNAP_TEST_UNSET is not set, so "
                + "there is no password for the PostgreSQL store", e.getMessage());
        store.stop();
    }

    @Test
    void memsnapStartsTheStoreFromConfigAndStopsItOnClose() {
        ConfigFile config = yaml(postgresYaml(server.url(database), "schema: host"));
        SnapshotStore store;
        try (Memsnap memsnap = Memsnap.start(config)) {
            assertTrue(memsnap.plugins().stream().anyMatch(p -> p.name().equals(PostgresStorePlugin.NAME)));
            store = memsnap.injector().getInstance(SnapshotStore.class);
            EnhancedMemoryManager memory = memsnap.manager();
            memory.addTurn("user", "remember me in postgres");
            memory.addMemory("likes tea", "preference", 0.8, List.of("drinks"));
            String id = memory.createSnapshot();
            URI location = memory.saveSnapshot(id);
            assertEquals("postgresql", location.getScheme());
            assertTrue(location.toString().endsWith("/" + database + "/host/" + id), location.toString());
            assertEquals(id, memory.loadSnapshot(location));
            assertEquals(List.of(id), store.list().stream().map(SnapshotMetadata::snapshotId).toList());
            memory.addTurn("user", "forget this");
            assertTrue(memory.applySnapshot(id));
            assertEquals(1, memory.turns().size());
        }
        SnapshotStoreException stopped = assertThrows(SnapshotStoreException.class, store::list);
        assertTrue(stopped.getMessage().contains("stopped"), stopped.getMessage());
    }

    /**
     * The tools' path: {@code SnapshotStores.open} finds this plugin's factory as the runtime does, and opens a store
     * that sees what a running memsnap saved.
     */
    @Test
    void snapshotStoresOpenGivesThisStoreToTools() {
        ConfigFile config = yaml(postgresYaml(server.url(database), "schema: tools"));
        String id;
        try (Memsnap memsnap = Memsnap.start(config)) {
            id = memsnap.manager().createSnapshot();
            memsnap.manager().saveSnapshot(id);
        }
        try (SnapshotStores.Opened opened = SnapshotStores.open(config)) {
            assertEquals("postgres", opened.name());
            assertTrue(opened.store() instanceof PostgresSnapshotStore, opened.store().toString());
            assertEquals(List.of(id), opened.store().list().stream().map(SnapshotMetadata::snapshotId).toList());
            assertTrue(opened.store().verify(id).intact(), opened.store().verify(id).detail());
        }
    }

    /** A typo in the section stops every way in, naming the key and the one meant, before anything connects. */
    @Test
    void aMisspeltKeyStopsMemsnapAndTheToolsNamingTheKeyMeant() {
        ConfigFile config = yaml("""
                memory:
                  store: postgres
                  postgres: {urll: '%s'}
                """.formatted(server.url(database)));
        ConfigException started = assertThrows(ConfigException.class, () -> Memsnap.start(config).close());
        assertTrue(started.getMessage().contains("memory.postgres.urll: unknown key; did you mean url?"),
                started.getMessage());
        ConfigException opened = assertThrows(ConfigException.class, () -> SnapshotStores.open(config).close());
        assertTrue(opened.getMessage().contains("memory.postgres.urll: unknown key; did you mean url?"),
                opened.getMessage());
    }

    /**
     * The Guice path: a host that builds its own injector installs core's module and the plugin's, and starts and
     * stops everything with {@link MemsnapLifecycle}.
     */
    @Test
    void aHostWithItsOwnInjectorGetsTheStoreThroughPluginModule() {
        ConfigFile config = yaml(postgresYaml(server.url(database), "schema: bound"));
        Injector injector = injector(config);
        SnapshotStore store = injector.getInstance(SnapshotStore.class);
        assertTrue(store instanceof PostgresSnapshotStore);
        try (MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start()) {
            assertTrue(lifecycle.isRunning());
            EnhancedMemoryManager manager = injector.getInstance(EnhancedMemoryManager.class);
            String id = manager.createSnapshot();
            manager.saveSnapshot(id);
            assertTrue(store.read(id).isPresent());
        }
        assertThrows(SnapshotStoreException.class, store::list, "the lifecycle stopped the store");
    }
}
