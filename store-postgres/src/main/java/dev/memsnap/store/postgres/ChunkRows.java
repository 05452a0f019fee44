package dev.memsnap.store.postgres;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.format.SnapshotEncoding;
import dev.memsnap.api.format.SnapshotFormat;
import dev.memsnap.api.store.GarbageCollection;
import dev.memsnap.store.postgres.ChunkLayout.Manifest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The chunk rows of one store (V4): writing a snapshot's parts in the save's transaction, reading them back, and
 * collecting those no snapshot names.
 *
 * <p><b>Why garbage collection never races a save.</b> Every save takes the transaction-level advisory lock
 * {@link #LOCK} shared, before it looks at which chunks are stored; collection takes it exclusive, so it runs
 * between saves, never during one, in any instance on the database. Collection marks every chunk that a snapshot row
 * names (header, base list, the base's leaves, inserted leaves), deletes the rest and bumps
 * {@code memsnap_gc_epoch} in its transaction. A save caches which chunks it knows stored, tagged with the epoch it
 * read under the lock; when the epoch moved, the cache is dropped and the save asks the server which of its chunks
 * are there, writing the missing ones. So a chunk a new manifest names is either written by that save's transaction
 * or known stored after the last collection, and no collection can run before the manifest commits.
 *
 * <p>Caches, all bounded: leaf names by the identity of the memories and turns in the leaf (snapshots of one memory
 * share those immutable records, so an unchanged leaf is not serialised again), each memory's last base list, and the
 * chunks known stored.
 */
final class ChunkRows {
    /** The advisory lock key saves take shared and garbage collection exclusive: "memsnapG" as a number. */
    static final long LOCK = 0x6d656d736e617047L;
    private static final int LEAF_CACHE = 400_000;
    private static final int KNOWN_CACHE = 2_000_000;
    private static final int BASE_CACHE = 64;

    private final SnapshotEncoding codec;
    /** The encoding under the master key alone: what seals the schema's chunk name key. */
    private final SnapshotEncoding master;
    private final SnapshotFormat format;
    private final String chunks;
    private final String snapshots;
    private final String epochTable;
    private final String keyTable;
    private final boolean plainJson;
    private final boolean encrypting;
    /** Whether each memory's parts are encrypted under its own data key, and named per memory (kind 2). */
    private final boolean perMemory;

    private final Map<LeafKey, String> leafNames = lru(LEAF_CACHE);
    /** The last base list saved, by memory and (with per-memory keys) data key: a new key never edits an old base. */
    private final Map<String, List<String>> basesByMemory = lru(BASE_CACHE);
    private final Map<String, List<String>> basesByName = lru(BASE_CACHE);
    private final Set<String> known = new HashSet<>();
    private long knownEpoch = -1;
    private volatile byte[] hashKey;

    /**
     * @param codec  what parts are encoded with
     * @param master what seals the chunk name key: {@code codec} without data keys
     */
    ChunkRows(SnapshotEncoding codec, SnapshotEncoding master, SnapshotFormat format, String schema) {
        this.codec = codec;
        this.master = master;
        this.format = format;
        this.chunks = schema + ".memsnap_chunks";
        this.snapshots = schema + ".memsnap_snapshots";
        this.epochTable = schema + ".memsnap_gc_epoch";
        this.keyTable = schema + ".memsnap_chunk_key";
        this.plainJson = codec.suffix().equals(".json");
        this.encrypting = codec.suffix().endsWith(".enc");
        this.perMemory = encrypting && codec.hasDataKeys();
    }

    /** What a save wrote: the manifest, the snapshot's whole stored size, and the bytes of the new chunks. */
    record Saved(byte[] manifest, long storedBytes, long chunkBytesWritten, int chunksWritten, List<String> names,
                 long epoch, String keyId) {
    }

    /** A part to store: its name, and how to make its stored bytes if the server lacks it. */
    private record Part(String name, Supplier<byte[]> body) {
    }

    /**
     * Writes a snapshot's parts, in the caller's transaction, which has taken {@link #LOCK} shared.
     */
    Saved save(Connection c, MemorySnapshot snapshot) throws SQLException {
        int kind = perMemory ? ChunkLayout.PER_MEMORY : encrypting ? ChunkLayout.KEYED : ChunkLayout.PLAIN;
        // made now, in the save's transaction, when the memory has none: the parts are sealed under it
        String dataKeyId = perMemory ? codec.writingDataKeyId(snapshot.memoryId()).orElseThrow() : null;
        byte[] key = switch (kind) {
            case ChunkLayout.PER_MEMORY -> memoryNameKey(hashKey(c), snapshot.memoryId(), dataKeyId);
            case ChunkLayout.KEYED -> hashKey(c);
            default -> null;
        };
        // the memory whose carriers the leaves are, and so whose key seals them; the cache of names is per key too
        String carrierMemory = perMemory ? snapshot.memoryId() : dev.memsnap.api.MemoryManagers.DEFAULT;
        String scope = perMemory ? snapshot.memoryId() + '\0' + dataKeyId : "";
        // a memory's last base list, per data key too: a new key never edits the base of a shredded one
        String baseKey = perMemory ? scope : snapshot.memoryId();
        List<Part> parts = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (List<Turn> leaf : ChunkLayout.turnLeaves(snapshot.shortTerm().turns())) {
            Part p = leafPart(new LeafKey(scope, leaf.toArray()), () -> ChunkLayout.turnCarrier(leaf, carrierMemory),
                    key);
            parts.add(p);
            names.add(p.name());
        }
        int turnLeaves = names.size();
        for (List<Map.Entry<String, Memory>> leaf : ChunkLayout.memoryLeaves(snapshot.longTerm().memories())) {
            Object[] refs = new Object[leaf.size() * 2];
            for (int i = 0; i < leaf.size(); i++) {
                refs[2 * i] = leaf.get(i).getKey();
                refs[2 * i + 1] = leaf.get(i).getValue();
            }
            Part p = leafPart(new LeafKey(scope, refs), () -> ChunkLayout.memoryCarrier(leaf, carrierMemory), key);
            parts.add(p);
            names.add(p.name());
        }
        MemorySnapshot header = ChunkLayout.header(snapshot);
        byte[] headerPlain = json(header);
        String headerName = name(headerPlain, key);
        byte[] headerBody = plainJson ? headerPlain : codec.encode(header);
        parts.add(new Part(headerName, () -> headerBody));

        List<String> base;
        synchronized (this) {
            base = basesByMemory.get(baseKey);
        }
        List<ChunkLayout.Edit> edits = null;
        if (base != null) {
            edits = ChunkLayout.diff(base, names);
            // a few names' slack, so that small lists are edited too
            if (ChunkLayout.editBytes(edits) * ChunkLayout.EDIT_BUDGET_DIVISOR
                    > (long) (base.size() + 64) * ChunkLayout.HASH_BYTES) {
                base = null;
            }
        }
        byte[] baseBody = null;
        if (base == null) {
            base = names;
            baseBody = ChunkLayout.encodeList(names);
            edits = List.of(new ChunkLayout.Edit(ChunkLayout.Edit.COPY, names.size(), null));
        }
        List<String> baseList = base;
        byte[] newBase = baseBody;
        String baseName = newBase != null ? ChunkLayout.hex(sha256(newBase)) : listName(base);
        parts.add(new Part(baseName, () -> newBase != null ? newBase : ChunkLayout.encodeList(baseList)));

        long written = 0;
        int count = 0;
        List<String> needed = new ArrayList<>(parts.size());
        for (Part p : parts) {
            needed.add(p.name());
        }
        long epoch = epoch(c);
        Set<String> missing = missing(c, needed, epoch);
        if (!missing.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + chunks + " (hash, body) VALUES (?, ?) "
                    + "ON CONFLICT (hash) DO NOTHING")) {
                Set<String> queued = new HashSet<>();
                for (Part p : parts) {
                    if (missing.contains(p.name()) && queued.add(p.name())) {
                        byte[] body = p.body().get();
                        s.setBytes(1, HexFormat.of().parseHex(p.name()));
                        s.setBytes(2, body);
                        s.addBatch();
                        written += body.length;
                        count++;
                        sizes.put(p.name(), (long) body.length);
                    }
                }
                s.executeBatch();
            }
        }
        Manifest manifest = new Manifest(kind, dataKeyId, turnLeaves, names.size() - turnLeaves, headerName, baseName,
                edits);
        byte[] encoded = manifest.encode();
        synchronized (this) {
            basesByMemory.put(baseKey, baseList);
            basesByName.put(baseName, baseList);
        }
        return new Saved(encoded, encoded.length + written, written, count, needed, epoch,
                StoredLayers.keyIdOf(headerBody));
    }

    /** Records that a save's transaction committed: the chunks it named are stored, as of the epoch it read. */
    synchronized void committed(Saved saved) {
        if (saved.epoch() == knownEpoch) {
            if (known.size() + saved.names().size() > KNOWN_CACHE) {
                known.clear();
            }
            known.addAll(saved.names());
        }
    }

    private Part leafPart(LeafKey key, Supplier<MemorySnapshot> carrier, byte[] hashKey) {
        String cached;
        synchronized (this) {
            cached = leafNames.get(key);
        }
        if (cached != null) {
            return new Part(cached, () -> encodeLeaf(carrier.get()));
        }
        MemorySnapshot leaf = carrier.get();
        byte[] plain = json(leaf);
        String name = name(plain, hashKey);
        synchronized (this) {
            leafNames.put(key, name);
        }
        return new Part(name, () -> plainJson ? plain : codec.encode(leaf));
    }

    private byte[] encodeLeaf(MemorySnapshot leaf) {
        return plainJson ? json(leaf) : codec.encode(leaf);
    }

    /** @return which of the names the server lacks, asking it only about those not known stored this epoch */
    private Set<String> missing(Connection c, List<String> names, long epoch) throws SQLException {
        Set<String> unknown = new HashSet<>();
        synchronized (this) {
            if (epoch != knownEpoch) {
                known.clear();
                knownEpoch = epoch;
            }
            for (String n : names) {
                if (!known.contains(n)) {
                    unknown.add(n);
                }
            }
        }
        if (unknown.isEmpty()) {
            return unknown;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT hash FROM " + chunks + " WHERE hash = ANY(?)")) {
            s.setArray(1, byteaArray(c, unknown));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    unknown.remove(ChunkLayout.hex(rs.getBytes(1)));
                }
            }
        }
        return unknown;
    }

    private long epoch(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT epoch FROM " + epochTable)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    /** What a manifest names, read and checked. */
    record Read(MemorySnapshot snapshot, int chunks, long chunkBytes) {
    }

    /**
     * Reads a snapshot from its manifest, in the caller's (repeatable-read) transaction.
     *
     * @param memoryId the memory its row is of: whose names a manifest of kind 2 has
     */
    Read read(Connection c, byte[] manifestBytes, String memoryId, String source) throws SQLException {
        Manifest m = ChunkLayout.decodeManifest(manifestBytes, source);
        byte[] key = switch (m.hashKind()) {
            case ChunkLayout.PER_MEMORY -> memoryNameKey(hashKey(c), memoryId, m.dataKeyId());
            case ChunkLayout.KEYED -> hashKey(c);
            default -> null;
        };
        List<String> names = resolve(c, m, source);
        if (names.size() != m.turnLeaves() + m.memoryLeaves()) {
            throw new SnapshotFormatException(source, "the chunk manifest names " + names.size() + " leaves but "
                    + "says " + (m.turnLeaves() + m.memoryLeaves()));
        }
        Set<String> wanted = new HashSet<>(names);
        wanted.add(m.header());
        Map<String, byte[]> bodies = fetch(c, wanted);
        long bytes = 0;
        for (byte[] b : bodies.values()) {
            bytes += b.length;
        }
        MemorySnapshot header = part(bodies, m.header(), key, source);
        List<Turn> turns = new ArrayList<>();
        Map<String, Memory> memories = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            MemorySnapshot leaf = part(bodies, names.get(i), key, source);
            if (i < m.turnLeaves()) {
                turns.addAll(leaf.shortTerm().turns());
            } else {
                for (Map.Entry<String, Memory> e : leaf.longTerm().memories().entrySet()) {
                    if (memories.put(e.getKey(), e.getValue()) != null) {
                        throw new SnapshotFormatException(source, "memory " + e.getKey() + " is in two chunks");
                    }
                }
            }
        }
        return new Read(ChunkLayout.assemble(header, turns, memories), wanted.size() + 1, bytes);
    }

    /** @return the leaf names a manifest lists: its base with its edits */
    private List<String> resolve(Connection c, Manifest m, String source) throws SQLException {
        List<String> base;
        synchronized (this) {
            base = basesByName.get(m.base());
        }
        if (base == null) {
            byte[] body = fetch(c, Set.of(m.base())).get(m.base());
            if (body == null) {
                throw new SnapshotFormatException(source, "its base list chunk " + m.base() + " is missing");
            }
            if (!ChunkLayout.hex(sha256(body)).equals(m.base())) {
                throw new SnapshotFormatException(source, "its base list chunk " + m.base() + " is damaged");
            }
            base = ChunkLayout.decodeList(body, source);
            synchronized (this) {
                basesByName.put(m.base(), base);
            }
        }
        return ChunkLayout.apply(base, m.edits(), source);
    }

    private MemorySnapshot part(Map<String, byte[]> bodies, String name, byte[] key, String source) {
        byte[] body = bodies.get(name);
        if (body == null) {
            throw new SnapshotFormatException(source, "chunk " + name + " is missing");
        }
        MemorySnapshot part = codec.decode(body, source + " chunk " + name);
        if (!name(json(part), key).equals(name)) {
            throw new SnapshotFormatException(source, "chunk " + name + " is damaged: its content does not hash "
                    + "to its name");
        }
        return part;
    }

    private Map<String, byte[]> fetch(Connection c, Set<String> names) throws SQLException {
        Map<String, byte[]> found = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT hash, body FROM " + chunks + " WHERE hash = ANY(?)")) {
            s.setArray(1, byteaArray(c, names));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.put(ChunkLayout.hex(rs.getBytes(1)), rs.getBytes(2));
                }
            }
        }
        return found;
    }

    // ------------------------------------------------------------------------------------------ garbage

    /**
     * Deletes (or with {@code dryRun} counts) the chunks no snapshot row names, in the caller's transaction.
     * Takes {@link #LOCK} exclusive first, so no save is between looking at the chunks and committing its manifest.
     */
    GarbageCollection collect(Connection c, boolean dryRun, boolean lock) throws SQLException {
        if (lock) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            }
        }
        Set<String> marked = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT snapshot_id, body FROM " + snapshots
                     + " WHERE format LIKE 'chunks%'")) {
            while (rs.next()) {
                byte[] body = rs.getBytes(2);
                if (!ChunkLayout.isManifest(body)) {
                    continue;
                }
                Manifest m;
                try {
                    m = ChunkLayout.decodeManifest(body, rs.getString(1));
                } catch (SnapshotFormatException damaged) {
                    // a manifest that cannot be read names nothing we can tell: keep everything rather than guess
                    throw new SnapshotStoreException("garbage collection stopped, removing nothing: snapshot "
                            + rs.getString(1) + " has a damaged manifest (" + damaged.getMessage() + ")", damaged);
                }
                marked.addAll(m.direct());
                if (marked.add("base:" + m.base())) {
                    List<String> base;
                    synchronized (this) {
                        base = basesByName.get(m.base());
                    }
                    if (base == null) {
                        byte[] list = fetch(c, Set.of(m.base())).get(m.base());
                        base = list == null ? List.of() : ChunkLayout.decodeList(list, rs.getString(1));
                    }
                    marked.addAll(base);
                }
            }
        }
        List<byte[]> garbage = new ArrayList<>();
        long bytes = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT hash, octet_length(body) FROM " + chunks)) {
            while (rs.next()) {
                byte[] hash = rs.getBytes(1);
                if (!marked.contains(ChunkLayout.hex(hash))) {
                    garbage.add(hash);
                    bytes += rs.getLong(2);
                }
            }
        }
        if (!dryRun && !garbage.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + chunks + " WHERE hash = ANY(?)")) {
                for (int i = 0; i < garbage.size(); i += 10_000) {
                    List<byte[]> batch = garbage.subList(i, Math.min(garbage.size(), i + 10_000));
                    s.setArray(1, c.createArrayOf("bytea", batch.toArray(new byte[0][])));
                    s.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + epochTable + " SET epoch = epoch + 1");
            }
        }
        return new GarbageCollection(garbage.size(), bytes, dryRun);
    }

    /** Forgets every cached fact about what is stored (after this instance's own collection). */
    synchronized void forgetStored() {
        known.clear();
        knownEpoch = -1;
    }

    // ------------------------------------------------------------------------------------------ names

    private String name(byte[] plain, byte[] key) {
        if (key == null) {
            return ChunkLayout.hex(sha256(plain));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ChunkLayout.hex(mac.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    /**
     * @return the key a memory's chunk names are keyed with while its data key is {@code dataKeyId}: an HMAC of
     *         both under the schema's key, so names differ between memories and between one memory's keys
     */
    private static byte[] memoryNameKey(byte[] schemaKey, String memoryId, String dataKeyId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(schemaKey, "HmacSHA256"));
            return mac.doFinal(("memsnap chunk names of memory " + memoryId + "\0under data key " + dataKeyId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    private String listName(List<String> base) {
        return ChunkLayout.hex(sha256(ChunkLayout.encodeList(base)));
    }

    /**
     * The key chunk names are keyed with, when the codec encrypts: 32 random bytes made by the first instance that
     * needs them, kept in {@code memsnap_chunk_key} encrypted by the codec (as the content of a carrier snapshot's one
     * turn), so only who can decrypt snapshots can compute or compare names.
     */
    byte[] hashKey(Connection c) throws SQLException {
        byte[] k = hashKey;
        if (k != null) {
            return k;
        }
        byte[] sealed = sealedKey(c);
        if (sealed == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            MemorySnapshot carrier = ChunkLayout.turnCarrier(List.of(new Turn("key", HexFormat.of().formatHex(fresh))));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + keyTable + " (sealed) VALUES (?) "
                    + "ON CONFLICT (one) DO NOTHING")) {
                s.setBytes(1, master.encode(carrier));
                s.executeUpdate();
            }
            sealed = sealedKey(c);
        }
        MemorySnapshot opened = master.decode(sealed, keyTable);
        k = HexFormat.of().parseHex(opened.shortTerm().turns().get(0).content());
        hashKey = k;
        return k;
    }

    private byte[] sealedKey(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sealed FROM " + keyTable)) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private byte[] json(MemorySnapshot s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            format.write(s, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Array byteaArray(Connection c, java.util.Collection<String> names) throws SQLException {
        byte[][] values = new byte[names.size()][];
        int i = 0;
        for (String n : names) {
            values[i++] = HexFormat.of().parseHex(n);
        }
        return c.createArrayOf("bytea", values);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A leaf by the identity of what it holds: the same records in the same order are the same leaf. */
    private static final class LeafKey {
        /** Whose names: a memory and its data key for names per memory, else empty. */
        private final String scope;
        private final Object[] refs;
        private final int hash;

        LeafKey(String scope, Object[] refs) {
            this.scope = scope;
            this.refs = refs;
            int h = scope.hashCode();
            for (Object r : refs) {
                h = 31 * h + System.identityHashCode(r);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof LeafKey other) || other.refs.length != refs.length || !other.scope.equals(scope)) {
                return false;
            }
            for (int i = 0; i < refs.length; i++) {
                if (refs[i] != other.refs[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
