package dev.memsnap.benchmarks;

import dev.memsnap.store.postgres.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One of memsnap's stores, started through its configuration ({@code memory.store}), with what the report needs to
 * say how much it wrote, measured from outside: for the file stores the snapshot directory's size (every file, hidden
 * ones included), for PostgreSQL the size of every table of the store's database (heap, TOAST and indexes,
 * {@code pg_total_relation_size}) and the WAL the cluster generated ({@code pg_current_wal_lsn}). Nothing here reads a
 * store's own files, tables or classes, so it measures whatever layout a store has.
 */
final class StoreUnderTest implements AutoCloseable {
    /** The default file store. */
    static final String FILE = "file";
    /** {@code memory.store: incremental}. */
    static final String INCREMENTAL = "incremental";
    /** {@code memory.store: postgres}. */
    static final String POSTGRES = "postgres";

    private static final String RELATION_BYTES = "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg_toast%'";

    private final String name;
    private final MemsnapSubject subject;
    private final Connection sql;

    private StoreUnderTest(String name, MemsnapSubject subject, Connection sql) {
        this.name = name;
        this.subject = subject;
        this.sql = sql;
    }

    /**
     * @param store {@link #FILE}, {@link #INCREMENTAL} or {@link #POSTGRES}
     * @param dir   the snapshot directory
     * @return memsnap started on that store
     * @throws IllegalStateException when the store is not available (no incremental store in this core, no
     *                               PostgreSQL binaries)
     */
    static StoreUnderTest start(String store, Path dir) {
        switch (store) {
            case FILE -> {
                return new StoreUnderTest(store, (MemsnapSubject) Subject.start(Subject.MEMSNAP, dir), null);
            }
            case INCREMENTAL -> {
                return new StoreUnderTest(store, (MemsnapSubject) Subject.start(Subject.INCREMENTAL, dir), null);
            }
            case POSTGRES -> {
                PostgresServer server;
                try {
                    server = PostgresServer.shared();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("no PostgreSQL server could be started (.ci/postgres.sh installs "
                            + "Debian's binaries): " + e.getMessage(), e);
                }
                String url = server.url(server.createDatabase());
                MemsnapSubject subject = MemsnapSubject.startPostgres(dir, url, PostgresServer.USER,
                        PostgresServer.PASSWORD_ENV);
                try {
                    return new StoreUnderTest(store, subject,
                            DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.password()));
                } catch (SQLException e) {
                    subject.close();
                    throw new IllegalStateException("cannot connect to measure " + url + ": " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("unknown store " + store + " (file, incremental, postgres)");
        }
    }

    String name() {
        return name;
    }

    MemsnapSubject subject() {
        return subject;
    }

    boolean isPostgres() {
        return sql != null;
    }

    /** @return the bytes the store holds now: the directory's size, or the database's tables' */
    long storedBytes() {
        if (sql == null) {
            return BenchEnv.directorySize(subject.dir());
        }
        try (Statement s = sql.createStatement(); ResultSet r = s.executeQuery(RELATION_BYTES)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the cluster's WAL position (PostgreSQL), else null */
    String walPosition() {
        if (sql == null) {
            return null;
        }
        try (Statement s = sql.createStatement(); ResultSet r = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return WAL bytes generated since {@code from} (PostgreSQL), else -1 */
    long walSince(String from) {
        if (sql == null || from == null) {
            return -1;
        }
        try (PreparedStatement s = sql.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)")) {
            s.setString(1, from);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        subject.close();
        if (sql != null) {
            try {
                sql.close();
            } catch (SQLException ignored) {
                // measuring only
            }
        }
    }
}
