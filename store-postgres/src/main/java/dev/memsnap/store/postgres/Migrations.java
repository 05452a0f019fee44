package dev.memsnap.store.postgres;

import dev.memsnap.api.SnapshotStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The store's schema, as ordered SQL migrations ({@code migrations/V<n>__<what>.sql} beside this class), and the
 * table that records which are applied: {@value #VERSION_TABLE}. Every instance runs {@link #migrate} on start;
 * it works in one transaction under a transaction-scoped advisory lock, so instances starting together apply each
 * migration once, a failed migration leaves the schema as it was, and no session state outlives the transaction
 * (which keeps it usable through a transaction-pooling proxy such as PgBouncer).
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** The table of applied migrations, in the store's schema. */
    static final String VERSION_TABLE = "memsnap_schema_version";
    /** What {@code ${schema}} in a migration's SQL becomes. */
    private static final String SCHEMA_PLACEHOLDER = "${schema}";

    /**
     * One migration.
     *
     * @param version        its number, from 1, without gaps
     * @param description    what it does, recorded in {@value #VERSION_TABLE}
     * @param resource       its SQL file, beside this class in {@code migrations/}
     * @param compatibleFrom the oldest schema version whose code still works once this migration is applied: a
     *                       migration that only adds keeps the previous code working, one that renames or drops does
     *                       not. An instance refuses a schema whose migrations need newer code than it has.
     */
    record Migration(int version, String description, String resource, int compatibleFrom) {
        /** @return its SQL, for the schema given quoted */
        String sql(String quotedSchema) {
            return text().replace(SCHEMA_PLACEHOLDER, quotedSchema);
        }

        /** @return the SHA-256 of its SQL as shipped, so that an edited migration is noticed */
        String checksum() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        private String text() {
            try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration " + resource + " is missing from the jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every migration, in order. Append only: a released migration never changes. */
    static final List<Migration> ALL = List.of(
            new Migration(1, "snapshots", "V1__snapshots.sql", 1),
            new Migration(2, "labels and pins", "V2__labels_and_pins.sql", 1));

    private Migrations() {
    }

    /** @return the schema version this code writes and reads */
    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /** @return {@code schema} quoted as an SQL identifier; it was checked to need no escaping */
    static String quote(String schema) {
        return '"' + schema + '"';
    }

    /**
     * Brings the schema up to {@code target}.
     *
     * @param c      a connection, in auto-commit mode; left so
     * @param schema the store's schema, created when missing
     * @param target the version wanted, at most {@link #latest()}
     * @param apply  whether to apply what is pending; when {@code false}, a schema short of {@code target} fails
     * @return the schema's version now
     * @throws SnapshotStoreException when the schema needs newer code, or is behind and {@code apply} is false
     * @throws SQLException           when a statement fails; nothing was changed
     */
    static int migrate(Connection c, String schema, int target, boolean apply) throws SQLException {
        String quoted = quote(schema);
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "memsnap.store.postgres.migrate:" + schema);
                lock.execute();
            }
            Map<Integer, Applied> applied = applied(c, schema);
            int current = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            int neededCode = applied.values().stream().mapToInt(Applied::compatibleFrom).max().orElse(0);
            if (neededCode > latest()) {
                throw new SnapshotStoreException("the PostgreSQL schema " + schema + " is at version " + current
                        + ", which needs memsnap's store at schema version " + neededCode + " or later; this one "
                        + "knows versions up to " + latest() + ": upgrade memsnap", null);
            }
            if (current > latest()) {
                log.warn("PostgreSQL schema {} is at version {}, newer than this memsnap's {}; its migrations keep "
                        + "version {} working, so continuing. Upgrade memsnap.", schema, current, latest(), latest());
            }
            for (Migration m : ALL) {
                Applied a = applied.get(m.version());
                if (a != null && !a.checksum().equals(m.checksum())) {
                    log.warn("Migration V{} of schema {} was applied from SQL that differs from this memsnap's "
                            + "(checksum {} recorded, {} shipped)", m.version(), schema, a.checksum(), m.checksum());
                }
            }
            List<Migration> pending = ALL.stream()
                    .filter(m -> m.version() > current && m.version() <= target).toList();
            if (!pending.isEmpty() && !apply) {
                throw new SnapshotStoreException("the PostgreSQL schema " + schema + " is at version " + current
                        + " and this memsnap needs version " + target + "; set memory.postgres.migrate: true for one "
                        + "start, or apply migrations " + pending.stream().map(Migration::resource).toList()
                        + " from memsnap-store-postgres' jar", null);
            }
            if (!pending.isEmpty()) {
                createSchemaAndVersionTable(c, schema);
            }
            for (Migration m : pending) {
                try (Statement s = c.createStatement()) {
                    s.execute(m.sql(quoted));
                }
                try (PreparedStatement record = c.prepareStatement("INSERT INTO " + quoted + "." + VERSION_TABLE
                        + " (version, description, checksum, compatible_from) VALUES (?, ?, ?, ?)")) {
                    record.setInt(1, m.version());
                    record.setString(2, m.description());
                    record.setString(3, m.checksum());
                    record.setInt(4, m.compatibleFrom());
                    record.executeUpdate();
                }
            }
            c.commit();
            for (Migration m : pending) {
                log.info("Applied migration V{} ({}) to PostgreSQL schema {}", m.version(), m.description(), schema);
            }
            return pending.isEmpty() ? current : pending.get(pending.size() - 1).version();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException broken) {
                // The connection died with the migration: the pool discards it, and the migration's own error is
                // the one to report, not this one.
                log.debug("Could not restore auto-commit after migrating schema {}: {}", schema, broken.getMessage());
            }
        }
    }

    private record Applied(String checksum, int compatibleFrom) {
    }

    /** @return the migrations recorded as applied; none when the version table does not exist yet */
    private static Map<Integer, Applied> applied(Connection c, String schema) throws SQLException {
        Map<Integer, Applied> applied = new HashMap<>();
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?)")) {
            exists.setString(1, quote(schema) + "." + VERSION_TABLE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return applied;
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, checksum, compatible_from FROM " + quote(schema) + "."
                     + VERSION_TABLE)) {
            while (rs.next()) {
                applied.put(rs.getInt(1), new Applied(rs.getString(2), rs.getInt(3)));
            }
        }
        return applied;
    }

    /** The schema is created only when missing: creating needs a privilege that using does not. */
    private static void createSchemaAndVersionTable(Connection c, String schema) throws SQLException {
        boolean exists;
        try (PreparedStatement s = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                exists = rs.getBoolean(1);
            }
        }
        try (Statement s = c.createStatement()) {
            if (!exists) {
                s.execute("CREATE SCHEMA " + quote(schema));
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + quote(schema) + "." + VERSION_TABLE + " ("
                    + "version integer PRIMARY KEY, "
                    + "description text NOT NULL, "
                    + "checksum text NOT NULL, "
                    + "compatible_from integer NOT NULL, "
                    + "applied_at timestamptz NOT NULL DEFAULT now(), "
                    + "applied_by text NOT NULL DEFAULT current_user)");
        }
    }
}
