package dev.memsnap.core.store;

import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.store.ListingIndex.Entry;
import dev.memsnap.core.store.ListingIndex.FileVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * What a file store's listings show, and how they stay both right and cheap. Three ways to a listing, cheapest first:
 * <ol>
 *   <li><b>Unchanged directory</b>: when the snapshot directory's {@link DirectoryStamp} is the one this store's last
 *       listing read, and that stamp was settled then, the last listing is returned as it was: no directory read,
 *       no file looked at.</li>
 *   <li><b>Index</b>: a store's first listing reads {@code .memsnap/listing.idx} ({@link ListingIndex}); when the
 *       stamp it recorded is the directory's now and was settled, its entries are the listing, and only the files
 *       it names without metadata (encrypted, damaged or unread) are read.</li>
 *   <li><b>Full listing</b>: otherwise the directory is read and every snapshot file looked at; a file whose size,
 *       modification time and inode are those of the last listing (in memory or in the index) is not read again,
 *       nor is a file found damaged in this process while it is unchanged. A store that was started then writes the
 *       index if what it found differs from it.</li>
 * </ol>
 * So a snapshot saved, replaced or deleted by this store, another store or process, or by hand shows in the next
 * listing, since each of those creates, renames or deletes a directory entry. What shows only once the directory
 * next changes (or at once, within two seconds of its last change, while every file is still looked at) is a file
 * rewritten in place, keeping its name and inode
 * ({@code cp} onto an existing snapshot, {@code truncate}); reading, showing or verifying that snapshot reads the file
 * itself and is right at once, and {@code touch snapshot_dir} makes the next listing look at every file.
 *
 * <p>An encrypted file's listing is kept in memory only: the index names the file, never what it holds.
 */
final class SnapshotListing {
    private static final Logger log = LoggerFactory.getLogger(SnapshotListing.class);
    static final int ID_LENGTH = "snapshot_20250426_123456_abcd1234".length();
    private static final String ENCRYPTED_SUFFIX = ".enc";
    /** The JSON cache of earlier versions, replaced by the index: removed when the index is first written. */
    private static final String OLD_LISTING_CACHE = "listing.json";

    /**
     * A snapshot as listed.
     *
     * @param metadata    what it holds, in brief
     * @param storedBytes the size of its file
     */
    record Found(SnapshotMetadata metadata, long storedBytes) {
    }

    /**
     * A listing and what it was made from.
     *
     * @param stamp       the directory's stamp, read before its entries; null when there is no directory
     * @param readAtNanos when the stamp was read
     * @param entries     every snapshot-named file, with what was read from it (a file holding another id included)
     * @param shown       the entries of the listing, newest first
     * @param metadata    the same, in brief: immutable, so that a caller's {@link List#copyOf} of it copies nothing
     */
    private record State(DirectoryStamp stamp, long readAtNanos, List<Entry> entries, List<Entry> shown,
                         List<SnapshotMetadata> metadata) {
        static final State NO_DIRECTORY = new State(null, 0, List.of(), List.of(), List.of());

        boolean trusted(DirectoryStamp now, long settling) {
            return stamp != null && stamp.equals(now) && stamp.settledBefore(readAtNanos, settling);
        }
    }

    private final Path dir;
    private final Path indexFile;
    private final SnapshotCodec codec;
    private final ToIntFunction<String> rankOfSuffix;
    private final long settlingNanos;
    /** Files a listing found damaged, and the version found so: not decoded again unchanged. */
    private final Map<String, FileVersion> refused = new ConcurrentHashMap<>();
    private volatile State state;
    /** What the index file holds as far as this store knows: written by it or read by it; null when unknown. */
    private volatile ListingIndex.Content onDisk;
    private volatile boolean writesIndex;

    /**
     * @param dir           the snapshot directory
     * @param codec         decodes a file's metadata
     * @param rankOfSuffix  which of a snapshot's files to list when it has several: the lowest rank
     * @param settlingNanos {@link DirectoryStamp#SETTLING}, or less in tests
     */
    SnapshotListing(Path dir, SnapshotCodec codec, ToIntFunction<String> rankOfSuffix, long settlingNanos) {
        this.dir = dir;
        this.indexFile = dir.resolve(FileSnapshotStore.META_DIR).resolve(ListingIndex.FILE);
        this.codec = codec;
        this.rankOfSuffix = rankOfSuffix;
        this.settlingNanos = settlingNanos;
    }

    /** From now on, listings write the index when it is out of date: for a started store, never for one only read. */
    void writeIndex() {
        writesIndex = true;
    }

    /** @return the listing, newest first */
    List<SnapshotMetadata> metadata() {
        return current().metadata();
    }

    /** @return the listing with each file's size, newest first */
    List<Found> found() {
        List<Entry> shown = current().shown();
        List<Found> found = new ArrayList<>(shown.size());
        for (Entry e : shown) {
            found.add(new Found(e.metadata(), e.version().size()));
        }
        return found;
    }

    private State current() {
        DirectoryStamp now;
        try {
            now = DirectoryStamp.of(dir);
        } catch (NoSuchFileException noDirectory) {
            return State.NO_DIRECTORY;
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list snapshot directory " + dir + ": "
                    + FileSnapshotStore.reason(e), e);
        }
        State last = state;
        if (last != null && last.trusted(now, settlingNanos)) {
            return last;
        }
        List<Entry> reusable = last != null ? last.entries() : List.of();
        if (last == null) {
            ListingIndex.Content index = readIndex();
            if (index != null) {
                if (index.stamp().equals(now) && index.stamp().settledBefore(index.readAtNanos(), settlingNanos)) {
                    State fromIndex = fromIndex(index);
                    state = fromIndex;
                    return fromIndex;
                }
                reusable = index.entries();
            }
        }
        State next = fullListing(reusable);
        state = next;
        if (writesIndex) {
            updateIndex(next);
        }
        return next;
    }

    private ListingIndex.Content readIndex() {
        if (Files.isSymbolicLink(indexFile.getParent())) {
            return null; // not ours to read: whoever made the link would choose what the listing says
        }
        try {
            ListingIndex.Content content = ListingIndex.read(indexFile);
            onDisk = content;
            return content;
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            log.info("Making the listing index {} again from the snapshot files: {}", indexFile, e.getMessage());
            return null;
        }
    }

    /**
     * The listing of an index that describes the directory as it is: its listed entries as they are (the index's
     * reader checked that they come first, newest first, and each holds the snapshot its name says), the files it
     * only names read now.
     */
    private State fromIndex(ListingIndex.Content index) {
        List<Entry> entries = index.entries();
        if (index.hasDuplicates()) {
            return listing(index.stamp(), index.readAtNanos(), byName(entries), entries, true);
        }
        int listed = entries.size();
        while (listed > 0 && !entries.get(listed - 1).listed()) {
            listed--;
        }
        if (listed == entries.size()) {
            return state(index.stamp(), index.readAtNanos(), entries, entries);
        }
        List<Entry> examined = new ArrayList<>(entries);
        List<Entry> shown = new ArrayList<>(entries.subList(0, listed));
        for (int i = listed; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            Entry read = examine(entry.id(), entry.suffix(), null);
            if (read != null) {
                examined.set(i, read);
                if (listable(read)) {
                    shown.add(read);
                }
            }
        }
        shown.sort(NEWEST_FIRST);
        return state(index.stamp(), index.readAtNanos(), examined, shown);
    }

    private static final java.util.Comparator<Entry> NEWEST_FIRST =
            (a, b) -> SnapshotMetadata.NEWEST_FIRST.compare(a.metadata(), b.metadata());

    private static State state(DirectoryStamp stamp, long readAt, List<Entry> entries, List<Entry> shown) {
        SnapshotMetadata[] metadata = new SnapshotMetadata[shown.size()];
        for (int i = 0; i < metadata.length; i++) {
            metadata[i] = shown.get(i).metadata();
        }
        return new State(stamp, readAt, Collections.unmodifiableList(entries), Collections.unmodifiableList(shown),
                List.of(metadata));
    }

    /** @return the listable entries by file name, to be reused where their file is unchanged */
    private static Map<String, Entry> byName(List<Entry> entries) {
        Map<String, Entry> byName = new HashMap<>(entries.size() * 2);
        for (Entry e : entries) {
            if (e.listed()) {
                byName.put(e.name(), e);
            }
        }
        return byName;
    }

    /** Reads the directory, then every file not known unchanged. */
    private State fullListing(List<Entry> reusable) {
        long readAt = DirectoryStamp.nowNanos();
        DirectoryStamp stamp;
        List<String> names = new ArrayList<>();
        try {
            stamp = DirectoryStamp.of(dir); // before the entries: a change while they are read changes the stamp
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot_*.json*")) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (isSnapshotName(name)) {
                        names.add(name);
                    }
                }
            }
        } catch (NoSuchFileException gone) {
            return State.NO_DIRECTORY;
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list snapshot directory " + dir + ": "
                    + FileSnapshotStore.reason(e), e);
        }
        Collections.sort(names);
        List<Entry> entries = new ArrayList<>(names.size());
        for (String name : names) {
            entries.add(new Entry(name.substring(0, ID_LENGTH), suffixOf(name), null, null));
        }
        State next = listing(stamp, readAt, byName(reusable), entries, false);
        refused.keySet().retainAll(names);
        return next;
    }

    private static String suffixOf(String name) {
        String suffix = name.substring(ID_LENGTH);
        return SnapshotCodec.SUFFIXES.get(SnapshotCodec.SUFFIXES.indexOf(suffix)); // one instance per suffix
    }

    static boolean isSnapshotName(String name) {
        return name.length() > ID_LENGTH && SnapshotIds.isValid(name.substring(0, ID_LENGTH))
                && SnapshotCodec.SUFFIXES.contains(name.substring(ID_LENGTH));
    }

    /**
     * @param known   what earlier listings read, by file name
     * @param names   every snapshot-named file (only id and suffix are used), a snapshot's files side by side
     * @param trusted whether {@code known} describes the directory as it is (an index whose stamp is the directory's
     *                now), so that a listed entry is used without looking at its file
     */
    private State listing(DirectoryStamp stamp, long readAt, Map<String, Entry> known, List<Entry> names,
                          boolean trusted) {
        List<Entry> sorted = new ArrayList<>(names);
        sorted.sort(java.util.Comparator.comparing(Entry::id)
                .thenComparingInt(e -> rankOfSuffix.applyAsInt(e.suffix())));
        List<Entry> entries = new ArrayList<>(sorted.size());
        List<Entry> shown = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Entry name = sorted.get(i);
            boolean preferred = i == 0 || !sorted.get(i - 1).id().equals(name.id());
            Entry entry = known.get(name.name());
            if (!preferred) {
                entries.add(new Entry(name.id(), name.suffix(), null, null)); // another encoding: not listed
                continue;
            }
            if (!(trusted && entry != null)) {
                entry = examine(name.id(), name.suffix(), entry);
            }
            entries.add(entry != null ? entry : new Entry(name.id(), name.suffix(), null, null));
            if (entry != null && listable(entry)) {
                shown.add(entry);
            }
        }
        shown.sort(NEWEST_FIRST);
        return state(stamp, readAt, entries, shown);
    }

    /** @return whether the entry's file holds the snapshot its name says (else it is logged and not listed) */
    private boolean listable(Entry entry) {
        if (entry.metadata().snapshotId().equals(entry.id())) {
            return true;
        }
        log.warn("Skipping {}: it holds snapshot {}", dir.resolve(entry.name()), entry.metadata().snapshotId());
        return false;
    }

    /**
     * @param prior what an earlier listing read from the file, or null
     * @return the file's entry, read again unless unchanged since {@code prior}; null when it cannot be listed
     */
    private Entry examine(String id, String suffix, Entry prior) {
        String name = id + suffix;
        Path file = dir.resolve(name);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile() || attributes.size() > SnapshotJson.MAX_DOCUMENT_BYTES) {
                log.warn("Skipping {}: not a regular file of a snapshot's size", file);
                return null;
            }
            FileVersion version = FileVersion.of(attributes);
            if (prior != null && prior.listed() && version.equals(prior.version())) {
                return prior;
            }
            if (version.equals(refused.get(name))) {
                log.debug("Skipping damaged snapshot file {}, unchanged since it was refused", file);
                return null;
            }
            SnapshotMetadata metadata;
            try (InputStream in = Files.newInputStream(file)) {
                metadata = codec.readMetadata(in, file.toString());
            } catch (SnapshotFormatException damaged) {
                // Decoding it again would cost as much again (a decompression bomb, say) and say the same.
                refused.put(name, version);
                throw damaged;
            }
            refused.remove(name);
            return new Entry(id, suffix, version, metadata);
        } catch (NoSuchFileException deletedMeanwhile) {
            return null; // deleted by another process while listing: not there any more
        } catch (SnapshotException | IOException e) {
            log.warn("Skipping damaged snapshot file {}: {}", file, e.getMessage());
            return null;
        }
    }

    /** Writes the index when it says other than this listing; a failure loses nothing (it is only a speed-up). */
    private void updateIndex(State listed) {
        if (listed.stamp() == null) {
            return;
        }
        Path metaDir = indexFile.getParent();
        if (Files.isSymbolicLink(metaDir)) {
            log.debug("Not writing the listing index: {} is a symbolic link", metaDir);
            return;
        }
        // listed plain snapshots first, newest first; every other file by its name alone
        List<Entry> entries = new ArrayList<>(listed.entries().size());
        java.util.Set<String> ids = new java.util.HashSet<>(listed.entries().size() * 2);
        boolean hasDuplicates = false;
        Map<String, Entry> listedByName = new HashMap<>(listed.shown().size() * 2);
        for (Entry e : listed.entries()) {
            hasDuplicates |= !ids.add(e.id());
            if (e.listed() && !e.suffix().endsWith(ENCRYPTED_SUFFIX) && e.metadata().snapshotId().equals(e.id())) {
                listedByName.put(e.id(), e); // what an encrypted file holds stays encrypted
            }
        }
        for (Entry shown : listed.shown()) {
            if (listedByName.get(shown.id()) == shown) {
                entries.add(shown);
            }
        }
        for (Entry e : listed.entries()) {
            if (listedByName.get(e.id()) != e) {
                entries.add(new Entry(e.id(), e.suffix(), null, null));
            }
        }
        ListingIndex.Content content = new ListingIndex.Content(listed.stamp(), listed.readAtNanos(), hasDuplicates,
                entries);
        ListingIndex.Content known = onDisk;
        boolean settled = listed.stamp().settledBefore(listed.readAtNanos(), settlingNanos);
        if (known != null && known.stamp().equals(content.stamp()) && known.entries().equals(entries)
                && settled == known.stamp().settledBefore(known.readAtNanos(), settlingNanos)) {
            return;
        }
        try {
            Files.createDirectories(metaDir);
            ListingIndex.write(indexFile, content);
            onDisk = content;
            Files.deleteIfExists(metaDir.resolve(OLD_LISTING_CACHE));
        } catch (IOException e) {
            log.debug("Could not write the listing index {}: {}", indexFile, e.getMessage());
        }
    }
}
