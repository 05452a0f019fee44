package dev.memsnap.core.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default store: one file per snapshot in {@code snapshot_dir}, named {@code <snapshot_id>.json} in the seed's
 * plain layout, or {@code .json.gz}, {@code .json.zst}, {@code .json.enc} (and compressed and encrypted) when so
 * configured, and written atomically. So that the directory holds nothing but snapshots, as the seed's did, what
 * memsnap keeps about them lives in its hidden {@code .memsnap} folder: {@code <file>.sha256}, the SHA-256 of the
 * file's bytes (damage is found even where the content still parses), {@code <snapshot_id>.tags.json}, labels and pin,
 * and {@code listing.idx}, the listing index ({@link SnapshotListing}, {@link ListingIndex}): a cache of what listings
 * read, trusted while the directory's own times and inode are unchanged, rewritten only by a started store, never
 * holding what an encrypted file holds, and made again from the files when missing or damaged. The directory is
 * created on {@link #start()} or on the first save, whichever comes first.
 *
 * <p>A save removes the old checksum, writes the file, then writes the new checksum: a crash in between leaves a
 * complete file with no checksum (reported by {@link #verify}, never as damage), not a checksum that lies. Saving a
 * snapshot in another encoding first writes the new file, then removes the old one, so a crash between the two
 * leaves two complete copies, never none; reading prefers the current encoding.
 */
@Singleton
final class FileSnapshotStore implements SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final String CHECKSUM_SUFFIX = ".sha256";
    private static final String SAVE_LOCK = "save.lock";
    private static final int ID_LENGTH = SnapshotListing.ID_LENGTH;
    /** A temporary file older than this is a crashed writer's leftover, not a save in progress. */
    private static final Duration STALE_TEMP_AGE = Duration.ofMinutes(10);

    /** The hidden folder of checksums and tags inside the snapshot directory. */
    static final String META_DIR = ".memsnap";

    private final Path dir;
    private final Path metaDir;
    private final TagFiles tags;
    private final SnapshotCodec codec;
    private final SnapshotListing listing;

    @Inject
    FileSnapshotStore(MemoryConfig config, SnapshotCodec codec) {
        this(config.snapshotDir(), codec);
    }

    FileSnapshotStore(Path dir, SnapshotCodec codec) {
        this(dir, codec, DirectoryStamp.SETTLING);
    }

    /** @param settlingNanos how long after its last change the directory's stamp is trusted (tests shorten it) */
    FileSnapshotStore(Path dir, SnapshotCodec codec, long settlingNanos) {
        this.dir = dir.toAbsolutePath().normalize();
        this.metaDir = this.dir.resolve(META_DIR);
        this.tags = new TagFiles(metaDir);
        this.codec = codec;
        this.listing = new SnapshotListing(this.dir, codec, this::rankOfSuffix, settlingNanos);
    }

    @Override
    public void start() {
        codec.checkKeys();
        TagFiles.requireNotALink(metaDir);
        listing.writeIndex(); // a started store may write; one only read (a command that only reads) never does
        try {
            Files.createDirectories(metaDir);
            removeStaleTemporaryFiles(dir);
            removeStaleTemporaryFiles(metaDir);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot prepare snapshot directory " + dir + ": " + reason(e), e);
        }
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        String id = SnapshotIds.requireValid(snapshot.snapshotId());
        Path file = dir.resolve(id + codec.suffix());
        boolean[] inPlace = {false};
        TagFiles.requireNotALink(metaDir);
        try {
            Files.createDirectories(metaDir);
            // one save at a time per directory, across threads and processes: a file and its checksum, and the
            // removal of the snapshot's other encodings, must not interleave with another save of the same id
            DirectoryLock.holding(metaDir.resolve(SAVE_LOCK), () -> {
                Path checksumFile = checksumFileOf(file);
                boolean replacing = Files.exists(file);
                if (Files.deleteIfExists(checksumFile)) {
                    AtomicFiles.fsyncDirectory(metaDir);
                }
                MessageDigest sha256 = Checksums.sha256();
                AtomicFiles.writeWithoutDirectorySync(file,
                        out -> codec.encode(snapshot, new DigestOutputStream(out, sha256)));
                try {
                    AtomicFiles.fsyncDirectory(dir);
                } catch (IOException notDurable) {
                    if (!replacing) {
                        Files.deleteIfExists(file); // a new snapshot that may not last is taken back
                    }
                    inPlace[0] = replacing;
                    throw notDurable;
                }
                // Saved and durable from here. A missing checksum loses nothing (verify says so); an older
                // encoding left beside it would be read instead by a store that prefers it, so that must go.
                inPlace[0] = true;
                try {
                    String line = HexFormat.of().formatHex(sha256.digest()) + "  ../" + file.getFileName() + "\n";
                    AtomicFiles.write(checksumFile, out -> out.write(line.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException checksum) {
                    log.warn("Snapshot {} is saved, but its checksum could not be written: {} (verify will say so)",
                            id, reason(checksum));
                }
                boolean removed = false;
                for (String suffix : SnapshotCodec.SUFFIXES) {
                    Path other = dir.resolve(id + suffix);
                    if (!suffix.equals(codec.suffix()) && Files.exists(other, LinkOption.NOFOLLOW_LINKS)) {
                        removed |= Files.deleteIfExists(other);
                        try {
                            Files.deleteIfExists(checksumFileOf(other));
                        } catch (IOException staleChecksum) {
                            log.warn("Could not remove {}: {}", checksumFileOf(other), reason(staleChecksum));
                        }
                    }
                }
                if (removed) {
                    AtomicFiles.fsyncDirectory(dir);
                }
                return null;
            });
        } catch (IOException e) {
            throw new SnapshotStoreException("could not save snapshot " + id + " to " + file + ": " + reason(e)
                    + (inPlace[0] ? "; the new version is in place, but the save did not finish"
                    : "; stored snapshots are unchanged"), e);
        }
        return file.toUri();
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        Optional<Path> file = fileOf(snapshotId);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        MemorySnapshot snapshot = readFile(file.get());
        if (!snapshot.snapshotId().equals(snapshotId)) {
            throw new SnapshotFormatException(file.get().toString(), "holds snapshot " + snapshot.snapshotId()
                    + ", but its name says " + snapshotId);
        }
        return Optional.of(snapshot);
    }

    @Override
    public Verification verify(String snapshotId) {
        Optional<Path> file = fileOf(snapshotId);
        if (file.isEmpty()) {
            return new Verification(snapshotId, false, "not found");
        }
        try {
            Checked checked = readChecked(file.get());
            MemorySnapshot snapshot = checked.snapshot();
            if (!snapshot.snapshotId().equals(snapshotId)) {
                return new Verification(snapshotId, false, file.get() + ": holds snapshot " + snapshot.snapshotId());
            }
            return new Verification(snapshotId, true, SnapshotCodec.describe(checked.head()) + ", " + checked.size()
                    + " bytes, " + (checked.hasChecksum() ? "checksum ok" : "no checksum recorded (content valid)"));
        } catch (SnapshotException e) {
            return new Verification(snapshotId, false, e.getMessage());
        } catch (IOException e) {
            return new Verification(snapshotId, false, "cannot read " + file.get() + ": " + reason(e));
        }
    }

    @Override
    public MemorySnapshot read(URI location) {
        String id = ownId(location);
        return read(id).orElseThrow(() -> new SnapshotNotFoundException("no snapshot at " + location));
    }

    @Override
    public List<SnapshotMetadata> list() {
        return listing.metadata();
    }

    @Override
    public List<StoredSnapshot> inventory() {
        List<SnapshotListing.Found> found = listing.found();
        Set<String> tagged = found.isEmpty() ? Set.of() : tags.tagged();
        List<StoredSnapshot> inventory = new ArrayList<>(found.size());
        for (SnapshotListing.Found f : found) {
            String id = f.metadata().snapshotId();
            inventory.add(new StoredSnapshot(f.metadata(), f.storedBytes(),
                    tagged.contains(id) ? tags(id) : SnapshotTags.NONE));
        }
        return inventory;
    }

    @Override
    public List<String> storedIds() {
        return List.copyOf(scan().keySet());
    }

    @Override
    public boolean delete(String snapshotId) {
        SnapshotIds.requireValid(snapshotId);
        TagFiles.requireNotALink(metaDir); // before anything, so that a refused delete deletes nothing
        return tags.locked("delete snapshot " + snapshotId, () -> deleteFiles(snapshotId));
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        SnapshotIds.requireValid(snapshotId);
        TagFiles.requireNotALink(metaDir);
        return tags.locked("delete snapshot " + snapshotId,
                () -> tags.read(snapshotId).equals(expected) && deleteFiles(snapshotId));
    }

    /** Deletes a snapshot's files in every encoding, its checksums and its tags; called under the tags lock. */
    private boolean deleteFiles(String snapshotId) {
        try {
            boolean deleted = false;
            for (String suffix : SnapshotCodec.SUFFIXES) {
                Path file = dir.resolve(snapshotId + suffix);
                deleted |= Files.deleteIfExists(file);
                Files.deleteIfExists(checksumFileOf(file));
            }
            tags.delete(snapshotId);
            if (deleted) {
                AtomicFiles.fsyncDirectory(dir);
            }
            return deleted;
        } catch (IOException e) {
            throw new SnapshotStoreException("could not delete snapshot " + snapshotId + ": " + reason(e), e);
        }
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return tags.read(SnapshotIds.requireValid(snapshotId));
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags newTags) {
        tags.locked("label snapshot " + snapshotId, () -> {
            requireStored(snapshotId);
            tags.write(snapshotId, newTags);
            return null;
        });
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags newTags) {
        return tags.locked("label snapshot " + snapshotId, () -> {
            requireStored(snapshotId);
            if (!tags.read(snapshotId).equals(expected)) {
                return false;
            }
            tags.write(snapshotId, newTags);
            return true;
        });
    }

    private void requireStored(String snapshotId) {
        if (fileOf(snapshotId).isEmpty()) {
            throw new SnapshotNotFoundException("no stored snapshot with id " + snapshotId);
        }
    }

    @Override
    public String toString() {
        return "FileSnapshotStore[" + dir + "]";
    }

    /** @return every stored snapshot id with its preferred file: the current encoding first, then the plainest */
    private Map<String, Path> scan() {
        Map<String, Path> byId = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return byId;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot_*.json*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (SnapshotListing.isSnapshotName(name)) {
                    byId.merge(name.substring(0, ID_LENGTH), file, this::preferred);
                }
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list snapshot directory " + dir + ": " + reason(e), e);
        }
        return byId;
    }

    private Path preferred(Path a, Path b) {
        return rank(a) <= rank(b) ? a : b;
    }

    private int rank(Path file) {
        return rankOfSuffix(file.getFileName().toString().substring(ID_LENGTH));
    }

    /** Which of a snapshot's files is read when it has several: the current encoding first, then the plainest. */
    private int rankOfSuffix(String suffix) {
        return suffix.equals(codec.suffix()) ? -1 : SnapshotCodec.SUFFIXES.indexOf(suffix);
    }

    /** Reads a stored file whole, refusing what is not a regular file or is larger than any snapshot may be. */
    static byte[] readStored(Path file) throws IOException {
        try (InputStream in = openStored(file)) {
            return dev.memsnap.core.format.Limits.readAll(in, dev.memsnap.core.format.SnapshotJson.MAX_DOCUMENT_BYTES,
                    file.toString());
        }
    }

    /** Opens a stored file, refusing what is not a regular file or is larger than any snapshot may be. */
    static InputStream openStored(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new SnapshotFormatException(file.toString(), "not a regular file");
        }
        if (attributes.size() > dev.memsnap.core.format.SnapshotJson.MAX_DOCUMENT_BYTES) {
            throw new SnapshotFormatException(file.toString(), "larger than the limit of "
                    + dev.memsnap.core.format.SnapshotJson.MAX_DOCUMENT_BYTES + " bytes");
        }
        return Files.newInputStream(file);
    }

    private MemorySnapshot readFile(Path file) {
        try {
            return readChecked(file).snapshot();
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no snapshot file " + file);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /**
     * A snapshot read and checked, with what a verification reports.
     *
     * @param head the file's first bytes, which say its layers
     */
    private record Checked(MemorySnapshot snapshot, boolean hasChecksum, long size, byte[] head) {
    }

    /**
     * Reads a stored file in one streaming pass, hashing it as the layers decode it, so that the file is never held
     * whole (however large). A file whose checksum does not match is refused as such, even where it also fails to
     * decode: damage is reported as damage to the file, not as what the damage broke.
     */
    private Checked readChecked(Path file) throws IOException {
        String declared = declaredChecksum(file);
        MessageDigest sha256 = Checksums.sha256();
        try (InputStream raw = openStored(file);
             java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(raw, 1 << 16);
             java.security.DigestInputStream in = new java.security.DigestInputStream(buffered, sha256)) {
            buffered.mark(128);
            byte[] head = buffered.readNBytes(128);
            buffered.reset();
            MemorySnapshot snapshot;
            try {
                snapshot = codec.read(in, file.toString());
                in.transferTo(java.io.OutputStream.nullOutputStream()); // what a layer left unread
            } catch (SnapshotFormatException damaged) {
                if (declared != null) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                    String actual = HexFormat.of().formatHex(sha256.digest());
                    if (!actual.equals(declared)) {
                        SnapshotFormatException mismatch = checksumMismatch(file, declared, actual);
                        mismatch.addSuppressed(damaged);
                        throw mismatch;
                    }
                }
                throw damaged;
            }
            if (declared != null) {
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(declared)) {
                    throw checksumMismatch(file, declared, actual);
                }
            }
            return new Checked(snapshot, declared != null, Files.size(file), head);
        }
    }

    /** @return the checksum recorded for a file, or {@code null} when none is */
    private String declaredChecksum(Path file) throws IOException {
        String line;
        try {
            line = Files.readString(checksumFileOf(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        return line.length() >= 64 ? line.substring(0, 64) : line.strip();
    }

    private SnapshotFormatException checksumMismatch(Path file, String declared, String actual) {
        Path checksumFile = checksumFileOf(file);
        return new SnapshotFormatException(file.toString(), "checksum mismatch: the file was damaged or changed "
                + "after it was written (" + checksumFile.getFileName() + " says " + declared
                + ", the file hashes to " + actual + "; to accept a deliberate edit, delete "
                + checksumFile.getFileName() + ")");
    }

    private Path checksumFileOf(Path file) {
        return metaDir.resolve(file.getFileName() + CHECKSUM_SUFFIX);
    }

    /** The id is checked first, so every candidate path is a direct child of the directory. */
    private Optional<Path> fileOf(String snapshotId) {
        SnapshotIds.requireValid(snapshotId);
        Path best = null;
        for (String suffix : SnapshotCodec.SUFFIXES) {
            Path candidate = dir.resolve(snapshotId + suffix);
            if (Files.exists(candidate) && (best == null || rank(candidate) < rank(best))) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    private String ownId(URI location) {
        if ("file".equals(location.getScheme())) {
            Path file = Path.of(location).toAbsolutePath().normalize();
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            if (dir.equals(file.getParent()) && name.length() > ID_LENGTH
                    && SnapshotIds.isValid(name.substring(0, ID_LENGTH))
                    && SnapshotCodec.SUFFIXES.contains(name.substring(ID_LENGTH))) {
                return name.substring(0, ID_LENGTH);
            }
        }
        throw new SnapshotNotFoundException("not a location of " + this + ": " + location);
    }

    static void removeStaleTemporaryFiles(Path folder) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (AtomicFiles.isTemporary(file.getFileName().toString())
                        && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    log.info("Removing a temporary file left by an interrupted save: {}", file);
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    static String reason(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
