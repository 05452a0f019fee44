package dev.memsnap.cli;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A store that remembers what a listing left out. The store's inventory skips snapshots it cannot read (logging
 * them), and a content filter skips those it cannot read whole; a command that lists or prunes must say so, with the
 * reason, instead of silently showing less than is there (for example every file, after a wrong key). Wrapping the
 * store lets the command learn this from the one pass it makes anyway, instead of reading everything twice.
 *
 * <p>It also remembers failed writes: a copy (export, import, rekey) reports every failure per snapshot alike, and
 * the command must tell a snapshot it could not read (exit 4) from a store it could not write (exit 5).
 */
final class RecordingStore implements SnapshotStore {
    private final SnapshotStore delegate;
    private final Set<String> listed = new TreeSet<>();
    private final Map<String, Verification> unreadable = new LinkedHashMap<>();
    private final Set<String> unwritable = new TreeSet<>();

    RecordingStore(SnapshotStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<StoredSnapshot> inventory() {
        List<StoredSnapshot> inventory = delegate.inventory();
        inventory.forEach(s -> listed.add(s.snapshotId()));
        return inventory;
    }

    @Override
    public List<StoredSnapshot> inventory(String memoryId) {
        List<StoredSnapshot> inventory = delegate.inventory(memoryId);
        inventory.forEach(s -> listed.add(s.snapshotId()));
        return inventory;
    }

    @Override
    public Optional<MemorySnapshot> read(String memoryId, String snapshotId) {
        try {
            return delegate.read(memoryId, snapshotId);
        } catch (SnapshotNotFoundException gone) {
            throw gone;
        } catch (SnapshotException e) {
            unreadable.put(snapshotId, new Verification(snapshotId, false, e.getMessage()));
            throw e;
        }
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        try {
            return delegate.read(snapshotId);
        } catch (SnapshotNotFoundException gone) {
            throw gone;
        } catch (SnapshotException e) {
            unreadable.put(snapshotId, new Verification(snapshotId, false, e.getMessage()));
            throw e;
        }
    }

    /**
     * @param storedBefore the ids stored before the listing ({@link #storedIds()} taken first, so that a snapshot
     *                     saved meanwhile is not mistaken for an unreadable one)
     * @return each stored snapshot the listing could not read, with the reason, by id
     */
    List<Verification> unreadable(Collection<String> storedBefore) {
        Map<String, Verification> found = new TreeMap<>(unreadable);
        Set<String> storedNow = null;
        for (String id : storedBefore) {
            if (listed.contains(id) || found.containsKey(id)) {
                continue;
            }
            Verification v = delegate.verify(id);
            if (!v.intact()) {
                if (storedNow == null) {
                    storedNow = new HashSet<>(delegate.storedIds());
                }
                if (storedNow.contains(id)) { // else deleted meanwhile: not there, not damaged
                    found.put(id, v);
                }
                continue;
            }
            try {
                delegate.tags(id); // the snapshot reads, so its tags are what the inventory tripped on
            } catch (SnapshotException e) {
                found.put(id, new Verification(id, false, e.getMessage()));
            }
        }
        return new ArrayList<>(found.values());
    }

    /** @return the ids of snapshots whose save or tags failed in this store */
    Set<String> unwritable() {
        return Set.copyOf(unwritable);
    }

    // ------------------------------------------------------------------------------------------ plain delegation

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void stop() {
        delegate.stop();
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        try {
            return delegate.save(snapshot);
        } catch (SnapshotException e) {
            unwritable.add(snapshot.snapshotId());
            throw e;
        }
    }

    @Override
    public MemorySnapshot read(URI location) {
        return delegate.read(location);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return delegate.list();
    }

    @Override
    public boolean delete(String snapshotId) {
        return delegate.delete(snapshotId);
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        return delegate.deleteIfTagsAre(snapshotId, expected);
    }

    @Override
    public List<SnapshotMetadata> list(String memoryId) {
        return delegate.list(memoryId);
    }

    @Override
    public List<String> memoryIds() {
        return delegate.memoryIds();
    }

    @Override
    public int deleteMemory(String memoryId) {
        return delegate.deleteMemory(memoryId);
    }

    @Override
    public int shredMemory(String memoryId) {
        return delegate.shredMemory(memoryId);
    }

    @Override
    public List<String> storedIds() {
        return delegate.storedIds();
    }

    @Override
    public List<String> storedIds(String memoryId) {
        return delegate.storedIds(memoryId);
    }

    @Override
    public GarbageCollection collectGarbage(boolean dryRun) {
        return delegate.collectGarbage(dryRun);
    }

    @Override
    public GarbageCollection collectGarbage(String memoryId, boolean dryRun) {
        return delegate.collectGarbage(memoryId, dryRun);
    }

    @Override
    public Verification verify(String snapshotId) {
        return delegate.verify(snapshotId);
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return delegate.tags(snapshotId);
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        try {
            delegate.setTags(snapshotId, tags);
        } catch (SnapshotException e) {
            unwritable.add(snapshotId);
            throw e;
        }
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags tags) {
        try {
            return delegate.compareAndSetTags(snapshotId, expected, tags);
        } catch (SnapshotException e) {
            unwritable.add(snapshotId);
            throw e;
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
