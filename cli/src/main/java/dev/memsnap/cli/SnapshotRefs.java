package dev.memsnap.cli;

import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.Limits;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.tools.SnapshotRefResolver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The {@code ID|FILE} arguments of {@code show} and {@code diff}, and the {@code ID} of {@code label}, {@code pin}
 * and {@code unpin}. A well-formed snapshot id, {@code latest}, {@code latest~N} or a unique prefix of an id's hex or
 * time part ({@link SnapshotRefResolver}) is looked up among one memory's stored snapshots (never a file, so an id
 * cannot be mistaken for a path; {@code ./1a2b} names a file called {@code 1a2b}); anything else is a snapshot file,
 * in any encoding. Either way a miss is "not found" (exit 3); an ambiguous prefix is a usage error that lists the
 * candidates (exit 2). Commands that take only ids refuse a malformed one as a usage error (exit 2).
 */
final class SnapshotRefs {
    private SnapshotRefs() {
    }

    /**
     * A snapshot and where it came from.
     *
     * @param snapshot the snapshot
     * @param file     the file it was read from, or {@code null} when it came from the store
     * @param tags     its labels and pin in the store, or {@code null} when it came from a file
     */
    record Loaded(MemorySnapshot snapshot, Path file, SnapshotTags tags) {
    }

    /**
     * For the commands that take only ids: checks {@code ref} before the store is opened, so that a malformed one is
     * a usage error even where there is no store.
     *
     * @param ref a full id, {@code latest}, {@code latest~N} or a prefix
     * @throws InvalidSnapshotIdException when it is none of these
     */
    static void requireRef(String ref) {
        if (!SnapshotRefResolver.isShortRef(ref)) {
            SnapshotIds.requireValid(ref);
        }
    }

    /**
     * @param ref   a full id, {@code latest}, {@code latest~N} or a prefix
     * @param store the store whose snapshots a short reference is resolved among
     * @return the full id
     */
    static String resolve(String ref, SnapshotStore store) {
        if (SnapshotIds.isValid(ref)) {
            return ref;
        }
        // The ids carry the time to the second; only snapshots of the same second are read for their timestamp.
        return SnapshotRefResolver.resolve(ref, store.storedIds(), id -> {
            try {
                return store.read(id).map(MemorySnapshot::timestamp).orElse(null);
            } catch (SnapshotException unreadable) {
                return null;
            }
        });
    }

    /**
     * @param ref   an id or a file path
     * @param codec what reads files (it needs the keys only for an encrypted file)
     * @param snapshotDir the configured snapshot directory, whose data keys also read a file given by path
     * @param store    the store, opened only when {@code ref} is an id
     * @param memoryId the memory an id is looked up in (a file is read whatever memory it is of)
     * @return the snapshot
     */
    static Loaded load(String ref, CliContext context, SnapshotCodec codec, Path snapshotDir,
                       Supplier<StoreHandle> store, String memoryId) throws IOException {
        if (SnapshotIds.isValid(ref) || SnapshotRefResolver.isShortRef(ref)) {
            StoreHandle handle = store.get();
            String id = resolve(ref, handle.memory(memoryId));
            MemorySnapshot snapshot = handle.store().read(memoryId, id)
                    .orElseThrow(() -> BaseCommand.notInMemory(handle, memoryId, id));
            return new Loaded(snapshot, null, handle.store().tags(id));
        }
        Path file;
        try {
            file = context.resolve(Path.of(ref));
        } catch (InvalidPathException e) {
            throw new InvalidSnapshotIdException("neither a snapshot id nor a file path: \"" + Text.line(ref) + "\"");
        }
        if (Files.isDirectory(file)) {
            throw new SnapshotNotFoundException(file + " is a directory, not a snapshot file (give --dir to use "
                    + "it as the snapshot directory)");
        }
        try (InputStream in = Limits.openRegularFile(file, SnapshotJson.MAX_DOCUMENT_BYTES, file.toString())) {
            // an encrypted file may be under its memory's data key: kept by the store the file lies in, or this one
            SnapshotCodec reader = dev.memsnap.core.store.FileStores.withDataKeysFor(file,
                    snapshotDir, codec);
            return new Loaded(reader.read(in, file.toString()), file, null);
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no such snapshot file: " + ref + " (and not a snapshot id, which "
                    + "looks like snapshot_<yyyyMMdd>_<HHmmss>_<8 hex>, latest, latest~N or a prefix of 4 or more hex "
                    + "digits)");
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + ExitCodes.describe(e), e);
        }
    }
}
