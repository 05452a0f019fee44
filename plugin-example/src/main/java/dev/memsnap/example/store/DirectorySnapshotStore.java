package dev.memsnap.example.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A store written against {@code memsnap-api} alone: one file per snapshot, {@code <snapshot id>.snapshot}, holding
 * the bytes memsnap's {@link SnapshotEncoding} makes (the snapshot JSON, compressed and encrypted as {@code memory:}
 * says), and beside it, for a labelled or pinned snapshot, {@code <snapshot id>.tags}. Reading detects the encoding
 * from the bytes, so one file name serves every configuration.
 *
 * <ul>
 *   <li><b>Atomic and durable.</b> A save writes a temporary file, forces it to disk, renames it over the target and
 *       forces the directory: a crash leaves the old snapshot or the new one, never half of one.</li>
 *   <li><b>Safe ids only.</b> Every id is checked with {@link PluginContext#requireValidSnapshotId} before a path is
 *       made of it, so no id reaches the file system unless it is {@code snapshot_<date>_<time>_<hex>}.</li>
 *   <li><b>Concurrent use.</b> Saves of different ids touch different files; a delete and a change of tags hold one
 *       lock, so tags never outlive their snapshot.</li>
 * </ul>
 * {@link #list()} reads every snapshot to describe it, which is fine for an example and for hundreds of snapshots;
 * a store meant for many more keeps an index (core's file store keeps a listing index).
 */
final class DirectorySnapshotStore implements SnapshotStore {
    static final String SUFFIX = ".snapshot";
    static final String TAGS_SUFFIX = ".tags";
    private static final String TAGS_HEADER = "memsnap-example-tags 1";
    private static final Logger log = LoggerFactory.getLogger(DirectorySnapshotStore.class);

    private final Path directory;
    private final SnapshotEncoding encoding;
    private final PluginContext context;
    /** The file whose lock serialises deletions and tag changes among threads, instances and processes. */
    private static final String TAGS_LOCK = ".tags.lock";
    /** Held with the file lock by this instance's threads, which a file lock alone cannot keep apart. */
    private final Object tagsLock = new Object();

    /**
     * Does no I/O: the directory is created in {@link #start()}.
     *
     * @param directory where the snapshots are kept
     * @param context   memsnap's encoding and id validation
     */
    DirectorySnapshotStore(Path directory, PluginContext context) {
        this.directory = directory.toAbsolutePath().normalize();
        this.context = Objects.requireNonNull(context, "context");
        this.encoding = context.encoding();
    }

    @Override
    public void start() {
        // Fail at start, not at the first save, when encryption is configured and its key cannot be read.
        encoding.checkKeys();
        createDirectory();
        log.info("Keeping snapshots in {}", directory);
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        String id = context.requireValidSnapshotId(snapshot.snapshotId());
        byte[] stored = encoding.encode(snapshot);
        Path file = snapshotFile(id);
        createDirectory();
        writeAtomically(file, stored);
        return file.toUri();
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        return bytesOf(snapshotFile(id)).map(stored -> decode(id, snapshotFile(id), stored));
    }

    @Override
    public MemorySnapshot read(URI location) {
        Path file = ownFile(location).orElseThrow(() -> new SnapshotNotFoundException(
                "not a location of the store in " + directory + ": " + location));
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - SUFFIX.length());
        return bytesOf(file).map(stored -> decode(id, file, stored))
                .orElseThrow(() -> new SnapshotNotFoundException("no snapshot at " + location));
    }

    @Override
    public List<SnapshotMetadata> list() {
        List<SnapshotMetadata> listing = new ArrayList<>();
        for (String id : storedIds()) {
            try {
                read(id).ifPresent(snapshot -> listing.add(snapshot.metadata()));
            } catch (SnapshotException e) {
                log.warn("Leaving {} out of the listing: {}", snapshotFile(id), e.getMessage());
            }
        }
        listing.sort(SnapshotMetadata.NEWEST_FIRST);
        return listing;
    }

    @Override
    public boolean delete(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        return underTagsLock(() -> deleteFiles(id));
    }

    private boolean deleteFiles(String id) throws IOException {
        boolean deleted = Files.deleteIfExists(snapshotFile(id));
        Files.deleteIfExists(tagsFile(id));
        if (deleted) {
            forceDirectory();
        }
        return deleted;
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        String id = context.requireValidSnapshotId(snapshotId);
        return underTagsLock(() -> tags(id).equals(expected) && deleteFiles(id));
    }

    @Override
    public List<StoredSnapshot> inventory() {
        List<StoredSnapshot> inventory = new ArrayList<>();
        for (String id : storedIds()) {
            try {
                Optional<MemorySnapshot> snapshot = read(id);
                if (snapshot.isPresent()) {
                    inventory.add(new StoredSnapshot(snapshot.get().metadata(), Files.size(snapshotFile(id)),
                            tags(id)));
                }
            } catch (SnapshotException | IOException e) {
                log.warn("Leaving {} out of the inventory: {}", snapshotFile(id), e.getMessage());
            }
        }
        inventory.sort(Comparator.comparing(StoredSnapshot::metadata, SnapshotMetadata.NEWEST_FIRST));
        return inventory;
    }

    /** Every file named like a snapshot, damaged ones included, which {@link #list()} leaves out. */
    @Override
    public List<String> storedIds() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids; // nothing saved yet
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (context.isValidSnapshotId(id)) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        String id = context.requireValidSnapshotId(snapshotId);
        return bytesOf(tagsFile(id)).map(stored -> decodeTags(tagsFile(id), stored)).orElse(SnapshotTags.NONE);
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags tags) {
        String id = context.requireValidSnapshotId(snapshotId);
        Objects.requireNonNull(tags, "tags");
        return underTagsLock(() -> {
            requireStored(id);
            if (!tags(id).equals(expected)) {
                return false;
            }
            writeTags(id, tags);
            return true;
        });
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags tags) {
        String id = context.requireValidSnapshotId(snapshotId);
        Objects.requireNonNull(tags, "tags");
        underTagsLock(() -> {
            requireStored(id);
            writeTags(id, tags);
            return null;
        });
    }

    private void requireStored(String id) {
        if (!Files.exists(snapshotFile(id))) {
            throw new SnapshotNotFoundException("no snapshot " + id + " in " + directory);
        }
    }

    private void writeTags(String id, SnapshotTags tags) throws IOException {
        if (tags.isEmpty()) {
            if (Files.deleteIfExists(tagsFile(id))) {
                forceDirectory();
            }
        } else {
            writeAtomically(tagsFile(id), encodeTags(tags));
        }
    }

    /** Work on a snapshot's files under the tags lock. */
    @FunctionalInterface
    private interface LockedWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs a deletion or a tag change so that a check and a change are atomic against every other: the monitor keeps
     * this instance's threads apart, and a lock on {@value #TAGS_LOCK} keeps apart other processes (which wait for it)
     * and other instances in this JVM, even from another class loader (a plugin directory gives each its own): Java
     * refuses a second lock on a file this JVM already holds, so they retry until it is free.
     */
    private <T> T underTagsLock(LockedWork<T> work) {
        synchronized (tagsLock) {
            try {
                Files.createDirectories(directory);
                try (FileChannel channel = FileChannel.open(directory.resolve(TAGS_LOCK), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    FileLock lock = null;
                    while (lock == null) {
                        try {
                            lock = channel.lock();
                        } catch (OverlappingFileLockException heldByAnotherInstanceInThisJvm) {
                            Thread.sleep(1);
                        }
                    }
                    try {
                        return work.run();
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new SnapshotStoreException("cannot change " + directory + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SnapshotStoreException("interrupted while waiting to change " + directory, e);
            }
        }
    }

    private Path snapshotFile(String id) {
        return directory.resolve(id + SUFFIX);
    }

    private Path tagsFile(String id) {
        return directory.resolve(id + TAGS_SUFFIX);
    }

    /** The file a location names, when it is one of this store's snapshot files. */
    private Optional<Path> ownFile(URI location) {
        if (location == null || !"file".equalsIgnoreCase(location.getScheme())) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Path.of(location).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return Optional.empty();
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!directory.equals(file.getParent()) || !name.endsWith(SUFFIX)
                || !context.isValidSnapshotId(name.substring(0, name.length() - SUFFIX.length()))) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    private MemorySnapshot decode(String id, Path file, byte[] stored) {
        MemorySnapshot snapshot = encoding.decode(stored, file.toString());
        if (!id.equals(snapshot.snapshotId())) {
            throw new SnapshotFormatException(file.toString(), "holds snapshot " + snapshot.snapshotId()
                    + ", not " + id);
        }
        return snapshot;
    }

    private static Optional<byte[]> bytesOf(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot create the snapshot directory " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** Temporary file, forced; renamed over the target; directory forced. The temporary file never ends in SUFFIX. */
    private void writeAtomically(Path target, byte[] content) {
        Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new SnapshotStoreException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Makes a rename or delete durable. Not every platform can open a directory (Windows cannot): then skip it. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.debug("Cannot force the directory {} to disk: {}", directory, e.toString());
        }
    }

    /** One line per fact; labels URL-encoded, so a label with a line break is still one line. */
    private static byte[] encodeTags(SnapshotTags tags) {
        StringBuilder text = new StringBuilder(TAGS_HEADER).append('\n');
        text.append("pinned ").append(tags.pinned()).append('\n');
        for (String label : tags.labels()) {
            text.append("label ").append(URLEncoder.encode(label, StandardCharsets.UTF_8)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static SnapshotTags decodeTags(Path file, byte[] stored) {
        List<String> lines = new String(stored, StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty() || !TAGS_HEADER.equals(lines.get(0))) {
            throw new SnapshotFormatException(file.toString(), "not a tags file");
        }
        boolean pinned = false;
        TreeSet<String> labels = new TreeSet<>();
        try {
            for (String line : lines.subList(1, lines.size())) {
                if (line.equals("pinned true") || line.equals("pinned false")) {
                    pinned = line.endsWith("true");
                } else if (line.startsWith("label ")) {
                    labels.add(URLDecoder.decode(line.substring("label ".length()), StandardCharsets.UTF_8));
                } else {
                    throw new SnapshotFormatException(file.toString(), "unexpected line in a tags file");
                }
            }
            return new SnapshotTags(labels, pinned);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException(file.toString(), "damaged tags file: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DirectorySnapshotStore[" + directory + "]";
    }
}
