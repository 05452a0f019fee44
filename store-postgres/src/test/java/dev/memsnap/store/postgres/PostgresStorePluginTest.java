package dev.memsnap.store.postgres;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigException;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.Memsnap;
import dev.memsnap.core.MemsnapPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code memory.store: postgres} in config.yaml, or a Guice binding, selects this store; nothing else does. */
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

    @Test
    void coreFindsThePluginByItsServiceFile() {
        List<MemsnapPlugin> found = ServiceLoader.load(MemsnapPlugin.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof PostgresStorePlugin).toList();
        assertEquals(1, found.size());
        assertEquals("postgres-store", found.get(0).name());
    }

    @Test
    void withoutMemoryStoreOrWithFileTheFileStoreStays() {
        for (String text : List.of("", "memory: {store: file}", "memory: {snapshot_dir: x, postgres: {url: nope}}")) {
            ConfigFile config = yaml(text);
            Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()), plugin.module(config));
            SnapshotStore store = injector.getInstance(SnapshotStore.class);
            assertEquals("FileSnapshotStore", store.getClass().getSimpleName(), text);
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
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()), plugin.module(config));
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
        Map<String, String> cases = Map.of(
                "memory: {store: postgres}", "config.yaml: memory.postgres: memory.store is postgres, so this "
                        + "section is required",
                "memory: {store: postgres, postgres: {user: x}}", "config.yaml: memory.postgres.url: required",
                "memory: {store: postgres, postgres: {url: 'jdbc:mysql://h/db'}}",
                "config.yaml: memory.postgres.url: expected a PostgreSQL JDBC URL",
                "memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db?user=a&password=hunter2'}}",
                "config.yaml: memory.postgres.url: must not hold a password",
                "memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', pool_size: 0}}",
                "config.yaml: memory.postgres.pool_size: expected a whole number from 1 to 100, got 0",
                "memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', schema: Snap-Shots}}",
                "config.yaml: memory.postgres.schema: expected 1 to 63 lower case letters",
                "memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', connection_timeout: soon}}",
                "config.yaml: memory.postgres.connection_timeout: expected a duration",
                "memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', password_env: 'my var'}}",
                "config.yaml: memory.postgres.password_env: expected the name of an environment variable",
                "memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db', migrate: yes please}}",
                "config.yaml: memory.postgres.migrate: expected true or false");
        cases.forEach((text, expected) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> plugin.module(yaml(text)), text);
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        });
    }

    @Test
    void everyKeyIsRead() {
        ConfigFile config = yaml(postgresYaml("jdbc:postgresql://db.internal:6432/snaps",
                "pool_size: 9\nschema: assistant_memory\nconnection_timeout: 1m\nmigrate: false"));
        assertEquals(new PostgresStoreConfig("jdbc:postgresql://db.internal:6432/snaps", PostgresServer.USER,
                PostgresServer.PASSWORD_ENV, 9, "assistant_memory", Duration.ofMinutes(1), false),
                PostgresStoreConfig.from(config));
        assertEquals(PostgresStoreConfig.of("jdbc:postgresql://h/db", null, null),
                PostgresStoreConfig.from(yaml("memory: {store: postgres, postgres: {url: 'jdbc:postgresql://h/db'}}")));
    }

    @Test
    void anUnsetPasswordVariableStopsTheStartAndNamesIt() {
        PostgresSnapshotStore store = new PostgresSnapshotStore(new PostgresStoreConfig(server.url(database),
                PostgresServer.USER, "MEMSNAP_TEST_UNSET", 2, "public", Duration.ofSeconds(5), true),
                dev.memsnap.core.codec.SnapshotCodec.plain(), Map.<String, String>of()::get);
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

    /** The "or by a Guice binding" path: no memory.store at all, the host installs the module itself. */
    @Test
    void aHostSelectsTheStoreWithTheModule() {
        PostgresStoreConfig config = server.config(database, "bound");
        try (Memsnap memsnap = Memsnap.start(ConfigFile.empty(), new PostgresStoreModule(config))) {
            SnapshotStore store = memsnap.injector().getInstance(SnapshotStore.class);
            assertTrue(store instanceof PostgresSnapshotStore);
            String id = memsnap.manager().createSnapshot();
            memsnap.manager().saveSnapshot(id);
            assertTrue(store.read(id).isPresent());
        }
    }
}
