package dev.memsnap.core.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The default store: one file {@code <snapshot_dir>/<snapshot_id>.json} per snapshot in the seed's layout, written
 * atomically. The directory is created on {@link #start()} or on the first save, whichever comes first.
 */
@Singleton
final class FileSnapshotStore implements SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final String SUFFIX = ".json";
    /** A temporary file older than this is a crashed writer's leftover, not a save in progress. */
    private static final Duration STALE_TEMP_AGE = Duration.ofMinutes(10);

    private final Path dir;
    private final SnapshotJson json;

    @Inject
    FileSnapshotStore(MemoryConfig config, SnapshotJson json) {
        this.dir = config.snapshotDir().toAbsolutePath().normalize();
        this.json = json;
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(dir);
            removeStaleTemporaryFiles();
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot prepare snapshot directory " + dir + ": " + reason(e), e);
        }
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        Path file = fileOf(snapshot.snapshotId());
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, out -> json.write(snapshot, out));
        } catch (IOException e) {
            throw new SnapshotStoreException("could not save snapshot " + snapshot.snapshotId() + " to " + file
                    + ": " + reason(e) + "; stored snapshots are unchanged", e);
        }
        return file.toUri();
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        Path file = fileOf(snapshotId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        MemorySnapshot snapshot = readFile(file);
        if (!snapshot.snapshotId().equals(snapshotId)) {
            throw new SnapshotFormatException(file.toString(), "holds snapshot " + snapshot.snapshotId()
                    + ", but its name says " + snapshotId);
        }
        return Optional.of(snapshot);
    }

    @Override
    public MemorySnapshot read(URI location) {
        Path file = ownFile(location);
        String name = file.getFileName().toString();
        return read(name.substring(0, name.length() - SUFFIX.length()))
                .orElseThrow(() -> new SnapshotNotFoundException("no snapshot at " + location));
    }

    @Override
    public List<SnapshotMetadata> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<SnapshotMetadata> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot_*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (!SnapshotIds.isValid(id)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    SnapshotMetadata metadata = json.readMetadata(in, file.toString());
                    if (metadata.snapshotId().equals(id)) {
                        found.add(metadata);
                    } else {
                        log.warn("Skipping {}: it holds snapshot {}", file, metadata.snapshotId());
                    }
                } catch (NoSuchFileException deletedMeanwhile) {
                    // deleted by another process while listing: not there any more
                } catch (SnapshotException | IOException e) {
                    log.warn("Skipping damaged snapshot file {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list snapshot directory " + dir + ": " + reason(e), e);
        }
        found.sort(Comparator.comparing(SnapshotMetadata::timestamp)
                .thenComparing(SnapshotMetadata::snapshotId).reversed());
        return found;
    }

    @Override
    public boolean delete(String snapshotId) {
        Path file = fileOf(snapshotId);
        try {
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                AtomicFiles.fsyncDirectory(dir);
            }
            return deleted;
        } catch (IOException e) {
            throw new SnapshotStoreException("could not delete snapshot " + snapshotId + ": " + reason(e), e);
        }
    }

    @Override
    public String toString() {
        return "FileSnapshotStore[" + dir + "]";
    }

    private MemorySnapshot readFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return json.read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no snapshot file " + file);
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /** The id is checked first, so the resolved path is always a direct child of the directory. */
    private Path fileOf(String snapshotId) {
        return dir.resolve(SnapshotIds.requireValid(snapshotId) + SUFFIX);
    }

    private Path ownFile(URI location) {
        if (!"file".equals(location.getScheme())) {
            throw new SnapshotNotFoundException("not a location of " + this + ": " + location);
        }
        Path file = Path.of(location).toAbsolutePath().normalize();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!dir.equals(file.getParent()) || !name.endsWith(SUFFIX)
                || !SnapshotIds.isValid(name.substring(0, name.length() - SUFFIX.length()))) {
            throw new SnapshotNotFoundException("not a location of " + this + ": " + location);
        }
        return file;
    }

    private void removeStaleTemporaryFiles() throws IOException {
        Instant cutoff = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
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
