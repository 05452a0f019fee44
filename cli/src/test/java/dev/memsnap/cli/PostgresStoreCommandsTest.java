package dev.memsnap.cli;

import dev.memsnap.store.postgres.PostgresServer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
