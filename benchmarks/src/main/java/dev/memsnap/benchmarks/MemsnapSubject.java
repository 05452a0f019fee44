package dev.memsnap.benchmarks;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.Memsnap;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * memsnap, driven only through its public API: {@link Memsnap#start}, the {@link EnhancedMemoryManager} facade, and
 * for housekeeping the {@link SnapshotStore} SPI from the injector.
 */
public final class MemsnapSubject implements Subject {
    private final Memsnap memsnap;
    private final EnhancedMemoryManager manager;
    private final Path dir;

    private MemsnapSubject(Memsnap memsnap, Path dir) {
        this.memsnap = memsnap;
        this.manager = memsnap.manager();
        this.dir = dir;
    }

    /**
     * @param dir         the snapshot directory
     * @param incremental whether to ask for {@code memory.store: incremental}
     * @return memsnap started on that directory, uncompressed, without automatic snapshots
     */
    public static MemsnapSubject start(Path dir, boolean incremental) {
        return new MemsnapSubject(Memsnap.start(ConfigFile.parse("benchmark config", configYaml(dir, incremental))),
                dir);
    }

    /**
     * @param dir         the snapshot directory
     * @param incremental whether to ask for the incremental store
     * @return the {@code config.yaml} the benchmarks use
     */
    public static String configYaml(Path dir, boolean incremental) {
        return "memory:\n"
                + "  snapshot_dir: '" + dir.toAbsolutePath().toString().replace("'", "''") + "'\n"
                + "  compression: none\n"
                + (incremental ? "  store: incremental\n" : "");
    }

    /**
     * memsnap on the PostgreSQL store ({@code memory.store: postgres}), uncompressed like the others.
     *
     * @param dir         the snapshot directory (still configured: other parts of memsnap may use it)
     * @param jdbcUrl     the database, without a password
     * @param user        the role
     * @param passwordEnv the environment variable holding the role's password
     * @return memsnap started on that database
     */
    public static MemsnapSubject startPostgres(Path dir, String jdbcUrl, String user, String passwordEnv) {
        String yaml = configYaml(dir, false)
                + "  store: postgres\n"
                + "  postgres:\n"
                + "    url: '" + jdbcUrl.replace("'", "''") + "'\n"
                + "    user: " + user + "\n"
                + "    password_env: " + passwordEnv + "\n";
        return new MemsnapSubject(Memsnap.start(ConfigFile.parse("benchmark config", yaml)), dir);
    }

    /** @return the manager */
    public EnhancedMemoryManager manager() {
        return manager;
    }

    /** @return the running instance */
    public Memsnap memsnap() {
        return memsnap;
    }

    /** @return the configured store */
    public SnapshotStore store() {
        return memsnap.injector().getInstance(SnapshotStore.class);
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public String storeDescription() {
        SnapshotStore store = store();
        String text = String.valueOf(store);
        String name = store.getClass().getName();
        return text.contains(store.getClass().getSimpleName()) ? text : name + " " + text;
    }

    /** @return whether the configured store says it is the incremental one (by class name or description) */
    public boolean storeIsIncremental() {
        SnapshotStore store = store();
        return (store.getClass().getName() + " " + store).toLowerCase(Locale.ROOT).contains("incremental")
                || Boolean.getBoolean(INCREMENTAL_CONFIRMED_PROPERTY);
    }

    /**
     * Set by the report when {@link StoreProbe} found that {@code memory.store: incremental} behaves incrementally
     * although its store's name does not say so.
     */
    public static final String INCREMENTAL_CONFIRMED_PROPERTY = "memsnap.bench.incremental-confirmed";

    @Override
    public void populate(Path seedFile) {
        String id = manager.loadSnapshot(seedFile);
        if (!manager.applySnapshot(id)) {
            throw new IllegalStateException("could not apply the loaded snapshot " + id);
        }
    }

    @Override
    public String createSnapshot() {
        return manager.createSnapshot();
    }

    @Override
    public Object save(String snapshotId) {
        return manager.saveSnapshot(snapshotId);
    }

    @Override
    public String load(Object location) {
        return location instanceof Path path ? manager.loadSnapshot(path) : manager.loadSnapshot((URI) location);
    }

    @Override
    public boolean apply(String snapshotId) {
        return manager.applySnapshot(snapshotId);
    }

    @Override
    public int list() {
        return manager.listSnapshots().size();
    }

    @Override
    public void addTurn(String role, String content) {
        manager.addTurn(role, content);
    }

    @Override
    public String addMemory(String content, String sourceType, double importance, List<String> topics) {
        return manager.addMemory(content, sourceType, importance, topics);
    }

    @Override
    public void enableAutoSnapshot(int interval) {
        manager.enableAutoSnapshot(interval);
    }

    @Override
    public int pendingAutomaticSaves() {
        return manager.stats().pendingAutomaticSaves();
    }

    @Override
    public long[] automaticCounters() {
        ManagerStats stats = manager.stats();
        return new long[]{stats.automaticSnapshots(), stats.automaticSavesCompleted(), stats.automaticSavesSkipped(),
                stats.automaticSavesFailed()};
    }

    @Override
    public void deleteStored() {
        SnapshotStore store = store();
        for (String id : store.storedIds()) {
            store.delete(id);
        }
    }

    @Override
    public void forget(String snapshotId) {
        // memsnap has no public way to drop a held snapshot; benchmarks restart it instead when the heap fills
    }

    @Override
    public void close() {
        memsnap.close();
    }

    @Override
    public String toString() {
        return "memsnap[" + storeDescription() + "]";
    }
}
