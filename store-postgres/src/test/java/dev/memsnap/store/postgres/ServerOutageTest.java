package dev.memsnap.store.postgres;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server goes away in the middle of a save: the snapshot is there whole or not at all, the save says it failed,
 * and the same store (the same pool) works again once the server is back. The save is held inside the server by a
 * test trigger that sleeps after the row is written, so the crash lands mid-transaction every time, not by luck.
 */
class ServerOutageTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 9, 0);
    private static final String SCHEMA = "outage";
    /** How long an operation waits for a connection: the bound on every failure while the server is down. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    private static PostgresServer server;
    private final ExecutorService saver = Executors.newSingleThreadExecutor();
    private String database;
    private PostgresSnapshotStore store;

    @BeforeAll
    static void privateServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void startStore() {
        database = server.createDatabase();
        store = PostgresServer.started(server.config(database, SCHEMA).withPool(4, CONNECTION_TIMEOUT),
                SnapshotCodec.plain());
    }

    @AfterEach
    void stopStore() {
        saver.shutdownNow();
        store.stop();
    }

    private static String id(int n) {
        return String.format("snapshot_20250426_090000_%08x", n);
    }

    /** About 2 MB of JSON: its body goes to TOAST in many chunks before the crash. */
    private static MemorySnapshot large(int n, int turns) {
        return TestSnapshots.snapshot(id(n), T0.plusSeconds(n), turns, 6_000);
    }

    @Test
    void aNewSnapshotCutOffMidSaveIsAbsentAndThePoolRecovers() throws Exception {
        MemorySnapshot before = TestSnapshots.snapshot(id(1), T0, 2, 2);
        store.save(before);
        MemorySnapshot big = large(2, 50);
        stallSavesOf(big.snapshotId());

        Future<URI> save = saver.submit(() -> store.save(big));
        awaitSaveStalled();
        server.crash();
        assertSaveFailed(save);

        long down = System.nanoTime();
        SnapshotStoreException e = assertThrows(SnapshotStoreException.class, store::list);
        Duration waited = Duration.ofNanos(System.nanoTime() - down);
        assertTrue(waited.compareTo(CONNECTION_TIMEOUT.multipliedBy(3)) < 0, "failed after " + waited);
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());

        server.restart();
        assertTrue(store.read(big.snapshotId()).isEmpty(), "the interrupted save left nothing behind");
        assertEquals(before, store.read(before.snapshotId()).orElseThrow());
        MemorySnapshot after = TestSnapshots.snapshot(id(3), T0.plusSeconds(3), 1, 1);
        store.save(after);
        assertEquals(List.of(after.metadata(), before.metadata()), store.list(), "the same pool works again");
        assertEquals(List.of(id(1), id(3)), store.storedIds().stream().sorted().toList());
    }

    @Test
    void aReplacingSaveCutOffMidSaveLeavesThePreviousSnapshotWhole() throws Exception {
        MemorySnapshot first = large(4, 10);
        store.save(first);
        MemorySnapshot replacement = large(4, 90);
        stallSavesOf(first.snapshotId());

        Future<URI> save = saver.submit(() -> store.save(replacement));
        awaitSaveStalled();
        server.crash();
        assertSaveFailed(save);
        server.restart();

        assertEquals(first, store.read(first.snapshotId()).orElseThrow());
        assertTrue(store.verify(first.snapshotId()).intact(), store.verify(first.snapshotId()).detail());
        assertEquals(List.of(first.metadata()), store.list());
        unstall();
        store.save(replacement);
        assertEquals(replacement, store.read(first.snapshotId()).orElseThrow());
    }

    @Test
    void anAcknowledgedSaveSurvivesACrashRightAfterIt() {
        MemorySnapshot big = large(5, 20);
        store.save(big);
        server.crash();
        server.restart();
        assertEquals(big, store.read(big.snapshotId()).orElseThrow());
    }

    @Test
    void startingWhileTheServerIsDownFailsWithinTheTimeoutAndNamesTheServer() {
        server.crash();
        try {
            PostgresSnapshotStore late = PostgresServer.store(
                    server.config(database, SCHEMA).withPool(2, CONNECTION_TIMEOUT), SnapshotCodec.plain());
            long start = System.nanoTime();
            SnapshotStoreException e = assertThrows(SnapshotStoreException.class, late::start);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(CONNECTION_TIMEOUT.multipliedBy(3)) < 0, "failed after " + waited);
            assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
            assertTrue(e.getMessage().startsWith("could not connect to PostgresSnapshotStore["), e.getMessage());
            late.stop();
        } finally {
            server.restart();
        }
        assertEquals(List.<SnapshotMetadata>of(), store.list());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** Makes the server sleep inside any save of this id, after writing the row and before committing. */
    private void stallSavesOf(String snapshotId) throws SQLException {
        try (Connection c = server.admin(database); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION " + SCHEMA + ".stall() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$");
            s.execute("CREATE TRIGGER stall AFTER INSERT OR UPDATE ON " + SCHEMA + ".memsnap_snapshots "
                    + "FOR EACH ROW WHEN (NEW.snapshot_id = '" + snapshotId + "') EXECUTE FUNCTION "
                    + SCHEMA + ".stall()");
        }
    }

    private void unstall() throws SQLException {
        try (Connection c = server.admin(database); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER stall ON " + SCHEMA + ".memsnap_snapshots");
        }
    }

    /** Waits, boundedly, until a session of the store sleeps in the trigger. */
    private void awaitSaveStalled() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = server.admin(database); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = 'memsnap' "
                        + "AND wait_event = 'PgSleep'")) {
            s.setString(1, database);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        fail("the save never reached the stalling trigger");
    }

    private static void assertSaveFailed(Future<URI> save) throws InterruptedException {
        try {
            URI location = save.get(30, TimeUnit.SECONDS);
            fail("the save was acknowledged although the server crashed before it committed: " + location);
        } catch (ExecutionException e) {
            SnapshotStoreException failure = assertInstanceOf(SnapshotStoreException.class, e.getCause());
            assertTrue(failure.getMessage().startsWith("could not save snapshot"), failure.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            fail("the save neither failed nor finished within 30 s of the crash");
        }
    }
}
