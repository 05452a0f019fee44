package dev.memsnap.cli;

import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotIds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The {@code ID|FILE} arguments of {@code show} and {@code diff}. A well-formed snapshot id is looked up in the store,
 * among one memory's snapshots (never a file, so an id cannot be mistaken for a path); anything else is a snapshot file, in any encoding. Either
 * way a miss is "not found" (exit 3). Commands that take only ids refuse a malformed one as a usage error (exit 2).
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
     * @param ref   an id or a file path
     * @param codec what reads files (it needs the keys only for an encrypted file)
     * @param store    the store, opened only when {@code ref} is an id
     * @param memoryId the memory an id is looked up in (a file is read whatever memory it is of)
     * @return the snapshot
     */
    static Loaded load(String ref, CliContext context, SnapshotCodec codec, Supplier<StoreHandle> store,
                       String memoryId) throws IOException {
        if (SnapshotIds.isValid(ref)) {
            StoreHandle handle = store.get();
            MemorySnapshot snapshot = handle.store().read(memoryId, ref)
                    .orElseThrow(() -> BaseCommand.notInMemory(handle, memoryId, ref));
            return new Loaded(snapshot, null, handle.store().tags(ref));
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
        try (InputStream in = Files.newInputStream(file)) {
            return new Loaded(codec.read(in, file.toString()), file, null);
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no such snapshot file: " + ref + " (and not a snapshot id, which "
                    + "looks like snapshot_<yyyyMMdd>_<HHmmss>_<8 hex>)");
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + file + ": " + ExitCodes.describe(e), e);
        }
    }
}
