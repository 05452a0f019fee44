package dev.memsnap.core.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotTags;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Labels and pins of the file stores: {@code <snapshot_id>.tags.json} in a folder, written atomically. */
final class TagFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".tags.json";
    private static final String LOCK = "tags.lock";

    private final Path dir;

    TagFiles(Path dir) {
        this.dir = dir;
    }

    Path fileOf(String snapshotId) {
        return dir.resolve(snapshotId + SUFFIX);
    }

    /**
     * @return the ids that have a labels file now, from one read of the folder: a listing reads only theirs, rather
     *         than failing to open a file for every other snapshot
     */
    java.util.Set<String> tagged() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        if (Files.isDirectory(dir)) {
            try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot_*" + SUFFIX)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    ids.add(name.substring(0, name.length() - SUFFIX.length()));
                }
            } catch (IOException e) {
                throw new dev.memsnap.api.SnapshotStoreException("cannot list " + dir + ": "
                        + FileSnapshotStore.reason(e), e);
            }
        }
        return ids;
    }

    SnapshotTags read(String snapshotId) {
        Path file = fileOf(snapshotId);
        try {
            JsonNode node = JSON.readTree(file.toFile());
            Set<String> labels = new LinkedHashSet<>();
            node.path("labels").forEach(label -> labels.add(label.asText()));
            return new SnapshotTags(labels, node.path("pinned").asBoolean(false));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return SnapshotTags.NONE;
        } catch (IOException | RuntimeException e) {
            // A pin must never be lost silently: a damaged tags file stops pruning rather than unpinning.
            throw new SnapshotFormatException(file.toString(), "labels file is damaged: " + e.getMessage(), e);
        }
    }

    void write(String snapshotId, SnapshotTags tags) {
        Path file = fileOf(snapshotId);
        requireNotALink(dir);
        try {
            if (tags.isEmpty()) {
                if (Files.deleteIfExists(file)) {
                    AtomicFiles.fsyncDirectory(dir);
                }
                return;
            }
            Files.createDirectories(dir);
            ObjectNode node = JSON.createObjectNode();
            tags.labels().forEach(node.putArray("labels")::add);
            node.put("pinned", tags.pinned());
            AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter()
                    .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, node));
        } catch (IOException e) {
            throw new SnapshotStoreException("could not label snapshot " + snapshotId + ": "
                    + FileSnapshotStore.reason(e), e);
        }
    }

    /**
     * Runs a check and a change of tags, or a deletion (which removes tags), under a lock that threads, store
     * instances and processes on this folder share, so that a compare-and-set or a conditional delete is atomic
     * against every other change of tags.
     *
     * @param what what is done, for the error
     * @param work the check and the change
     * @return what the work returns
     */
    <T> T locked(String what, DirectoryLock.Work<T> work) {
        requireNotALink(dir);
        try {
            return DirectoryLock.holding(dir.resolve(LOCK), work);
        } catch (IOException e) {
            throw new SnapshotStoreException("could not " + what + ": " + FileSnapshotStore.reason(e), e);
        }
    }

    void delete(String snapshotId) throws IOException {
        requireNotALink(dir);
        Files.deleteIfExists(fileOf(snapshotId));
    }

    /**
     * Refuses to write or delete through a symbolic link in place of the store's own folder ({@code .memsnap}):
     * whoever made it would steer memsnap's writes and deletions outside the snapshot directory.
     *
     * @param metaDir the store's own folder
     * @throws SnapshotStoreException when it is a symbolic link
     */
    static void requireNotALink(Path metaDir) {
        if (Files.isSymbolicLink(metaDir)) {
            String target;
            try {
                target = String.valueOf(Files.readSymbolicLink(metaDir));
            } catch (IOException | UnsupportedOperationException e) {
                target = "?";
            }
            throw new SnapshotStoreException(metaDir + " is a symbolic link (to " + target + "): memsnap never writes "
                    + "or deletes outside the snapshot directory through a link; replace it with a real directory", null);
        }
    }
}
