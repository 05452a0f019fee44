package dev.memsnap.store.postgres;

import dev.memsnap.api.SnapshotStoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's schema, migrated by Flyway: ordered SQL migrations in {@value #LOCATION}
 * ({@code V<n>__<what>.sql}, {@code ${schema}} standing for the configured schema, quoted), recorded in Flyway's
 * table {@value #HISTORY_TABLE} in the store's schema. Every instance runs {@link #migrate} on start; Flyway takes
 * PostgreSQL's advisory lock, so instances starting together apply each migration once, and runs all that is pending
 * in one transaction, so a failed migration leaves the schema as it was.
 *
 * <p><b>Taking over from the previous runner.</b> Before Flyway, memsnap recorded its migrations in
 * {@value #LEGACY_TABLE} ({@code version, description, checksum, compatible_from, applied_at, applied_by}). A schema
 * that has that table and no Flyway table is baselined at the highest version it records: Flyway writes a baseline row
 * at that version and applies only the later migrations. The old table is left as it was, so an instance of the
 * previous release that restarts during a rolling upgrade still finds its schema current. A schema that holds other
 * objects (a host's own tables in {@code public}) but neither table is baselined at 0, so every migration runs.
 *
 * <p><b>Newer schemas.</b> A migration that only adds keeps older code working. One that older code cannot work
 * with (a rename, a drop) says so at the end of its name, {@code V4__renames_a_column__compatible_from_4.sql}: an
 * instance that knows only versions below that refuses to start, saying "upgrade memsnap"; a newer schema without such
 * a mark is used with a warning.
 */
final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    /** Flyway's record of the applied migrations, in the store's schema. */
    static final String HISTORY_TABLE = "memsnap_schema_history";
    /** The table the previous, hand-written runner recorded its migrations in. */
    static final String LEGACY_TABLE = "memsnap_schema_version";
    /** Where the migrations are, beside this class. */
    static final String LOCATION = "classpath:dev/memsnap/store/postgres/migrations";
    /** The placeholder each migration writes for the schema. */
    static final String SCHEMA_PLACEHOLDER = "schema";
    /** How a migration's description says which code it needs: Flyway turns the name's {@code _} into spaces. */
    private static final Pattern COMPATIBLE_FROM = Pattern.compile("compatible from (\\d+)\\s*$");

    private SchemaMigrations() {
    }

    /** @return {@code schema} quoted as an SQL identifier; it was checked to need no escaping */
    static String quote(String schema) {
        return '"' + schema + '"';
    }

    /**
     * Brings the schema up to this code's version, taking over from the previous runner's table when that is all the
     * schema has.
     *
     * @param c        a connection, to read what the schema holds
     * @param config   the store's configuration: the database, the schema and whether to migrate
     * @param password the password, or {@code null}
     * @return the schema's version now
     * @throws SnapshotStoreException when the schema needs newer code, is behind and {@code migrate} is off, or a
     *                                migration fails (nothing was changed)
     * @throws SQLException           when the schema cannot be read
     */
    static int migrate(Connection c, PostgresStoreConfig config, String password) throws SQLException {
        String schema = config.schema();
        boolean history = tableExists(c, schema, HISTORY_TABLE);
        Legacy legacy = history ? null : legacy(c, schema);
        Flyway flyway = flyway(config, password, legacy);
        try {
            MigrationInfoService info = flyway.info();
            List<MigrationInfo> known = known(info);
            int latest = known.isEmpty() ? 0 : version(known.get(known.size() - 1));
            int current;
            int neededCode;
            if (history) {
                current = info.current() == null ? 0 : version(info.current());
                neededCode = Arrays.stream(info.applied())
                        .filter(m -> m.getVersion() != null && version(m) > latest && m.getState().isApplied())
                        .mapToInt(SchemaMigrations::compatibleFrom).max().orElse(0);
            } else if (legacy != null) {
                current = legacy.version();
                neededCode = legacy.compatibleFrom();
            } else {
                current = 0;
                neededCode = 0;
            }
            if (neededCode > latest) {
                throw new SnapshotStoreException("the PostgreSQL schema " + schema + " is at version " + current
                        + ", which needs memsnap's store at schema version " + neededCode + " or later; this one "
                        + "knows versions up to " + latest + ": upgrade memsnap", null);
            }
            if (current > latest) {
                log.warn("PostgreSQL schema {} is at version {}, newer than this memsnap's {}; its migrations keep "
                        + "version {} working, so continuing. Upgrade memsnap.", schema, current, latest, latest);
            }
            List<MigrationInfo> pending = known.stream().filter(m -> version(m) > current).toList();
            // A schema of the previous runner is taken over even when it is current, so that Flyway owns it from
            // the first start on; with migrate off nothing is written, and it is used as it is.
            boolean takeOver = legacy != null;
            if (pending.isEmpty() && (!takeOver || !config.migrate())) {
                return current;
            }
            if (!config.migrate()) {
                throw new SnapshotStoreException("the PostgreSQL schema " + schema + " is at version " + current
                        + " and this memsnap needs version " + latest + "; set memory.postgres.migrate: true for one "
                        + "start, or apply migrations " + pending.stream().map(MigrationInfo::getScript).toList()
                        + " from memsnap-store-postgres' jar (dev/memsnap/store/postgres/migrations/)", null);
            }
            if (legacy != null) {
                log.info("Taking over PostgreSQL schema {} from {} (version {}): Flyway records migrations in {} "
                        + "from now on", schema, LEGACY_TABLE, legacy.version(), HISTORY_TABLE);
            }
            flyway.migrate();
            MigrationInfo now = flyway.info().current();
            return now == null ? 0 : version(now);
        } catch (FlywayException e) {
            throw new SnapshotStoreException("could not migrate PostgreSQL schema " + schema + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the migrations this code ships, in order */
    static List<MigrationInfo> known(MigrationInfoService info) {
        return Arrays.stream(info.all())
                .filter(m -> m.getVersion() != null && m.getState().isResolved() && !m.getType().isSynthetic()
                        && !m.getType().isBaseline() && m.getScript() != null && m.getScript().endsWith(".sql"))
                .sorted(Comparator.comparing(MigrationInfo::getVersion))
                .toList();
    }

    /**
     * @param config   the database and schema
     * @param password the password, or {@code null}
     * @param legacy   what the previous runner recorded, or {@code null}: where a baseline goes
     * @return Flyway for the store's schema, connecting on its own (so that a pool of one connection is enough)
     */
    static Flyway flyway(PostgresStoreConfig config, String password, Legacy legacy) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .loggers("slf4j")
                .dataSource(config.url(), config.user(), password)
                .schemas(config.schema())
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                .placeholders(Map.of(SCHEMA_PLACEHOLDER, quote(config.schema())))
                .baselineOnMigrate(true)
                .baselineVersion(legacy == null ? "0" : Integer.toString(legacy.version()))
                .baselineDescription(legacy == null ? "the schema held other objects"
                        : "taken over from " + LEGACY_TABLE)
                .group(true)
                .cleanDisabled(true)
                .connectRetries(0)
                .load();
    }

    /**
     * What the previous runner recorded.
     *
     * @param version        the highest version applied
     * @param compatibleFrom the oldest code version those migrations keep working
     */
    record Legacy(int version, int compatibleFrom) {
    }

    /** @return what {@value #LEGACY_TABLE} records, or {@code null} when the schema has no such table */
    private static Legacy legacy(Connection c, String schema) throws SQLException {
        if (!tableExists(c, schema, LEGACY_TABLE)) {
            return null;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0), coalesce(max(compatible_from), 0) FROM "
                     + quote(schema) + "." + LEGACY_TABLE)) {
            rs.next();
            return new Legacy(rs.getInt(1), rs.getInt(2));
        }
    }

    private static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?)")) {
            exists.setString(1, quote(schema) + "." + table);
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next() && rs.getString(1) != null;
            }
        }
    }

    private static int version(MigrationInfo m) {
        return m.getVersion().getMajor().intValueExact();
    }

    /** @return the code version a migration needs, from its name; one that says nothing keeps older code working */
    private static int compatibleFrom(MigrationInfo m) {
        Matcher matcher = COMPATIBLE_FROM.matcher(m.getDescription() == null ? "" : m.getDescription());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
