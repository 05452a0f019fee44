package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.core.testing.TestSnapshots;
import dev.memsnap.store.postgres.PostgresServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands on {@code memory.store: postgres}: the store-postgres plugin, found on the class path by core's
 * {@code SnapshotStores} as every tool finds it, on a private PostgreSQL cluster (store-postgres' PostgresServer, from
 * its test-jar; a database per test, a schema per
 * store). memsnap-store-postgres is a test dependency of the cli module.
 */
class PostgresStoreCommandsTest extends ConfiguredStoreContract {
    private String database;

    @Override
    String configYaml(String name) {
        PostgresServer server = PostgresServer.shared();
        if (database == null) {
            database = server.createDatabase();
        }
        return "memory:\n  store: postgres\n  postgres:\n    url: " + server.url(database) + "\n    user: "
                + PostgresServer.USER + "\n    password_env: " + PostgresServer.PASSWORD_ENV + "\n    schema: " + name
                + "\n    connection_timeout: 5s\n";
    }

    @Override
    String storeName() {
        return "postgres";
    }

    @Override
    String where(String name) {
        AtomicReference<String> store = new AtomicReference<>();
        withStore(configFile(name), s -> store.set(s.toString()));
        return "postgres store " + store.get();
    }

    @Test
    void theSnapshotDirectoryPlaysNoPart() {
        // memory.snapshot_dir is left at its default, which does not exist here: a database store needs no directory
        Cli.Result list = new Cli().workDir(work).run("list", "--json", "--config", config.toString());
        assertEquals(0, list.code(), list::toString);
        assertEquals(3, Fixtures.ids(list.out()).size());
    }

    /**
     * {@code forget --shred} on an encrypted database store: the memory's key row is destroyed, so its rows as a dump
     * taken before holds them, restored, no longer decrypt; the other memory reads.
     */
    @Test
    void forgetShredDestroysTheMemorysKeyRowAndRestoredRowsOfItNoLongerRead() throws Exception {
        Path key = work.resolve("pg.key");
        Fixtures.keyFile(key);
        Path encrypted = work.resolve("encrypted.yaml");
        Files.writeString(encrypted, configYaml("encrypted") + "  encryption:\n    key_file: " + key + "\n");
        MemorySnapshot alice = TestSnapshots.snapshot(Fixtures.id(T.plusHours(7), 0xb1), T.plusHours(7), 2, 3)
                .withLineage("alice", null);
        MemorySnapshot bob = TestSnapshots.snapshot(Fixtures.id(T.plusHours(8), 0xb2), T.plusHours(8), 2, 3)
                .withLineage("bob", null);
        withStore(encrypted, store -> {
            store.save(alice);
            store.save(bob);
        });
        try (Connection c = PostgresServer.shared().admin(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.dumped_snapshots AS SELECT * FROM encrypted.memsnap_snapshots "
                    + "WHERE memory_id = 'alice'");
            s.execute("CREATE TABLE public.dumped_chunks AS SELECT * FROM encrypted.memsnap_chunks");
        }

        Cli.Result forget = new Cli().run("forget", "--memory", "alice", "--shred", "--config", encrypted.toString());
        assertEquals(0, forget.code(), forget::toString);
        assertTrue(forget.out().contains("shredded memory alice: its data key is destroyed and 1 snapshot deleted"),
                forget::toString);

        try (Connection c = PostgresServer.shared().admin(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO encrypted.memsnap_chunks SELECT * FROM public.dumped_chunks ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO encrypted.memsnap_snapshots SELECT * FROM public.dumped_snapshots");
        }
        Cli.Result restored = new Cli().run("show", alice.snapshotId(), "--memory", "alice", "--config",
                encrypted.toString());
        assertEquals(ExitCodes.DAMAGED, restored.code(), restored::toString);
        assertTrue(restored.err().contains("its data key was shredded"), restored::toString);
        Cli.Result other = new Cli().run("show", bob.snapshotId(), "--memory", "bob", "--config",
                encrypted.toString());
        assertEquals(0, other.code(), other::toString);
    }

    @Test
    void forgetShredOnAnUnencryptedDatabaseStoreIsRefusedAndDeletesNothing() {
        Cli.Result forget = run("forget", "--memory", "default", "--shred");
        assertTrue(forget.code() != 0, forget::toString);
        assertTrue(forget.err().contains("not encrypted under a key of their own")
                && forget.err().contains("nothing was deleted"), forget::toString);
        assertEquals(3, Fixtures.ids(run("list", "--json").out()).size());
    }
}
