package dev.memsnap.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.api.ConfigException;
import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Snapshots in PostgreSQL, shared by every instance that points at the same database and schema: one row per
 * snapshot in {@code memsnap_snapshots} (see {@code migrations/}), its listing in columns. Since V4 the row's body is
 * a manifest naming content-addressed chunk rows ({@link ChunkLayout}, {@link ChunkRows}), each part encoded by the
 * {@link SnapshotEncoding} of {@code memory:}, so a save writes what changed; rows saved before V4 hold the whole
 * encoded snapshot and still read. The body's SHA-256 is kept either way. {@link #collectGarbage} removes chunks
 * no row names, under a lock that saves take shared, so it never races a save.
 *
 * <p>Every operation is one statement or one transaction (a chunked save, a read), so each is atomic and two
 * instances never see a half-saved snapshot. Saving an id already stored replaces that row whole (as the file store replaces the file): when two
 * instances save the same id at once, one of the two complete snapshots remains. A row deleted by another instance
 * reads as absent. A connection that breaks is dropped and the operation tried again on another, which the pool
 * opens anew once the server is back; an operation that finds no connection within {@code connection_timeout}
 * fails with a {@link SnapshotStoreException}.
 *
 * <p>Each row records the memory its snapshot is of ({@code memory_id}) and its parent. One memory's listing,
 * inventory and deletion are queries on that column, served by an index that leads with it (V3), so they read only
 * that memory's rows however many memories the table holds. Snapshot ids stay unique across memories.
 *
 * <p>With encryption on (V5), each memory's snapshots are encrypted under a data key of its own, a row of
 * {@code memsnap_data_keys} ({@link DataKeyRows}, handed to the encoding's {@code withDataKeys}); their chunks are
 * named per memory and key, so never shared across memories, and {@link #shredMemory} destroys the key first.
 * Rows encrypted under the master key before V5 still read.
 *
 * <p>Made by {@link PostgresStorePlugin}'s factory and started by the runtime: {@link #start()} opens the pool and
 * migrates the schema (see {@link SchemaMigrations}); nothing connects before.
 */
final class PostgresSnapshotStore implements SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresSnapshotStore.class);
    private static final String LOCATION_SCHEME = "postgresql";
    /** SQL states of a connection that is gone: connection exceptions, and the server shutting down or starting. */
    private static final Set<String> BROKEN_CONNECTION_STATES = Set.of("57P01", "57P02", "57P03");
    /** The listing columns, in the order {@link #metadataAt} reads them. */
    private static final String LISTED = "snapshot_id, taken_at, short_term_turns, long_term_memories, topics, "
            + "memory_id, parent_snapshot_id";
    private static final String NEWEST_FIRST = " ORDER BY taken_at DESC, snapshot_id DESC";
    /** The tags a caller read: labels are always written sorted (SnapshotTags sorts), so arrays compare exactly. */
    private static final String SAME_TAGS = "labels = ? AND pinned = ?";

    private final PostgresStoreConfig config;
    private final PluginContext context;
    /** What snapshots are written with: with encryption, each memory under its data key ({@link DataKeyRows}). */
    private final SnapshotEncoding codec;
    /** The connection of the operation in progress on this thread, which the data key rows' statements join. */
    private final ThreadLocal<Connection> inProgress = new ThreadLocal<>();
    /**
     * The data key rows the operation in progress has read: a read's repeatable-read snapshot cannot see them change,
     * and a save reads and makes one memory's key, so each is read once per operation, not once per chunk.
     */
    private final ThreadLocal<java.util.Map<String, Optional<byte[]>>> keyRowsRead = new ThreadLocal<>();
    private final Function<String, String> env;
    /** This store's locations are this prefix followed by a snapshot id. */
    private final String locationPrefix;
    private final Statements sql;
    /** The chunk rows new saves write (V4). */
    private final ChunkRows chunkRows;
    /** Whether saves write chunks; off only for tests that need rows in the whole form of V1 to V3. */
    private volatile boolean chunked = true;
    /** Off only for the test that shows what collection without the lock loses. */
    private volatile boolean gcLocks = true;

    private volatile HikariDataSource pool;
    private volatile boolean stopped;

    /**
     * @param config  the {@code memory.postgres:} section
     * @param context what memsnap offers: the encoding to write with (reading detects any), and id validation
     */
    PostgresSnapshotStore(PostgresStoreConfig config, PluginContext context) {
        this(config, context, System::getenv);
    }

    /**
     * @param env where {@code password_env} is looked up, normally the process environment
     */
    PostgresSnapshotStore(PostgresStoreConfig config, PluginContext context, Function<String, String> env) {
        this.config = config.requireUrl();
        this.context = context;
        this.env = env;
        this.locationPrefix = locationPrefix(config);
        String schema = SchemaMigrations.quote(config.schema());
        this.codec = context.encoding().withDataKeys(new DataKeyRows(this, schema));
        this.sql = new Statements(schema + ".memsnap_snapshots");
        // the chunk name key is sealed under the master key: it is the schema's, no memory's to shred
        this.chunkRows = new ChunkRows(codec, context.encoding(), context.format(), schema);
    }

    /**
     * The statements, on the table in the configured schema. Those of one memory ({@code WHERE memory_id = ?}) are
     * ranges of the index {@code (memory_id, taken_at DESC, snapshot_id DESC)} (V3), so their cost is that memory's
     * snapshots, whatever the others hold. Memory ids are always bound as parameters.
     */
    record Statements(String save, String read, String readInMemory, String verify, String list,
                     String listMemory, String inventory, String inventoryMemory, String ids,
                     String memoryIds, String delete, String deleteMemory, String tags, String setTags,
                     String compareAndSetTags, String deleteIfTags, String exists, String heads) {
        Statements(String table) {
            this(
                    // The previous checksum only tells the log whether a re-save changed anything.
                    "WITH previous AS (SELECT body_sha256 FROM " + table + " WHERE snapshot_id = ?) "
                            + "INSERT INTO " + table + " AS t (snapshot_id, taken_at, short_term_turns, "
                            + "long_term_memories, topics, memory_id, parent_snapshot_id, format, key_id, "
                            + "stored_bytes, body_sha256, body) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (snapshot_id) DO UPDATE SET taken_at = EXCLUDED.taken_at, "
                            + "short_term_turns = EXCLUDED.short_term_turns, "
                            + "long_term_memories = EXCLUDED.long_term_memories, topics = EXCLUDED.topics, "
                            + "memory_id = EXCLUDED.memory_id, parent_snapshot_id = EXCLUDED.parent_snapshot_id, "
                            + "format = EXCLUDED.format, key_id = EXCLUDED.key_id, "
                            + "stored_bytes = EXCLUDED.stored_bytes, body_sha256 = EXCLUDED.body_sha256, "
                            + "body = EXCLUDED.body, saved_at = now() "
                            + "RETURNING (SELECT body_sha256 FROM previous)",
                    "SELECT body, body_sha256, memory_id FROM " + table + " WHERE snapshot_id = ?",
                    "SELECT body, body_sha256, memory_id FROM " + table + " WHERE snapshot_id = ? AND memory_id = ?",
                    "SELECT body, body_sha256, " + LISTED + ", stored_bytes FROM " + table
                            + " WHERE snapshot_id = ?",
                    "SELECT " + LISTED + " FROM " + table + NEWEST_FIRST,
                    "SELECT " + LISTED + " FROM " + table + " WHERE memory_id = ?" + NEWEST_FIRST,
                    "SELECT " + LISTED + ", stored_bytes, labels, pinned FROM " + table + NEWEST_FIRST,
                    "SELECT " + LISTED + ", stored_bytes, labels, pinned FROM " + table + " WHERE memory_id = ?"
                            + NEWEST_FIRST,
                    "SELECT snapshot_id FROM " + table,
                    "SELECT DISTINCT memory_id FROM " + table + " ORDER BY memory_id",
                    "DELETE FROM " + table + " WHERE snapshot_id = ?",
                    "DELETE FROM " + table + " WHERE memory_id = ?",
                    "SELECT labels, pinned FROM " + table + " WHERE snapshot_id = ?",
                    "UPDATE " + table + " SET labels = ?, pinned = ? WHERE snapshot_id = ?",
                    // the tags read, compared in the row the statement locks: atomic across instances
                    "UPDATE " + table + " SET labels = ?, pinned = ? WHERE snapshot_id = ? AND " + SAME_TAGS,
                    "DELETE FROM " + table + " WHERE snapshot_id = ? AND " + SAME_TAGS,
                    "SELECT 1 FROM " + table + " WHERE snapshot_id = ?",
                    // the first bytes of a memory's bodies: whose key they are encrypted under
                    "SELECT substring(body FROM 1 FOR 32) FROM " + table + " WHERE memory_id = ?");
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public synchronized void start() {
        if (pool != null) {
            return;
        }
        codec.checkKeys();
        if (codec.suffix().endsWith(".enc") && !codec.hasDataKeys()) {
            log.warn("{}: snapshots are encrypted under the master key alone, not a key per memory: the encoding {} "
                    + "does not keep data keys (a decorating encoding must forward withDataKeys), so memories cannot "
                    + "be shredded", this, codec.getClass().getName());
        }
        String password = password();
        HikariDataSource started;
        try {
            started = new HikariDataSource(poolConfig(password));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            throw new SnapshotStoreException("could not connect to " + this + ": " + reason.getMessage(), reason);
        }
        int version;
        try {
            version = withConnection(started, "prepare the schema",
                    c -> SchemaMigrations.migrate(c, config, password));
            if (codec.suffix().endsWith(".enc")) {
                // made and committed on its own, before any save can use it: a save that rolled back must not leave
                // this instance naming chunks with a key that no other instance can read
                withConnection(started, "prepare the chunk name key", chunkRows::hashKey);
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        pool = started;
        stopped = false;
        log.info("PostgreSQL snapshot store ready: {} (schema version {}, up to {} connections)", this, version,
                config.poolSize());
    }

    @Override
    public void stop() {
        HikariDataSource closing;
        synchronized (this) {
            closing = pool;
            pool = null;
            stopped = true;
        }
        if (closing != null) {
            closing.close();
            log.info("PostgreSQL snapshot store stopped: {}", this);
        }
    }

    /**
     * Saves in one transaction: under the advisory lock {@link ChunkRows#LOCK} (shared, so saves never wait for each
     * other, only for a garbage collection), the chunks the server lacks, then the manifest row. A snapshot whose
     * counts are not its sizes (which no read snapshot has, and which would not read back) is stored whole, as before.
     */
    @Override
    public URI save(MemorySnapshot snapshot) {
        String id = context.requireValidSnapshotId(snapshot.snapshotId());
        if (!chunked || !ChunkLayout.isChunkable(snapshot)) {
            return saveWhole(snapshot);
        }
        SnapshotMetadata metadata = metadataOf(snapshot);
        record Outcome(ChunkRows.Saved saved, byte[] previous) {
        }
        Outcome outcome = withConnection("save snapshot " + id, c -> inTransaction(c, Connection.TRANSACTION_READ_COMMITTED, () -> {
            try (java.sql.Statement lock = c.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock_shared(" + ChunkRows.LOCK + ")");
            }
            ChunkRows.Saved saved = chunkRows.save(c, snapshot);
            byte[] previous = writeRow(c, id, metadata, "chunks" + codec.suffix(), saved.keyId(), saved.storedBytes(),
                    saved.manifest());
            return new Outcome(saved, previous);
        }));
        chunkRows.committed(outcome.saved());
        lastSave = outcome.saved();
        if (outcome.previous() != null) {
            log.debug("Saved snapshot {} again, replacing the row stored under that id", id);
        }
        return location(id);
    }

    /** What the last save in this instance wrote, for the figures. */
    volatile ChunkRows.Saved lastSave;

    /** Saves a snapshot as one whole row, as V1 to V3 did: the form snapshots saved before V4 have. */
    URI saveWhole(MemorySnapshot snapshot) {
        String id = context.requireValidSnapshotId(snapshot.snapshotId());
        byte[] body = codec.encode(snapshot);
        byte[] checksum = sha256(body);
        SnapshotMetadata metadata = metadataOf(snapshot);
        byte[] previous = withConnection("save snapshot " + id,
                c -> writeRow(c, id, metadata, codec.suffix().substring(1), StoredLayers.keyIdOf(body), body.length,
                        body));
        if (previous != null && !Arrays.equals(previous, checksum)) {
            log.info("Saved snapshot {}, replacing the different snapshot stored under that id", id);
        } else if (previous != null) {
            log.debug("Saved snapshot {} again, unchanged", id);
        }
        return location(id);
    }

    /** @return the checksum of the row this replaced, or {@code null} */
    private byte[] writeRow(Connection c, String id, SnapshotMetadata metadata, String format, String keyId,
                            long storedBytes, byte[] body) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql.save())) {
            s.setString(1, id);
            s.setString(2, id);
            s.setObject(3, metadata.timestamp());
            s.setInt(4, metadata.shortTermTurns());
            s.setInt(5, metadata.longTermMemories());
            s.setInt(6, metadata.topics());
            s.setString(7, metadata.memoryId());
            s.setString(8, metadata.parentSnapshotId());
            s.setString(9, format);
            s.setString(10, keyId);
            s.setLong(11, storedBytes);
            s.setBytes(12, sha256(body));
            s.setBytes(13, body);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /**
     * Removes the chunk rows no snapshot row names, in one transaction that holds the advisory lock
     * {@link ChunkRows#LOCK} exclusive: it waits for the saves in progress (in every instance) to commit, and saves
     * that start meanwhile wait for it, so it never removes a chunk a save is about to name. Deleting a snapshot
     * leaves its chunks to this. Rows saved whole (before V4) have no chunks.
     */
    @Override
    public GarbageCollection collectGarbage(boolean dryRun) {
        GarbageCollection result = withConnection("collect garbage",
                c -> inTransaction(c, Connection.TRANSACTION_READ_COMMITTED,
                        () -> chunkRows.collect(c, dryRun, gcLocks)));
        log.info("{} {} unreferenced chunks ({} bytes) in {}", dryRun ? "Would remove" : "Removed", result.pieces(),
                result.bytes(), this);
        return result;
    }

    /** For tests only: saves write whole rows (false), as before V4. */
    void writeChunks(boolean on) {
        chunked = on;
    }

    /** For the test that shows the lock matters only: collection without it. */
    void lockGarbageCollection(boolean on) {
        gcLocks = on;
    }

    /** Runs the work in a transaction of its own, or, on a connection already in one, as part of that. */
    static <T> T inTransaction(Connection c, int isolation, SqlWork0<T> work) throws SQLException {
        if (!c.getAutoCommit()) {
            return work.run();
        }
        c.setAutoCommit(false);
        c.setTransactionIsolation(isolation);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a broken connection: the pool drops it
            }
        }
    }

    @FunctionalInterface
    interface SqlWork0<T> {
        T run() throws SQLException;
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        return readRow("read snapshot " + id, sql.read(), id, null);
    }

    @Override
    public Optional<MemorySnapshot> read(String memoryId, String snapshotId) {
        String memory = MemoryManagers.requireValidMemoryId(memoryId);
        String id = context.requireValidSnapshotId(snapshotId);
        return readRow("read snapshot " + id + " of memory " + memory, sql.readInMemory(), id, memory);
    }

    /** @param memoryId the memory the row must be of, or {@code null} for any */
    private Optional<MemorySnapshot> readRow(String what, String statement, String id, String memoryId) {
        // one repeatable-read transaction: the row and the chunks it names are read as of one moment, so a delete and
        // a garbage collection in between cannot take the chunks away mid-read
        return withConnection(what, c -> inTransaction(c, Connection.TRANSACTION_REPEATABLE_READ, () -> {
            try (PreparedStatement s = c.prepareStatement(statement)) {
                s.setString(1, id);
                if (memoryId != null) {
                    s.setString(2, memoryId);
                }
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<MemorySnapshot>empty();
                    }
                    return Optional.of(decode(c, id, rs.getString(3), rs.getString(3), rs.getBytes(1),
                            rs.getBytes(2)).snapshot());
                }
            }
        }));
    }

    @Override
    public MemorySnapshot read(URI location) {
        String text = location.toString();
        if (text.startsWith(locationPrefix) && context.isValidSnapshotId(text.substring(locationPrefix.length()))) {
            return read(text.substring(locationPrefix.length()))
                    .orElseThrow(() -> new SnapshotNotFoundException("no snapshot at " + location));
        }
        throw new SnapshotNotFoundException("not a location of " + this + ": " + location);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return listed("list snapshots", sql.list(), null);
    }

    @Override
    public List<SnapshotMetadata> list(String memoryId) {
        String memory = MemoryManagers.requireValidMemoryId(memoryId);
        return listed("list the snapshots of memory " + memory, sql.listMemory(), memory);
    }

    private List<SnapshotMetadata> listed(String what, String statement, String memoryId) {
        return withConnection(what, c -> {
            List<SnapshotMetadata> found = new ArrayList<>();
            try (PreparedStatement s = prepare(c, statement, memoryId); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(metadataAt(rs));
                }
            }
            return found;
        });
    }

    @Override
    public List<StoredSnapshot> inventory() {
        return inventoried("list snapshots", sql.inventory(), null);
    }

    @Override
    public List<StoredSnapshot> inventory(String memoryId) {
        String memory = MemoryManagers.requireValidMemoryId(memoryId);
        return inventoried("list the snapshots of memory " + memory, sql.inventoryMemory(), memory);
    }

    private List<StoredSnapshot> inventoried(String what, String statement, String memoryId) {
        return withConnection(what, c -> {
            List<StoredSnapshot> found = new ArrayList<>();
            try (PreparedStatement s = prepare(c, statement, memoryId); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new StoredSnapshot(metadataAt(rs), rs.getLong(8), tagsAt(rs, 9, 10)));
                }
            }
            return found;
        });
    }

    /** @return the statement, with {@code memoryId} bound as its one parameter unless {@code null} */
    private static PreparedStatement prepare(Connection c, String statement, String memoryId) throws SQLException {
        PreparedStatement s = c.prepareStatement(statement);
        if (memoryId != null) {
            s.setString(1, memoryId);
        }
        return s;
    }

    @Override
    public List<String> memoryIds() {
        List<String> ids = withConnection("list memory ids", c -> {
            List<String> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql.memoryIds()); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        });
        // The column's "C" order is by code point; Java's differs only where a character beyond U+FFFF meets one
        // from U+E000 to U+FFFF. The list is already sorted but for those, so this costs one pass.
        ids.sort(null);
        return ids;
    }

    @Override
    public int deleteMemory(String memoryId) {
        String memory = MemoryManagers.requireValidMemoryId(memoryId);
        return withConnection("delete the snapshots of memory " + memory, c -> {
            try (PreparedStatement s = prepare(c, sql.deleteMemory(), memory)) {
                return s.executeUpdate();
            }
        });
    }

    /**
     * Crypto-shredding: destroys the memory's data key first, in a transaction of its own committed durably, so that
     * from then on no copy of its snapshots (a dump of the snapshot and chunk rows, a backup without the key row)
     * can be decrypted, even if what follows is interrupted; then, in one transaction holding {@link ChunkRows#LOCK}
     * exclusive (so no save of the memory is half-way), deletes its rows and collects the chunks no row names any
     * more, its own among them (chunks under a memory's key are never shared with another memory).
     *
     * @throws SnapshotStoreException when snapshots are not encrypted under a key per memory; nothing is deleted
     */
    @Override
    public int shredMemory(String memoryId) {
        String memory = MemoryManagers.requireValidMemoryId(memoryId);
        if (!codec.hasDataKeys()) {
            throw new SnapshotStoreException(this + " cannot shred memory " + memory + ": its snapshots are not "
                    + "encrypted under a key of their own (set memory.encryption); nothing was deleted");
        }
        boolean hadKey = codec.shredDataKey(memory);
        record Shredded(int rows, int notUnderItsKey, GarbageCollection chunks) {
        }
        Shredded shredded = withConnection("delete the snapshots of shredded memory " + memory,
                c -> inTransaction(c, Connection.TRANSACTION_READ_COMMITTED, () -> {
                    try (java.sql.Statement lock = c.createStatement()) {
                        lock.execute("SELECT pg_advisory_xact_lock(" + ChunkRows.LOCK + ")");
                    }
                    int notUnderItsKey = 0;
                    try (PreparedStatement s = prepare(c, sql.heads(), memory); ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            notUnderItsKey += StoredLayers.underMemoryKey(rs.getBytes(1)) ? 0 : 1;
                        }
                    }
                    int rows;
                    try (PreparedStatement s = prepare(c, sql.deleteMemory(), memory)) {
                        rows = s.executeUpdate();
                    }
                    return new Shredded(rows, notUnderItsKey, chunkRows.collect(c, false, gcLocks));
                }));
        log.info("Shredded memory {} in {}: {} its data key, deleted {} snapshots and collected {} chunks ({} bytes)",
                memory, this, hadKey ? "destroyed" : "found no", shredded.rows(), shredded.chunks().pieces(),
                shredded.chunks().bytes());
        if (shredded.notUnderItsKey() > 0) {
            log.warn("{} of the shredded snapshots of memory {} were not encrypted under its data key (saved before "
                    + "schema version 5, or before encryption was on): they are deleted, but copies of them made "
                    + "before stay readable (with the master key)", shredded.notUnderItsKey(), memory);
        }
        return shredded.rows();
    }

    @Override
    public List<String> storedIds() {
        return withConnection("list snapshot ids", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql.ids()); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    @Override
    public boolean delete(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        return withConnection("delete snapshot " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.delete())) {
                s.setString(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        String id = context.requireValidSnapshotId(snapshotId);
        return withConnection("delete snapshot " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.deleteIfTags())) {
                s.setString(1, id);
                setTags(c, s, 2, expected);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Verification verify(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        try {
            return withConnection("verify snapshot " + id, c -> inTransaction(c,
                    Connection.TRANSACTION_REPEATABLE_READ, () -> {
                try (PreparedStatement s = c.prepareStatement(sql.verify())) {
                    s.setString(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            return new Verification(id, false, "not found");
                        }
                        SnapshotMetadata listed = new SnapshotMetadata(rs.getString(3),
                                rs.getObject(4, LocalDateTime.class), rs.getInt(5), rs.getInt(6), rs.getInt(7),
                                rs.getString(8), rs.getString(9));
                        byte[] body = rs.getBytes(1);
                        long storedBytes = rs.getLong(10);
                        try {
                            Decoded decoded = decode(c, id, rs.getString(8), null, body, rs.getBytes(2));
                            SnapshotMetadata actual = metadataOf(decoded.snapshot());
                            if (!actual.equals(listed)) {
                                return new Verification(id, false, location(id) + ": the listing columns say "
                                        + listed + " but the body holds " + actual);
                            }
                            if (decoded.chunks() != null) {
                                return new Verification(id, true, "chunked: a manifest of " + body.length
                                        + " bytes naming " + decoded.chunks().chunks() + " chunks ("
                                        + decoded.chunks().chunkBytes() + " bytes), every chunk present and "
                                        + "matching its name, checksum ok");
                            }
                            if (storedBytes != body.length) {
                                return new Verification(id, false, location(id) + ": stored_bytes says "
                                        + storedBytes + " but the body has " + body.length);
                            }
                            return new Verification(id, true, StoredLayers.describe(body) + ", " + body.length
                                    + " bytes, checksum ok");
                        } catch (SnapshotException e) {
                            return new Verification(id, false, e.getMessage());
                        }
                    }
                }
            }));
        } catch (SnapshotFormatException e) {
            return new Verification(id, false, e.getMessage());
        }
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        return withConnection("read the labels of snapshot " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.tags())) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? tagsAt(rs, 1, 2) : SnapshotTags.NONE;
                }
            }
        });
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        String id = context.requireValidSnapshotId(snapshotId);
        requireStorable(tags);
        boolean updated = withConnection("label snapshot " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.setTags())) {
                setTags(c, s, 1, tags);
                s.setString(3, id);
                return s.executeUpdate() > 0;
            }
        });
        if (!updated) {
            throw new SnapshotNotFoundException("no stored snapshot with id " + id);
        }
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags tags) {
        String id = context.requireValidSnapshotId(snapshotId);
        requireStorable(tags);
        return withConnection("label snapshot " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.compareAndSetTags())) {
                setTags(c, s, 1, tags);
                s.setString(3, id);
                setTags(c, s, 4, expected);
                if (s.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement s = c.prepareStatement(sql.exists())) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SnapshotNotFoundException("no stored snapshot with id " + id);
                    }
                }
            }
            return false;
        });
    }

    /** Sets the labels array and the pin at {@code index} and {@code index + 1}. */
    private static void setTags(Connection c, PreparedStatement s, int index, SnapshotTags tags) throws SQLException {
        s.setArray(index, c.createArrayOf("text", tags.labels().toArray()));
        s.setBoolean(index + 1, tags.pinned());
    }

    private static void requireStorable(SnapshotTags tags) {
        for (String label : tags.labels()) {
            if (label.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("PostgreSQL text cannot hold the NUL character: label "
                        + label.replace("\0", "\\0"));
            }
        }
    }

    /** @return the statements this store runs, for tests that look at their plans */
    Statements statements() {
        return sql;
    }

    @Override
    public String toString() {
        return "PostgresSnapshotStore[" + locationPrefix.substring(0, locationPrefix.length() - 1) + "]";
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private HikariConfig poolConfig(String password) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("memsnap-postgres-" + config.schema());
        // Loaded through this class's loader, so that a store in a plugin directory's jar finds its own driver.
        hc.setDriverClassName(org.postgresql.Driver.class.getName());
        hc.setJdbcUrl(config.url());
        if (config.user() != null) {
            hc.setUsername(config.user());
        }
        if (password != null) {
            hc.setPassword(password);
        }
        long timeout = config.timeout().toMillis();
        hc.setMaximumPoolSize(config.poolSize());
        // Snapshots are occasional: keep one connection warm, open more only under load, so that many hosts do
        // not hold many idle connections each.
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(timeout);
        hc.setValidationTimeout(Math.max(250, Math.min(5_000, timeout / 2)));
        hc.setKeepaliveTime(120_000);
        // The pool's first connection is opened at once, and once only: a server that is down or a login it refuses
        // fails the start straight away with the driver's reason, rather than after connection_timeout of retries.
        hc.setInitializationFailTimeout(1);
        hc.addDataSourceProperty("ApplicationName", "memsnap");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        return hc;
    }

    private String password() {
        if (config.passwordEnv() == null) {
            return null;
        }
        String value = env.apply(config.passwordEnv());
        if (value == null || value.isEmpty()) {
            throw new ConfigException("memory.postgres.password_env: the environment variable "
                    + config.passwordEnv() + " is not set, so there is no password for the PostgreSQL store");
        }
        return value;
    }

    <T> T withConnection(String what, SqlWork<T> work) {
        HikariDataSource current = pool;
        if (current == null) {
            throw new SnapshotStoreException("cannot " + what + ": " + this + " is "
                    + (stopped ? "stopped" : "not started"), null);
        }
        return withConnection(current, what, work);
    }

    /**
     * Runs one piece of work on a pooled connection. A connection found broken (the server restarted, a proxy cut
     * it) is dropped by the pool and the work tried again on another, at most once per pooled connection: every
     * piece of work is a single statement or one transaction, so trying it again is safe. Waiting for a connection
     * that cannot be had is not tried again: that already took {@code connection_timeout}.
     */
    private <T> T withConnection(HikariDataSource source, String what, SqlWork<T> work) {
        Connection held = inProgress.get();
        if (held != null) {
            // a data key read or made while a save or read runs: in its transaction, and with no second connection
            try {
                return work.run(held);
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = source.getConnection()) {
                inProgress.set(c);
                keyRowsRead.set(new java.util.HashMap<>());
                return work.run(c);
            } catch (SQLException e) {
                if (isBrokenConnection(e) && attempt <= config.poolSize()) {
                    log.debug("Connection lost while trying to {} ({}); trying another", what, e.getMessage());
                    continue;
                }
                throw failure(what, e);
            } finally {
                inProgress.remove();
                keyRowsRead.remove();
            }
        }
    }

    /** @return the data key rows read by the operation in progress on this thread, by name; it may add to them */
    java.util.Map<String, Optional<byte[]>> keyRowsRead() {
        return keyRowsRead.get();
    }

    private static boolean isBrokenConnection(SQLException e) {
        String state = e.getSQLState();
        return !(e instanceof SQLTransientConnectionException) && state != null
                && (state.startsWith("08") || BROKEN_CONNECTION_STATES.contains(state));
    }

    private SnapshotStoreException failure(String what, SQLException e) {
        StringBuilder message = new StringBuilder("could not ").append(what).append(" in ").append(this)
                .append(": ").append(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !e.getMessage().contains(cause.getMessage())) {
            message.append(" (").append(cause.getMessage()).append(')');
        }
        if (what.startsWith("save") && (isBrokenConnection(e) || e instanceof SQLTransientConnectionException)) {
            message.append("; if the connection broke as the server committed, the snapshot may be stored whole, "
                    + "never in part: saving it again is safe");
        }
        return new SnapshotStoreException(message.toString(), e);
    }

    /** A decoded row: the snapshot, and what its chunks were when it is chunked ({@code null} when whole). */
    private record Decoded(MemorySnapshot snapshot, ChunkRows.Read chunks) {
    }

    /**
     * @param rowMemory the memory its row says it is of: whose chunk names a per-memory manifest uses
     * @param memoryId  the memory to check the body against; {@code null}: not checked
     */
    private Decoded decode(Connection c, String id, String rowMemory, String memoryId, byte[] body, byte[] recorded)
            throws SQLException {
        String source = location(id).toString();
        byte[] actual = sha256(body);
        if (!Arrays.equals(actual, recorded)) {
            throw new SnapshotFormatException(source, "checksum mismatch: the stored body was damaged or changed "
                    + "after it was written (body_sha256 says " + HexFormat.of().formatHex(recorded)
                    + ", the body hashes to " + HexFormat.of().formatHex(actual) + ")");
        }
        ChunkRows.Read chunks = null;
        MemorySnapshot snapshot;
        if (ChunkLayout.isManifest(body)) {
            chunks = chunkRows.read(c, body, rowMemory, source);
            snapshot = chunks.snapshot();
        } else {
            snapshot = codec.decode(body, source);
        }
        if (!snapshot.snapshotId().equals(id)) {
            throw new SnapshotFormatException(source, "holds snapshot " + snapshot.snapshotId() + ", but its row says "
                    + id);
        }
        if (memoryId != null && !snapshot.memoryId().equals(memoryId)) {
            throw new SnapshotFormatException(source, "holds a snapshot of memory " + snapshot.memoryId()
                    + ", but its row says memory " + memoryId);
        }
        return new Decoded(snapshot, chunks);
    }

    /** What the listing columns hold: as the file store lists it, to the microsecond the format keeps. */
    static SnapshotMetadata metadataOf(MemorySnapshot snapshot) {
        return new SnapshotMetadata(snapshot.snapshotId(), snapshot.timestamp().truncatedTo(ChronoUnit.MICROS),
                snapshot.shortTerm().turns().size(), snapshot.longTerm().memories().size(),
                new LinkedHashSet<>(snapshot.longTerm().topics()).size(), snapshot.memoryId(),
                snapshot.parentSnapshotId());
    }

    /** Reads the {@link #LISTED} columns, which a query selects first. */
    private static SnapshotMetadata metadataAt(ResultSet rs) throws SQLException {
        return new SnapshotMetadata(rs.getString(1), rs.getObject(2, LocalDateTime.class), rs.getInt(3),
                rs.getInt(4), rs.getInt(5), rs.getString(6), rs.getString(7));
    }

    private static SnapshotTags tagsAt(ResultSet rs, int labelsColumn, int pinnedColumn) throws SQLException {
        Array labels = rs.getArray(labelsColumn);
        try {
            return new SnapshotTags(Set.of((String[]) labels.getArray()), rs.getBoolean(pinnedColumn));
        } finally {
            labels.free();
        }
    }

    private URI location(String id) {
        return URI.create(locationPrefix + id);
    }

    /**
     * Locations name the server, database and schema as the URL gives them, never the user or a parameter:
     * {@code postgresql://db.internal:5432/memsnap/public/snapshot_...}.
     */
    private static String locationPrefix(PostgresStoreConfig config) {
        Properties url = org.postgresql.Driver.parseURL(config.url(), null);
        String[] hosts = url.getProperty("PGHOST", "localhost").split(",");
        String[] ports = url.getProperty("PGPORT", "5432").split(",");
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            servers.add(hosts[i] + ":" + ports[Math.min(i, ports.length - 1)]);
        }
        try {
            return new URI(LOCATION_SCHEME, String.join(",", servers),
                    "/" + url.getProperty("PGDBNAME", "") + "/" + config.schema() + "/", null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot name locations for " + config.url() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
