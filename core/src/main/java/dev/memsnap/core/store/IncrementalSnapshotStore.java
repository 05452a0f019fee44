package dev.memsnap.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.api.store.SnapshotTags;
import dev.memsnap.api.store.StoredSnapshot;
import dev.memsnap.api.store.Verification;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.collect.PersistentVector;
import dev.memsnap.core.format.LongTermState;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The incremental store ({@code memory.store: incremental}): each memory is stored once, by content, and a snapshot
 * is a small manifest, so a save costs what changed, in CPU, bytes and fsyncs.
 * <pre>
 * snapshot_dir/
 *   packs/&lt;sha256&gt;.pack  the chunks of one save each (see {@link PackFiles}): written once, never changed
 *   chunks/ab/abcd...   a chunk per file, as stores written before packs keep them: still read and collected
 *   manifests/&lt;id&gt;.json  the snapshot in the seed's layout, but long_term.chunks names at most 32 chunks
 *   index.jsonl         one line per save and per delete: what list() reads, instead of every manifest
 *   tags/&lt;id&gt;.tags.json labels and pin
 * </pre>
 * Memories are cut into leaves where a memory's id hashes to a boundary (about 8 memories a leaf), so adding,
 * changing or removing a memory changes its own leaf only, wherever it is. Leaves are grouped into nodes (JSON arrays
 * of about 16 chunk ids, cut where an id marks a boundary), and nodes into nodes, until at most 32 remain for the
 * manifest: a tree, as git's, so a save after k changes writes about k leaves and the nodes above them, never a
 * flat list of every chunk. Every chunk is named by the SHA-256 of its plain JSON, checked when read, compressed with
 * zstd and encrypted as the codec says. A node reads as its leaves spliced into one JSON object, so a manifest of
 * the old flat layout reads as before.
 *
 * <p>Unchanged leaves are recognised by identity, not re-serialised: the store remembers the leaves (memory ids and
 * {@link Memory} objects, and where they started) and nodes (child ids) of its last save ({@link RememberedChunks}), and
 * a leaf made of the very same objects keeps its id. Memories are immutable and shared between the snapshots of one
 * memory, so this is exact. When the memories are a {@link LongTermState}, whose vector replaces in place and shares
 * its runs of 32 with the states it came from ({@link PersistentVector#sharedRun}, opaque tokens, so the persistent
 * structures hold no store's hashes), a leaf at the same place in shared runs is known without reading a memory: a
 * save after k changes reads the memories of about k leaves and steps over the others' ids. A leaf of new objects
 * with the same content (a state loaded from a file) is serialised and hashed, and then found already stored: the
 * bytes are still not written again.
 *
 * <p>A save, under the pack lock: its new chunks in one pack (temporary file, one fsync, rename, the directory's
 * fsync), then the index line and the manifest (atomically); a crash leaves at worst an unreferenced pack or a
 * manifest the index lacks, which {@link #start()} indexes. Reading gives the same snapshot as the plain store, and
 * exporting it writes the seed's JSON exactly.
 *
 * <p>Deleting a snapshot deletes its manifest; {@link #collectGarbage(boolean)}, under the same lock, so never
 * between another save's pack and its manifest (in this process or another), deletes packs nothing names and
 * repacks those mostly unreferenced, and removes old chunk files no manifest names after a grace period.
 */
@Singleton
final class IncrementalSnapshotStore implements SnapshotStore {
    /** The {@code memory.store} name. */
    static final String NAME = "incremental";
    private static final Logger log = LoggerFactory.getLogger(IncrementalSnapshotStore.class);
    private static final ObjectMapper INDEX_JSON = new ObjectMapper();
    private static final String MANIFEST_SUFFIX = ".json";
    /** A chunk ends after a memory whose id hashes to 0 modulo this, or at {@link #MAX_CHUNK}: about 64 memories. */
    private static final int BOUNDARY_MODULUS = 64;
    private static final int MAX_CHUNK = 256;
    private static final String SAVE_LOCK = "save.lock";
    /** Held by a save from its first chunk to its manifest, and by garbage collection throughout. */
    private static final String PACK_LOCK = "pack.lock";
    /** A leaf ends after a memory whose id hashes to 0 modulo this, or at {@link #MAX_LEAF}: about 8 memories. */
    private static final int LEAF_MODULUS = 8;
    private static final int MAX_LEAF = 32;
    /** A node ends after a child whose id starts with a multiple of this, or at {@link #MAX_NODE}: about 16 ids. */
    private static final int NODE_MODULUS = 16;
    private static final int MAX_NODE = 64;
    /** The manifest names at most this many chunks; above it, another level of nodes. */
    private static final int ROOT_FANOUT = 32;
    private static final int MAX_DEPTH = 12;
    /** How long an unreferenced chunk is kept after it was last written or reused: far longer than any save. */
    static final Duration GC_GRACE = Duration.ofMinutes(10);

    private final Path dir;
    private final Path chunks;
    private final Path manifests;
    private final Path index;
    private final TagFiles tags;
    private final SnapshotCodec codec;
    /** The codec of chunks: the store's keys, always zstd (small JSON leaves, where gzip's cost shows). */
    private final SnapshotCodec chunkCodec;
    private final Path packs;
    private final PackFiles packFiles;
    /** How chunks are sealed now, once known; see {@link #sealingNow}. */
    private volatile String sealing;
    /** The leaves and nodes of the last save here, in order; read and replaced under the pack lock. */
    private RememberedChunks leafCache = RememberedChunks.NONE;
    private RememberedChunks nodeCache = RememberedChunks.NONE;
    private final SnapshotJson json = new SnapshotJson();
    private final Object indexLock = new Object();
    private final AtomicLong bytesWritten = new AtomicLong();

    @Inject
    IncrementalSnapshotStore(MemoryConfig config, SnapshotCodec codec) {
        this(config.snapshotDir(), codec);
    }

    IncrementalSnapshotStore(Path dir, SnapshotCodec codec) {
        this.dir = dir.toAbsolutePath().normalize();
        this.chunks = this.dir.resolve("chunks");
        this.manifests = this.dir.resolve("manifests");
        this.index = this.dir.resolve("index.jsonl");
        this.tags = new TagFiles(this.dir.resolve("tags"));
        this.codec = codec;
        this.chunkCodec = codec.withCompression(dev.memsnap.core.codec.Compression.ZSTD);
        this.packs = this.dir.resolve("packs");
        this.packFiles = new PackFiles(packs, this::sealingNow);
    }

    @Override
    public void start() {
        codec.checkKeys();
        try {
            Files.createDirectories(manifests);
            Files.createDirectories(chunks);
            Files.createDirectories(packs);
            FileSnapshotStore.removeStaleTemporaryFiles(dir);
            FileSnapshotStore.removeStaleTemporaryFiles(packs);
            FileSnapshotStore.removeStaleTemporaryFiles(manifests);
            try (DirectoryStream<Path> buckets = Files.newDirectoryStream(chunks, Files::isDirectory)) {
                for (Path bucket : buckets) {
                    FileSnapshotStore.removeStaleTemporaryFiles(bucket);
                }
            }
            if (Files.isDirectory(dir.resolve("tags"))) {
                FileSnapshotStore.removeStaleTemporaryFiles(dir.resolve("tags"));
            }
            reconcileIndex();
            packFiles.refresh();
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot prepare snapshot directory " + dir + ": "
                    + FileSnapshotStore.reason(e), e);
        }
    }

    /** @return bytes this store has written since it was made: chunks, manifests and index lines */
    long bytesWritten() {
        return bytesWritten.get();
    }

    @Override
    public URI save(MemorySnapshot snapshot) {
        String id = SnapshotIds.requireValid(snapshot.snapshotId());
        Path manifest = manifests.resolve(id + MANIFEST_SUFFIX);
        try {
            Files.createDirectories(manifests);
            DirectoryLock.holding(dir.resolve(PACK_LOCK), () -> {
                saveLocked(snapshot, manifest);
                return null;
            });
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new SnapshotStoreException("could not save snapshot " + id + " to " + dir + ": "
                    + FileSnapshotStore.reason(cause) + "; stored snapshots are unchanged", cause);
        }
        return manifest.toUri();
    }

    /**
     * Cuts the state into chunks, packs the new ones, then writes the manifest; called under the pack lock, so that
     * garbage collection (which takes it too) never removes a chunk this save names.
     */
    private void saveLocked(MemorySnapshot snapshot, Path manifest) throws IOException {
        String id = snapshot.snapshotId();
        if (packFiles.refresh()) {
            // a pack went (collected or repacked, maybe by another process): what we remember may be gone
            leafCache = RememberedChunks.NONE;
            nodeCache = RememberedChunks.NONE;
        }
        Map<String, PackFiles.Chunk> fresh = new LinkedHashMap<>();
        RememberedChunks.Walk leaves = leafCache.walk();
        RememberedChunks.Walk nodes = nodeCache.walk();
        List<String> level = cutLeaves(snapshot.longTerm().memories(), fresh, leaves);
        while (level.size() > ROOT_FANOUT) {
            level = cutNodes(level, fresh, nodes);
        }
        List<String> topIds = level;
        if (!fresh.isEmpty()) {
            bytesWritten.addAndGet(packFiles.write(List.copyOf(fresh.values())));
        }
        leafCache = leaves.remembered(runsOf(snapshot.longTerm().memories()));
        nodeCache = nodes.remembered(null);
        {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            json.writeManifest(snapshot, topIds, plain);
            byte[] stored = codec.seal(plain.toByteArray());
            // a manifest and its index line must not interleave with another save of the same id
            // The index line goes first, so that whatever stops the rename, the manifest in place is one the index
            // recorded (verify accepts any recorded version); a failed rename puts the previous line back.
            DirectoryLock.holding(dir.resolve(SAVE_LOCK), () -> {
                appendIndex(indexLine(snapshot.metadata(), stored));
                try {
                    AtomicFiles.write(manifest, out -> out.write(stored));
                } catch (IOException e) {
                    try {
                        List<JsonNode> recorded = recordedLines(id); // the last is the line just appended
                        if (recorded.size() >= 2) {
                            appendIndex((ObjectNode) recorded.get(recorded.size() - 2));
                        } else {
                            Files.deleteIfExists(manifest); // a new snapshot that may not last is taken back
                            appendIndex(deletedLine(id));
                        }
                    } catch (IOException alsoFailed) {
                        e.addSuppressed(alsoFailed); // start() reconciles the index with the manifests
                    }
                    throw e;
                }
                return null;
            });
            bytesWritten.addAndGet(stored.length);
        }
    }

    /**
     * Cuts memories into leaves where a memory id hashes to a boundary (so an insertion shifts no later leaf). A leaf
     * whose memories are the very objects of a leaf of the last save here keeps that leaf's id, unserialised. Where a
     * leaf starts, the leaf the last save made there is tried first: when it started at the same place and the
     * memories are a vector still sharing the runs it covers with the last save's, it is the same without a memory
     * read (so a save after k changes reads about k leaves' memories, not all); else its members are compared by
     * reference, and when they are the same its end is known, so no id is hashed.
     */
    private List<String> cutLeaves(Map<String, Memory> memories, Map<String, PackFiles.Chunk> fresh,
                                   RememberedChunks.Walk cache) throws IOException {
        PersistentVector<Map.Entry<String, Memory>> vector = memories instanceof LongTermState state
                ? state.entries() : null;
        List<Map.Entry<String, Memory>> entries = vector != null ? vector : new ArrayList<>(memories.entrySet());
        int count = entries.size();
        List<String> ids = new ArrayList<>(count / LEAF_MODULUS + 1);
        List<Object> group = new ArrayList<>(2 * MAX_LEAF);
        int at = 0;
        while (at < count) {
            Object[] expected = group.isEmpty() ? cache.expectedMembers() : null;
            if (expected == null) {
                cut(entries.get(at), at++, group, ids, fresh, cache);
                continue;
            }
            int length = expected.length / 2;
            if (vector != null && cache.expectedStart() == at && at + length <= count
                    && sharesRuns(vector, at, length, cache)) {
                ids.add(cache.acceptExpected(at));
                at += length;
                continue;
            }
            int matched = 0;
            while (matched < length && at + matched < count) {
                Map.Entry<String, Memory> entry = entries.get(at + matched);
                if (entry.getKey() != expected[2 * matched] || entry.getValue() != expected[2 * matched + 1]) {
                    break;
                }
                matched++;
            }
            if (matched == length) {
                ids.add(cache.acceptExpected(at));
                at += length;
                continue;
            }
            // not the same: cut as any memories are, up to the first that differs
            for (int end = Math.min(count, at + matched + 1); at < end; at++) {
                cut(entries.get(at), at, group, ids, fresh, cache);
            }
        }
        if (!group.isEmpty()) {
            ids.add(leaf(group, count - group.size() / 2, fresh, cache));
        }
        return ids;
    }

    /** @return whether the vector gives the last save's token for every run that {@code [from, from+length)} touches */
    private static boolean sharesRuns(PersistentVector<?> vector, int from, int length, RememberedChunks.Walk cache) {
        for (int block = from / PersistentVector.RUN; block <= (from + length - 1) / PersistentVector.RUN; block++) {
            Object last = cache.lastRun(block);
            if (last == null || !last.equals(vector.sharedRun(block * PersistentVector.RUN))) {
                return false;
            }
        }
        return true;
    }

    /** @return the token of each run of the memories, for the next save's {@link #sharesRuns}; {@code null} for none */
    private static Object[] runsOf(Map<String, Memory> memories) {
        if (!(memories instanceof LongTermState state)) {
            return null;
        }
        PersistentVector<Map.Entry<String, Memory>> vector = state.entries();
        Object[] runs = new Object[(vector.size() + PersistentVector.RUN - 1) / PersistentVector.RUN];
        for (int block = 0; block < runs.length; block++) {
            runs[block] = vector.sharedRun(block * PersistentVector.RUN);
        }
        return runs;
    }

    /** Adds the memory at {@code position} to the leaf being cut, and ends the leaf after it at a boundary. */
    private void cut(Map.Entry<String, Memory> entry, int position, List<Object> group, List<String> ids,
                     Map<String, PackFiles.Chunk> fresh, RememberedChunks.Walk cache) throws IOException {
        group.add(entry.getKey());
        group.add(entry.getValue());
        if (group.size() == 2 * MAX_LEAF || Math.floorMod(mix(entry.getKey().hashCode()), LEAF_MODULUS) == 0) {
            ids.add(leaf(group, position + 1 - group.size() / 2, fresh, cache));
            group.clear();
        }
    }

    private String leaf(List<Object> group, int start, Map<String, PackFiles.Chunk> fresh,
                        RememberedChunks.Walk cache) throws IOException {
        String known = cache.find(group, start);
        if (known != null) {
            return known;
        }
        List<Map.Entry<String, Memory>> entries = new ArrayList<>(group.size() / 2);
        for (int i = 0; i < group.size(); i += 2) {
            entries.add(Map.entry((String) group.get(i), (Memory) group.get(i + 1)));
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream(group.size() * 300);
        json.writeChunk(entries, plain);
        String id = addChunk(plain.toByteArray(), PackFiles.LEAF, fresh);
        cache.made(group, id, start);
        return id;
    }

    /** Groups ids into nodes, cut where an id's hash marks a boundary; a node of the same ids keeps its id. */
    private List<String> cutNodes(List<String> children, Map<String, PackFiles.Chunk> fresh,
                                  RememberedChunks.Walk cache) {
        List<String> ids = new ArrayList<>(children.size() / NODE_MODULUS + 1);
        List<Object> group = new ArrayList<>(MAX_NODE);
        for (String child : children) {
            group.add(child);
            if (group.size() == MAX_NODE || Integer.parseInt(child, 0, 4, 16) % NODE_MODULUS == 0) {
                ids.add(node(group, fresh, cache));
                group.clear();
            }
        }
        if (!group.isEmpty()) {
            ids.add(node(group, fresh, cache));
        }
        return ids;
    }

    private String node(List<Object> group, Map<String, PackFiles.Chunk> fresh, RememberedChunks.Walk cache) {
        String known = cache.find(group, -1);
        if (known != null) {
            return known;
        }
        StringBuilder text = new StringBuilder(group.size() * 67 + 2).append('[');
        for (int i = 0; i < group.size(); i++) {
            text.append(i == 0 ? "\"" : ",\"").append((String) group.get(i)).append('"');
        }
        String id = addChunk(text.append(']').toString().getBytes(StandardCharsets.US_ASCII), PackFiles.NODE, fresh);
        cache.made(group, id, -1);
        return id;
    }

    /**
     * @return the chunk's id; it goes into this save's pack unless a pack holds it already, sealed as this store seals
     *         now (a chunk sealed under another key, or not encrypted, is stored again: what a rekey relies on)
     */
    private String addChunk(byte[] plain, byte kind, Map<String, PackFiles.Chunk> fresh) {
        String id = HexFormat.of().formatHex(Checksums.sha256().digest(plain));
        if (!fresh.containsKey(id)) {
            PackFiles.Location at = packFiles.location(id);
            if (at == null || !at.sealing().equals(sealingNow())) {
                fresh.put(id, new PackFiles.Chunk(id, kind, chunkCodec.seal(plain)));
            }
        }
        return id;
    }

    /** @return how this store seals chunks now ({@link SnapshotCodec#sealingOf}); asked at the first need */
    private String sealingNow() {
        String now = sealing;
        if (now == null) {
            now = chunkCodec.sealing();
            sealing = now;
        }
        return now;
    }

    /** Spreads the bits of a string hash so that boundaries do not follow patterns in ids. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    private Path chunkFile(String chunkId) {
        return chunks.resolve(chunkId.substring(0, 2)).resolve(chunkId);
    }

    /** @return a chunk's memories as one JSON object: a leaf as stored, a node as its leaves spliced together */
    private byte[] readChunk(String chunkId) {
        return readChunk(chunkId, 0);
    }

    private byte[] readChunk(String chunkId, int depth) {
        byte[] plain = readPlain(chunkId);
        if (plain.length == 0 || plain[0] != '[') {
            return plain;
        }
        String source = dir + " chunk " + chunkId;
        if (depth >= MAX_DEPTH) {
            throw new SnapshotFormatException(source, "chunk tree deeper than " + MAX_DEPTH + " levels");
        }
        JsonNode children;
        try {
            children = INDEX_JSON.readTree(plain);
        } catch (IOException e) {
            throw new SnapshotFormatException(source, "node is not a JSON array of chunk ids: " + e.getMessage());
        }
        ByteArrayOutputStream spliced = new ByteArrayOutputStream(children.size() * 4096);
        spliced.write('{');
        boolean first = true;
        for (JsonNode child : children) {
            if (!child.isTextual()) {
                throw new SnapshotFormatException(source, "node names a chunk by " + child + ", not by an id");
            }
            byte[] memories = readChunk(child.asText(), depth + 1);
            int last = memories.length - 1;
            while (last > 0 && Character.isWhitespace(memories[last])) {
                last--;
            }
            if (memories.length < 2 || memories[0] != '{' || memories[last] != '}') {
                throw new SnapshotFormatException(source + " / " + child.asText(), "chunk is not a JSON object");
            }
            if (last > 1) {
                if (!first) {
                    spliced.write(',');
                }
                spliced.write(memories, 1, last - 1);
                first = false;
            }
        }
        spliced.write('}');
        return spliced.toByteArray();
    }

    /** @return a chunk's plain bytes, from a pack or (a store written before packs) its own file, checked by name */
    private byte[] readPlain(String chunkId) {
        if (chunkId.length() != 64 || !chunkId.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new SnapshotFormatException(dir.toString(), "not a chunk id: " + chunkId);
        }
        String id = chunkId.toLowerCase(java.util.Locale.ROOT);
        Path file = chunkFile(id);
        String source = file.toString();
        try {
            byte[] stored = packFiles.read(id);
            if (stored != null) {
                PackFiles.Location at = packFiles.location(id);
                source = (at == null ? packs : at.pack()) + " chunk " + id;
            } else {
                stored = FileSnapshotStore.readStored(file);
            }
            byte[] plain = codec.open(stored, source);
            String actual = HexFormat.of().formatHex(Checksums.sha256().digest(plain));
            if (!actual.equals(id)) {
                throw new SnapshotFormatException(source, "chunk is damaged: its content hashes to " + actual);
            }
            return plain;
        } catch (NoSuchFileException e) {
            throw new SnapshotFormatException(source, "chunk is missing (in no pack, and no chunk file)");
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + source + ": " + FileSnapshotStore.reason(e), e);
        }
    }

    @Override
    public Optional<MemorySnapshot> read(String snapshotId) {
        Path manifest = manifests.resolve(SnapshotIds.requireValid(snapshotId) + MANIFEST_SUFFIX);
        byte[] stored;
        try {
            stored = FileSnapshotStore.readStored(manifest);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + manifest + ": " + FileSnapshotStore.reason(e), e);
        }
        MemorySnapshot snapshot = json.readManifest(codec.open(stored, manifest.toString()), manifest.toString(),
                this::readChunk);
        if (!snapshot.snapshotId().equals(snapshotId)) {
            throw new SnapshotFormatException(manifest.toString(), "holds snapshot " + snapshot.snapshotId()
                    + ", but its name says " + snapshotId);
        }
        return Optional.of(snapshot);
    }

    @Override
    public MemorySnapshot read(URI location) {
        if ("file".equals(location.getScheme())) {
            Path file = Path.of(location).toAbsolutePath().normalize();
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            if (manifests.equals(file.getParent()) && name.endsWith(MANIFEST_SUFFIX)) {
                String id = name.substring(0, name.length() - MANIFEST_SUFFIX.length());
                if (SnapshotIds.isValid(id)) {
                    return read(id).orElseThrow(() -> new SnapshotNotFoundException("no snapshot at " + location));
                }
            }
        }
        throw new SnapshotNotFoundException("not a location of " + this + ": " + location);
    }

    @Override
    public List<SnapshotMetadata> list() {
        return inventory().stream().map(StoredSnapshot::metadata).toList();
    }

    @Override
    public List<StoredSnapshot> inventory() {
        Map<String, JsonNode> live = readIndex();
        java.util.Set<String> tagged = tags.tagged();
        List<StoredSnapshot> found = new ArrayList<>(live.size());
        for (JsonNode line : live.values()) {
            String id = line.path("snapshot_id").asText();
            SnapshotMetadata metadata = dev.memsnap.core.format.EventJson.readMetadata(line);
            found.add(new StoredSnapshot(metadata, line.path("bytes").asLong(),
                    tagged.contains(id) ? tags.read(id) : SnapshotTags.NONE));
        }
        found.sort(Comparator.comparing(StoredSnapshot::metadata, SnapshotMetadata.NEWEST_FIRST));
        return found;
    }

    @Override
    public List<String> storedIds() {
        return List.copyOf(manifestIds());
    }

    @Override
    public boolean delete(String snapshotId) {
        SnapshotIds.requireValid(snapshotId);
        return tags.locked("delete snapshot " + snapshotId, () -> deleteManifest(snapshotId));
    }

    @Override
    public boolean deleteIfTagsAre(String snapshotId, SnapshotTags expected) {
        SnapshotIds.requireValid(snapshotId);
        return tags.locked("delete snapshot " + snapshotId,
                () -> tags.read(snapshotId).equals(expected) && deleteManifest(snapshotId));
    }

    /** Deletes a snapshot's manifest and tags and records the deletion in the index; called under the tags lock. */
    private boolean deleteManifest(String snapshotId) {
        Path manifest = manifests.resolve(snapshotId + MANIFEST_SUFFIX);
        try {
            boolean deleted = Files.deleteIfExists(manifest);
            tags.delete(snapshotId);
            if (deleted) {
                AtomicFiles.fsyncDirectory(manifests);
                appendIndex(deletedLine(snapshotId));
            }
            return deleted;
        } catch (IOException e) {
            throw new SnapshotStoreException("could not delete snapshot " + snapshotId + ": "
                    + FileSnapshotStore.reason(e), e);
        }
    }

    @Override
    public Verification verify(String snapshotId) {
        try {
            Path manifest = manifests.resolve(SnapshotIds.requireValid(snapshotId) + MANIFEST_SUFFIX);
            List<String> recorded = recordedChecksums(snapshotId);
            String note = "";
            if (!recorded.isEmpty() && Files.exists(manifest)) {
                String actual = HexFormat.of().formatHex(Checksums.sha256().digest(
                        FileSnapshotStore.readStored(manifest)));
                if (!recorded.contains(actual)) {
                    return new Verification(snapshotId, false, manifest + ": checksum mismatch: the manifest was "
                            + "damaged or changed after it was written");
                }
                if (!actual.equals(recorded.get(recorded.size() - 1))) {
                    // an earlier save's manifest: a later save of this id was cut off before its rename
                    note = " (an interrupted later save left the earlier one in place)";
                }
            }
            String noted = note;
            Optional<MemorySnapshot> snapshot = read(snapshotId);
            return snapshot.map(s -> new Verification(snapshotId, true, "manifest and "
                    + s.longTerm().memories().size() + " memories ok" + noted))
                    .orElseGet(() -> new Verification(snapshotId, false, "not found"));
        } catch (SnapshotException e) {
            return new Verification(snapshotId, false, e.getMessage());
        } catch (IOException e) {
            return new Verification(snapshotId, false, "cannot read: " + FileSnapshotStore.reason(e));
        }
    }

    @Override
    public SnapshotTags tags(String snapshotId) {
        return tags.read(SnapshotIds.requireValid(snapshotId));
    }

    @Override
    public void setTags(String snapshotId, SnapshotTags newTags) {
        SnapshotIds.requireValid(snapshotId);
        tags.locked("label snapshot " + snapshotId, () -> {
            requireStored(snapshotId);
            tags.write(snapshotId, newTags);
            return null;
        });
    }

    @Override
    public boolean compareAndSetTags(String snapshotId, SnapshotTags expected, SnapshotTags newTags) {
        SnapshotIds.requireValid(snapshotId);
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
        if (!Files.exists(manifests.resolve(snapshotId + MANIFEST_SUFFIX))) {
            throw new SnapshotNotFoundException("no stored snapshot with id " + snapshotId);
        }
    }

    /**
     * Removes chunks that no manifest names and that were last written or reused more than {@link #GC_GRACE} ago, so
     * that a save in progress here or in another process, which refreshes the time of each chunk it reuses before
     * naming it in its manifest, keeps them. Stops without removing anything when a manifest cannot be read, since
     * what it names is then unknown.
     */
    @Override
    public GarbageCollection collectGarbage(boolean dryRun) {
        return collectGarbage(GC_GRACE, dryRun);
    }

    /**
     * @param grace  how long ago an unreferenced chunk must have been written or reused to go
     * @param dryRun whether to count only
     * @return what was (or would be) removed
     */
    GarbageCollection collectGarbage(Duration grace, boolean dryRun) {
        try {
            // a dry run removes nothing, so it needs no lock (and runs in a directory it cannot write)
            return dryRun ? collectLocked(grace, true) : DirectoryLock.holding(dir.resolve(PACK_LOCK),
                    () -> collectLocked(grace, false));
        } catch (IOException e) {
            throw new SnapshotStoreException("garbage collection in " + dir + " failed: "
                    + FileSnapshotStore.reason(e), e);
        }
    }

    private GarbageCollection collectLocked(Duration grace, boolean dryRun) throws IOException {
        packFiles.refresh();
        Set<String> referenced = referencedChunks();
        GarbageCollection packed = collectPacks(referenced, dryRun);
        GarbageCollection loose = collectChunkFiles(referenced, grace, dryRun);
        if (!dryRun && packed.pieces() > 0) {
            leafCache = RememberedChunks.NONE; // what the next save remembers must be in a pack
            nodeCache = RememberedChunks.NONE;
        }
        return new GarbageCollection(packed.pieces() + loose.pieces(), packed.bytes() + loose.bytes(), dryRun);
    }

    /** @return the ids of every chunk a manifest names, through the nodes; stops the collection if one is unreadable */
    private Set<String> referencedChunks() {
        Set<String> referenced = new HashSet<>();
        java.util.ArrayDeque<String> toWalk = new java.util.ArrayDeque<>();
        for (String id : manifestIds()) {
            Path manifest = manifests.resolve(id + MANIFEST_SUFFIX);
            try {
                JsonNode node = INDEX_JSON.readTree(codec.open(Files.readAllBytes(manifest), manifest.toString()));
                node.path("long_term").path("chunks").forEach(c -> toWalk.add(c.asText()));
            } catch (NoSuchFileException deletedMeanwhile) {
                // gone: names nothing
            } catch (IOException | SnapshotException e) {
                throw new SnapshotStoreException("garbage collection in " + dir + " stopped, nothing removed: cannot"
                        + " read manifest " + manifest + " (" + e.getMessage() + "), so what it names is unknown", e);
            }
            while (!toWalk.isEmpty()) {
                String chunkId = toWalk.pop();
                if (!referenced.add(chunkId)) {
                    continue;
                }
                PackFiles.Location at = packFiles.location(chunkId);
                if (at != null && at.kind() == PackFiles.NODE) {
                    try {
                        INDEX_JSON.readTree(readPlain(chunkId)).forEach(c -> toWalk.add(c.asText()));
                    } catch (IOException | SnapshotException e) {
                        throw new SnapshotStoreException("garbage collection in " + dir + " stopped, nothing removed:"
                                + " cannot read node " + chunkId + " of " + manifest + " (" + e.getMessage()
                                + "), so what it names is unknown", e);
                    }
                }
            }
        }
        return referenced;
    }

    /**
     * Deletes packs no manifest names anything in, and repacks those more than half of whose bytes are unreferenced
     * (their live chunks into a new pack, then the old one goes); a pack mostly live is left as it is, its few dead
     * chunks kept until more of it dies. Called under the pack lock, so no save is between its pack and manifest.
     */
    private GarbageCollection collectPacks(Set<String> referenced, boolean dryRun) throws IOException {
        long pieces = 0;
        long bytes = 0;
        for (Map.Entry<Path, Map<String, PackFiles.Location>> pack : packFiles.packs().entrySet()) {
            List<PackFiles.Location> live = new ArrayList<>();
            List<String> liveIds = new ArrayList<>();
            long liveBytes = 0;
            long deadBytes = 0;
            int dead = 0;
            for (Map.Entry<String, PackFiles.Location> chunk : pack.getValue().entrySet()) {
                // a copy the index does not name (another pack holds the chunk sealed as the store seals now) is dead
                if (referenced.contains(chunk.getKey())
                        && chunk.getValue().equals(packFiles.location(chunk.getKey()))) {
                    live.add(chunk.getValue());
                    liveIds.add(chunk.getKey());
                    liveBytes += chunk.getValue().length();
                } else {
                    dead++;
                    deadBytes += chunk.getValue().length();
                }
            }
            if (dead == 0 || (!live.isEmpty() && deadBytes <= liveBytes)) {
                continue;
            }
            long size = Files.size(pack.getKey());
            long kept = 0;
            if (!live.isEmpty()) {
                List<PackFiles.Chunk> moved = new ArrayList<>(live.size());
                for (int i = 0; i < live.size(); i++) {
                    PackFiles.Location at = live.get(i);
                    moved.add(new PackFiles.Chunk(liveIds.get(i), at.kind(), dryRun ? new byte[at.length()]
                            : PackFiles.read(at)));
                }
                kept = dryRun ? PackFiles.sizeOf(moved) : packFiles.write(moved);
            }
            if (!dryRun) {
                packFiles.delete(pack.getKey());
            }
            pieces += dead;
            bytes += size - kept;
        }
        if (pieces > 0) {
            log.info("{} {} unreferenced chunks ({} bytes) in {}", dryRun ? "Would remove" : "Removed", pieces, bytes,
                    packs);
        }
        return new GarbageCollection(pieces, bytes, dryRun);
    }

    /** Removes chunk files (a store written before packs) no manifest names, older than the grace period. */
    private GarbageCollection collectChunkFiles(Set<String> referenced, Duration grace, boolean dryRun) {
        Instant cutoff = Instant.now().minus(grace);
        long pieces = 0;
        long bytes = 0;
        Set<Path> touched = new HashSet<>();
        try (DirectoryStream<Path> buckets = Files.newDirectoryStream(chunks)) {
            for (Path bucket : buckets) {
                if (!Files.isDirectory(bucket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(bucket)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        if (referenced.contains(name) || AtomicFiles.isTemporary(name)) {
                            continue;
                        }
                        java.nio.file.attribute.BasicFileAttributes attributes;
                        try {
                            attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        } catch (NoSuchFileException goneMeanwhile) {
                            continue;
                        }
                        if (!attributes.isRegularFile() || !attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
                            continue;
                        }
                        if (dryRun || Files.deleteIfExists(file)) {
                            pieces++;
                            bytes += attributes.size();
                            touched.add(bucket);
                        }
                    }
                }
            }
            if (!dryRun) {
                for (Path bucket : touched) {
                    AtomicFiles.fsyncDirectory(bucket);
                }
            }
        } catch (NoSuchFileException noChunksYet) {
            return GarbageCollection.none(dryRun);
        } catch (IOException e) {
            throw new SnapshotStoreException("garbage collection in " + chunks + " failed: "
                    + FileSnapshotStore.reason(e) + " (" + pieces + " chunks removed before)", e);
        }
        if (pieces > 0) {
            log.info("{} {} unreferenced chunks ({} bytes) in {}", dryRun ? "Would remove" : "Removed", pieces, bytes,
                    chunks);
        }
        return new GarbageCollection(pieces, bytes, dryRun);
    }

    @Override
    public String toString() {
        return "IncrementalSnapshotStore[" + dir + "]";
    }

    // ----------------------------------------------------------------------------------------------- the index

    private static ObjectNode deletedLine(String snapshotId) {
        ObjectNode line = INDEX_JSON.createObjectNode();
        line.put("deleted", snapshotId);
        return line;
    }

    private ObjectNode indexLine(SnapshotMetadata m, byte[] storedManifest) {
        ObjectNode line;
        try {
            // the one metadata shape (seed key names), then the index's own fields
            line = (ObjectNode) INDEX_JSON.readTree(dev.memsnap.core.format.EventJson.metadata(m));
        } catch (IOException cannotHappen) {
            throw new java.io.UncheckedIOException(cannotHappen);
        }
        line.put("bytes", storedManifest.length);
        line.put("sha256", HexFormat.of().formatHex(Checksums.sha256().digest(storedManifest)));
        return line;
    }

    /**
     * Appends one line with one write in append mode, which the file system keeps whole against other writers, and
     * forces it to disk.
     */
    private void appendIndex(ObjectNode line) throws IOException {
        byte[] bytes = (INDEX_JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (indexLock) {
            try (FileChannel channel = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
        }
        bytesWritten.addAndGet(bytes.length);
    }

    /** The index lines last parsed, with the file's identity, size and time then; see {@link #indexLines}. */
    private record ParsedIndex(Object fileKey, long size, java.nio.file.attribute.FileTime modified,
                               List<JsonNode> lines) {
    }

    private volatile ParsedIndex parsedIndex;

    /**
     * @return the index's lines, parsed; the same list as last time while the file is the same one, of the same
     *         size and time (it only grows, by appends, or is replaced whole)
     */
    private List<JsonNode> indexLines() {
        java.nio.file.attribute.BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(index, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + index + ": " + FileSnapshotStore.reason(e), e);
        }
        ParsedIndex last = parsedIndex;
        if (last != null && java.util.Objects.equals(last.fileKey(), attributes.fileKey())
                && last.size() == attributes.size() && last.modified().equals(attributes.lastModifiedTime())) {
            return last.lines();
        }
        List<JsonNode> parsed = List.copyOf(parseIndex());
        parsedIndex = new ParsedIndex(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), parsed);
        return parsed;
    }

    /** @return every whole line of the index, in order; a line cut short by a crash is skipped */
    private List<JsonNode> parseIndex() {
        List<String> lines;
        try {
            lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot read " + index + ": " + FileSnapshotStore.reason(e), e);
        }
        List<JsonNode> parsed = new ArrayList<>(lines.size());
        for (String text : lines) {
            try {
                JsonNode line = INDEX_JSON.readTree(text);
                if (line != null && line.isObject()) {
                    parsed.add(line);
                }
            } catch (IOException torn) {
                // start() re-indexes what it described
            }
        }
        return parsed;
    }

    /** @return the live index entries by id: the last line of each id wins; a torn last line is ignored */
    private Map<String, JsonNode> readIndex() {
        Map<String, JsonNode> live = new LinkedHashMap<>();
        for (JsonNode line : indexLines()) {
            if (line.has("deleted")) {
                live.remove(line.get("deleted").asText());
            } else if (SnapshotIds.isValid(line.path("snapshot_id").asText())) {
                live.put(line.get("snapshot_id").asText(), line);
            }
        }
        return live;
    }

    /** @return the manifest checksums the index recorded for an id, oldest first, since its last deletion */
    private List<String> recordedChecksums(String snapshotId) {
        return recordedLines(snapshotId).stream().map(line -> line.path("sha256").asText()).toList();
    }

    /** @return the index lines of an id's saves, oldest first, since its last deletion */
    private List<JsonNode> recordedLines(String snapshotId) {
        List<JsonNode> recorded = new ArrayList<>();
        for (JsonNode line : indexLines()) {
            if (snapshotId.equals(line.path("deleted").asText(null))) {
                recorded.clear();
            } else if (snapshotId.equals(line.path("snapshot_id").asText(null))) {
                recorded.add(line);
            }
        }
        return recorded;
    }

    private List<String> manifestIds() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(manifests)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(manifests, "snapshot_*" + MANIFEST_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - MANIFEST_SUFFIX.length());
                if (SnapshotIds.isValid(id)) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new SnapshotStoreException("cannot list " + manifests + ": " + FileSnapshotStore.reason(e), e);
        }
        ids.sort(null);
        return ids;
    }

    /** Indexes manifests a crash left out of the index, and drops entries whose manifest is gone. */
    private void reconcileIndex() throws IOException {
        Map<String, JsonNode> live = readIndex();
        Set<String> onDisk = new HashSet<>(manifestIds());
        for (String id : onDisk) {
            if (!live.containsKey(id)) {
                Path manifest = manifests.resolve(id + MANIFEST_SUFFIX);
                try {
                    byte[] stored = Files.readAllBytes(manifest);
                    SnapshotMetadata metadata = json.readMetadata(
                            new java.io.ByteArrayInputStream(codec.open(stored, manifest.toString())),
                            manifest.toString());
                    appendIndex(indexLine(metadata, stored));
                    log.info("Indexed snapshot {}, saved before a crash", id);
                } catch (SnapshotException e) {
                    log.warn("Not indexing damaged manifest {}: {}", manifest, e.getMessage());
                }
            }
        }
        for (String id : live.keySet()) {
            if (!onDisk.contains(id)) {
                appendIndex(deletedLine(id)); // a save cut off before its manifest's rename
            }
        }
    }
}
