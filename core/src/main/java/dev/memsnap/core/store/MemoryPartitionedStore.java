package dev.memsnap.core.store;

import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.format.SnapshotIds;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * A directory store per memory id: the default memory in {@code snapshot_dir} itself, byte for byte the seed's
 * layout, and each other memory in the directory {@link MemoryDirectories} names, with a {@code memory_id} file
 * holding its id. Listing one memory reads only its directory; deleting one memory never touches another's files.
 */
final class MemoryPartitionedStore implements SnapshotStore {
    private static final int PARTITIONS_CACHED = 256;
    private static final int OWNERS_CACHED = 16_384;

    private static <K, V> Map<K, V> bounded(int capacity) {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }

    private final Path root;
    /** Makes the store of one memory's directory: the directory and the memory id. */
    private final BiFunction<Path, String, SnapshotStore> open;
    /** The memories' data keys, when snapshots are encrypted under them. */
    private final Optional<dev.memsnap.core.codec.DataKeys> dataKeys;
    private final SnapshotStore defaultStore;
    /**
     * Memory id to its store, for the memories used lately: a bounded cache, since a directory store holds nothing
     * that must outlive it (making one does no I/O) and a host may have millions of memory ids.
     */
    private final Map<String, SnapshotStore> partitions = bounded(PARTITIONS_CACHED);
    /** Snapshot id to the memory that holds it, as learned from saves: a speed-up only, bounded likewise. */
    private final Map<String, String> owners = bounded(OWNERS_CACHED);
    private final String name;
    private volatile boolean started;

    MemoryPartitionedStore(Path root, BiFunction<Path, String, SnapshotStore> open,
                           Optional<dev.memsnap.core.codec.DataKeys> dataKeys) {
        this.root = root.toAbsolutePath().normalize();
        this.open = open;
        this.dataKeys = dataKeys;
        this.defaultStore = open.apply(this.root, MemoryManagers.DEFAULT);
        this.name = defaultStore.toString();
    }

    @Override
    public void start() {
        defaultStore.start();
        started = true;
        for (String memoryId : storedMemoryIds()) {
            partition(memoryId); // starts it: cleans up what an interrupted save left
        }
    }

    @Override
    public void stop() {
        started = false;
        defaultStore.stop();
        List<SnapshotStore> others;
        synchronized (partitions) {
            others = List.copyOf(partitions.values());
        }
        others.forEach(SnapshotStore::stop);
    }

    private SnapshotStore partition(String memoryId) {
        if (memoryId.equals(MemoryManagers.DEFAULT)) {
            return defaultStore;
        }
        return partitions.computeIfAbsent(memoryId, id -> {
            SnapshotStore store = open.apply(MemoryDirectories.of(root, id), id);
            if (started && Files.isDirectory(MemoryDirectories.of(root, id), LinkOption.NOFOLLOW_LINKS)) {
                store.start();
            }
            return store;
        });
    }

    /** The partition of a memory that has a directory; empty for one that never saved, so nothing is created. */
    private Optional<SnapshotStore> existing(String memoryId) {
        if (memoryId.equals(MemoryManagers.DEFAULT)) {
            return Optional.of(defaultStore);
        }
        SnapshotStore known = partitions.get(memoryId);
        if (known != null) {
            return Optional.of(known);
        }
        Path dir = MemoryDirectories.of(root, memoryId);
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(partition(memoryId)) : Optional.empty();
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        String memoryId = snapshot.memoryId();
        if (!memoryId.equals(MemoryManagers.DEFAULT)) {
            claim(memoryId);
        }
        URI location = partition(memoryId).save(snapshot);
        owners.put(snapshot.snapshotId(), memoryId);
        return location;
    }

    /** Writes the memory's id file once, and refuses a directory that holds another id's snapshots. */
    private void claim(String memoryId) {
        Path dir = MemoryDirectories.of(root, memoryId);
        Path idFile = dir.resolve(MemoryDirectories.MEMORY_ID_FILE);
        try {
            if (Files.isSymbolicLink(root.resolve(MemoryDirectories.MEMORIES)) || Files.isSymbolicLink(dir)) {
                throw new SnapshotStoreException(dir + " is a symbolic link; memsnap writes only inside " + root);
            }
            if (Files.exists(idFile, LinkOption.NOFOLLOW_LINKS)) {
                String stored = Files.readString(idFile, StandardCharsets.UTF_8);
                if (!stored.equals(memoryId)) {
                    throw new SnapshotStoreException(dir + " holds memory \"" + stored + "\", not the memory asked"
                            + " for; refusing to mix them");
                }
                return;
            }
            Files.createDirectories(dir);
            AtomicFiles.write(idFile, out -> out.write(memoryId.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot prepare the directory of memory " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** @return the ids of the memories with a directory under {@code memories/}, read from their id files */
    private List<String> storedMemoryIds() {
        Path memories = root.resolve(MemoryDirectories.MEMORIES);
        if (!Files.isDirectory(memories, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(memories)) {
            for (Path dir : dirs) {
                Path idFile = dir.resolve(MemoryDirectories.MEMORY_ID_FILE);
                if (!Files.isRegularFile(idFile, LinkOption.NOFOLLOW_LINKS) || Files.size(idFile) > 4 * 200) {
                    continue;
                }
                String id = Files.readString(idFile, StandardCharsets.UTF_8);
                // only a directory whose name is its id's: anything else under memories/ is not ours
                if (MemoryManagers.isValidMemoryId(id) && !id.equals(MemoryManagers.DEFAULT)
                        && dir.getFileName().toString().equals(MemoryDirectories.nameOf(id))) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list memories in " + memories + ": " + e.getMessage(), e);
        }
        return ids;
    }

    private List<SnapshotStore> all() {
        List<SnapshotStore> stores = new ArrayList<>();
        stores.add(defaultStore);
        for (String memoryId : storedMemoryIds()) {
            stores.add(partition(memoryId));
        }
        return stores;
    }

    /** The partition that holds a snapshot id, looked for where it was last seen, then everywhere. */
    private Optional<SnapshotStore> holder(String snapshotId) {
        SnapshotIds.requireValid(snapshotId);
        String owner = owners.get(snapshotId);
        if (owner != null) {
            Optional<SnapshotStore> known = existing(owner);
            if (known.isPresent() && known.get().storedIds().contains(snapshotId)) {
                return known;
            }
        }
        if (defaultStore.storedIds().contains(snapshotId)) {
            return Optional.of(defaultStore);
        }
        for (String memoryId : storedMemoryIds()) {
            SnapshotStore store = partition(memoryId);
            if (store.storedIds().contains(snapshotId)) {
                owners.put(snapshotId, memoryId);
                return Optional.of(store);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        return holder(snapshotId).flatMap(store -> store.read(snapshotId));
    }

    @Override
    public Optional<MemorySnapshot> read(String memoryId, String snapshotId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        SnapshotIds.requireValid(snapshotId);
        return existing(memoryId).flatMap(store -> store.read(snapshotId))
                .filter(s -> s.memoryId().equals(memoryId));
    }

    @Override
    public MemorySnapshot read(URI location) {
        SnapshotNotFoundException last = null;
        for (SnapshotStore store : all()) {
            try {
                return store.read(location);
            } catch (SnapshotNotFoundException | IllegalArgumentException notThere) {
                last = notThere instanceof SnapshotNotFoundException e ? e : null;
            }
        }
        throw last != null ? last : new SnapshotNotFoundException("no snapshot at " + location);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return inventory().stream().map(StoredSnapshot::metadata).toList();
    }

    @Override
    public List<SnapshotMetadata> list(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        Optional<SnapshotStore> store = existing(memoryId); // no method reference: its first use spins a class
        List<SnapshotMetadata> listed = store.isPresent() ? store.get().list() : List.of();
        for (SnapshotMetadata m : listed) {
            if (!m.memoryId().equals(memoryId)) { // a snapshot of another memory copied into this one's directory
                return listed.stream().filter(s -> s.memoryId().equals(memoryId)).toList();
            }
        }
        return listed;
    }

    @Override
    public List<StoredSnapshot> inventory() {
        List<StoredSnapshot> all = new ArrayList<>();
        for (SnapshotStore store : all()) {
            all.addAll(store.inventory());
        }
        all.sort(Comparator.comparing(StoredSnapshot::metadata, SnapshotMetadata.NEWEST_FIRST));
        return all;
    }

    @Override
    public List<StoredSnapshot> inventory(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        return existing(memoryId).map(SnapshotStore::inventory).orElse(List.of()).stream()
                .filter(s -> s.metadata().memoryId().equals(memoryId)).toList();
    }

    @Override
    public List<String> memoryIds() {
        TreeSet<String> ids = new TreeSet<>(storedMemoryIds());
        if (!defaultStore.storedIds().isEmpty()) {
            ids.add(MemoryManagers.DEFAULT);
        }
        return List.copyOf(ids);
    }

    @Override
    public List<String> storedIds() {
        List<String> ids = new ArrayList<>();
        for (SnapshotStore store : all()) {
            ids.addAll(store.storedIds());
        }
        return ids;
    }

    @Override
    public List<String> storedIds(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        return existing(memoryId).map(SnapshotStore::storedIds).orElse(List.of());
    }

    @Override
    public boolean delete(String snapshotId) {
        Optional<SnapshotStore> store = holder(snapshotId);
        boolean deleted = store.isPresent() && store.get().delete(snapshotId);
        owners.remove(snapshotId);
        return deleted;
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        Optional<SnapshotStore> store = holder(snapshotId);
        boolean deleted = store.isPresent() && store.get().deleteIfTagsAre(snapshotId, expected);
        if (deleted) {
            owners.remove(snapshotId);
        }
        return deleted;
    }

    @Override
    public int deleteMemory(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        Optional<SnapshotStore> store = existing(memoryId);
        if (store.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        for (String id : store.get().storedIds()) {
            if (store.get().delete(id)) {
                deleted++;
            }
        }
        if (!memoryId.equals(MemoryManagers.DEFAULT) && store.get().storedIds().isEmpty()) {
            removeDirectory(memoryId);
        }
        return deleted;
    }

    /**
     * Destroys the memory's data key first, so that from then on no copy of its snapshots opens, even if deleting
     * them is interrupted (a run again deletes what is left), then deletes them.
     */
    @Override
    public int shredMemory(String memoryId) {
        MemoryManagers.requireValidMemoryId(memoryId);
        dev.memsnap.core.codec.DataKeys keys = dataKeys.orElseThrow(() -> new SnapshotStoreException(this
                + " cannot shred memory " + memoryId + ": its snapshots are not encrypted under a key of their own "
                + "(set memory.encryption); nothing was deleted"));
        keys.shred(memoryId);
        return deleteMemory(memoryId);
    }

    /** Removes an emptied memory's directory, so it is no longer listed; never follows a link out of it. */
    private void removeDirectory(String memoryId) {
        Path dir = MemoryDirectories.of(root, memoryId);
        partitions.remove(memoryId);
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p); // walk does not follow links; a link is deleted, not its target
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // already gone
        } catch (IOException e) {
            throw new SnapshotStoreException("deleted the snapshots of memory " + memoryId + " but could not remove "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    /** Collects in every memory's directory, the default memory's first. */
    @Override
    public GarbageCollection collectGarbage(boolean dryRun) {
        GarbageCollection total = GarbageCollection.none(dryRun);
        for (SnapshotStore store : all()) {
            total = total.plus(store.collectGarbage(dryRun));
        }
        return total;
    }

    /** Collects in that memory's directory only. */
    @Override
    public GarbageCollection collectGarbage(String memoryId, boolean dryRun) {
        MemoryManagers.requireValidMemoryId(memoryId);
        return existing(memoryId).map(store -> store.collectGarbage(dryRun))
                .orElse(GarbageCollection.none(dryRun));
    }

    @Override
    public Verification verify(String snapshotId) {
        return holder(snapshotId).map(store -> store.verify(snapshotId))
                .orElseGet(() -> new Verification(snapshotId, false, "not found"));
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return holder(snapshotId).map(store -> store.tags(snapshotId)).orElse(SnapshotTags.NONE);
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        holder(snapshotId).orElseThrow(() -> new SnapshotNotFoundException("no stored snapshot with id " + snapshotId))
                .setTags(snapshotId, tags);
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags tags) {
        return holder(snapshotId)
                .orElseThrow(() -> new SnapshotNotFoundException("no stored snapshot with id " + snapshotId))
                .compareAndSetTags(snapshotId, expected, tags);
    }

    /** @return the default memory's own store, for what only it offers (garbage collection, say) */
    SnapshotStore defaultPartition() {
        return defaultStore;
    }

    @Override
    public String toString() {
        return name;
    }
}
