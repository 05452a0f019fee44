package dev.memsnap.store.postgres;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.Turn;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * How a snapshot is cut into content-addressed chunks, and the manifest that names them (V4).
 *
 * <p>A snapshot becomes a <em>header</em> (everything but its turns and memories), <em>turn leaves</em> and
 * <em>memory leaves</em>. Each part is a small document in the seed's snapshot layout (a "carrier": a snapshot whose
 * turns or memories are the leaf's, everything else empty), so that it goes through the plugin SPI's
 * {@link dev.memsnap.api.format.SnapshotFormat} and {@link dev.memsnap.api.format.SnapshotEncoding} as whole
 * snapshots do: compressed and encrypted as configured, checked on reading. A leaf ends after an element whose key
 * hashes to a boundary (a memory's id, a turn's content), within a minimum and maximum size, so inserting or removing
 * one memory changes its own leaf only, and nothing shifts after it.
 *
 * <p>The ordered list of leaf names (turn leaves, then memory leaves) is kept as a <em>base</em> list, itself a chunk
 * (the concatenated 32-byte names), plus an edit script against it held in the manifest. A save whose list differs
 * from its memory's last base by a few leaves writes only those edits; when the edits grow past an eighth of the base
 * a new base is written. So a save after scattered changes writes the changed leaves and a few bytes per change,
 * not the whole list of names.
 *
 * <p>Manifest bytes: {@code MSPGCHK1}, hash kind (1 byte: 0 SHA-256, 1 keyed, 2 keyed per memory), for kind 2 the
 * fingerprint of the memory's data key (8 bytes, V5), turn leaves, memory leaves (ints), header name, base name
 * (32 bytes each), edit count (int), edits: {@code 0 n} copy n names from the base, {@code 1 n} skip n,
 * {@code 2 name} insert a name.
 *
 * <p>Kind 2 (V5, each memory encrypted under its own data key): the parts are carriers of the snapshot's memory, so
 * that the encoding seals them under that memory's key, and their names are keyed by the memory and its data key's
 * fingerprint, so a chunk is never shared by two memories (one's shred would break the other's snapshots, or leave
 * its content readable through the other's key), nor by two keys of one memory (one made after a shred).
 */
final class ChunkLayout {
    static final byte[] MAGIC = "MSPGCHK1".getBytes(StandardCharsets.US_ASCII);
    static final int HASH_BYTES = 32;
    /** The id, time and memory every carrier has; the header carrier has the snapshot's own. */
    static final String CARRIER_ID = "snapshot_19700101_000000_00000000";
    static final LocalDateTime CARRIER_TIME = LocalDateTime.of(1970, 1, 1, 0, 0);
    private static final MemorySnapshot.MemoryStats NO_STATS = new MemorySnapshot.MemoryStats(
            new MemorySnapshot.ShortTermStats(0, 0),
            new MemorySnapshot.LongTermStats(0, Map.of(), 0, null, null, 0, List.of()), List.of(), null);

    /** Memory leaves: a boundary after a memory whose id hashes to 0 mod 4, once a leaf has 2; at most 16. */
    static final int MEMORY_MIN = 2;
    static final int MEMORY_MODULUS = 4;
    static final int MEMORY_MAX = 16;
    /** Turn leaves: a boundary after a turn whose content hashes to 0 mod 8, once a leaf has 4; at most 64. */
    static final int TURN_MIN = 4;
    static final int TURN_MODULUS = 8;
    static final int TURN_MAX = 64;
    /** A new base list is written when the edits would take more than this fraction of the base's bytes. */
    static final int EDIT_BUDGET_DIVISOR = 8;
    /** Hash kinds: names are the SHA-256 of a part's JSON; its HMAC under the schema's key; and per memory. */
    static final int PLAIN = 0;
    static final int KEYED = 1;
    static final int PER_MEMORY = 2;
    static final int DATA_KEY_ID_BYTES = 8;

    private ChunkLayout() {
    }

    /** @return whether the snapshot's counts are its sizes, as every snapshot that was ever read has (else: whole) */
    static boolean isChunkable(MemorySnapshot s) {
        return s.shortTerm().turnCount() == s.shortTerm().turns().size()
                && s.longTerm().memoryCount() == s.longTerm().memories().size();
    }

    static List<List<Map.Entry<String, Memory>>> memoryLeaves(Map<String, Memory> memories) {
        List<List<Map.Entry<String, Memory>>> leaves = new ArrayList<>();
        List<Map.Entry<String, Memory>> leaf = new ArrayList<>();
        for (Map.Entry<String, Memory> e : memories.entrySet()) {
            leaf.add(e);
            if (leaf.size() >= MEMORY_MAX
                    || leaf.size() >= MEMORY_MIN && Math.floorMod(mix(e.getKey().hashCode()), MEMORY_MODULUS) == 0) {
                leaves.add(leaf);
                leaf = new ArrayList<>();
            }
        }
        if (!leaf.isEmpty()) {
            leaves.add(leaf);
        }
        return leaves;
    }

    static List<List<Turn>> turnLeaves(List<Turn> turns) {
        List<List<Turn>> leaves = new ArrayList<>();
        List<Turn> leaf = new ArrayList<>();
        for (Turn t : turns) {
            leaf.add(t);
            if (leaf.size() >= TURN_MAX
                    || leaf.size() >= TURN_MIN && Math.floorMod(mix(t.content().hashCode()), TURN_MODULUS) == 0) {
                leaves.add(leaf);
                leaf = new ArrayList<>();
            }
        }
        if (!leaf.isEmpty()) {
            leaves.add(leaf);
        }
        return leaves;
    }

    /** Spreads a string hash's bits, so that boundaries do not follow patterns in ids. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** @param memoryId the memory the carrier is of: the default one, but for names per memory (kind 2) */
    static MemorySnapshot memoryCarrier(List<Map.Entry<String, Memory>> leaf, String memoryId) {
        Map<String, Memory> memories = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Memory> e : leaf) {
            memories.put(e.getKey(), e.getValue());
        }
        return new MemorySnapshot(CARRIER_ID, CARRIER_TIME, new MemorySnapshot.ShortTerm(List.of(), 0, CARRIER_TIME),
                new MemorySnapshot.LongTerm(memories, List.of(), memories.size()), NO_STATS, memoryId, null);
    }

    static MemorySnapshot memoryCarrier(List<Map.Entry<String, Memory>> leaf) {
        return memoryCarrier(leaf, MemoryManagers.DEFAULT);
    }

    /** @param memoryId the memory the carrier is of: the default one, but for names per memory (kind 2) */
    static MemorySnapshot turnCarrier(List<Turn> leaf, String memoryId) {
        return new MemorySnapshot(CARRIER_ID, CARRIER_TIME,
                new MemorySnapshot.ShortTerm(leaf, leaf.size(), CARRIER_TIME),
                new MemorySnapshot.LongTerm(Map.of(), List.of(), 0), NO_STATS, memoryId, null);
    }

    static MemorySnapshot turnCarrier(List<Turn> leaf) {
        return turnCarrier(leaf, MemoryManagers.DEFAULT);
    }

    /** @return the snapshot without its turns and memories */
    static MemorySnapshot header(MemorySnapshot s) {
        return new MemorySnapshot(s.snapshotId(), s.timestamp(),
                new MemorySnapshot.ShortTerm(List.of(), 0, s.shortTerm().sessionStart()),
                new MemorySnapshot.LongTerm(Map.of(), s.longTerm().topics(), 0), s.memoryStats(), s.memoryId(),
                s.parentSnapshotId());
    }

    /** @return the snapshot the header, turns and memories make */
    static MemorySnapshot assemble(MemorySnapshot header, List<Turn> turns, Map<String, Memory> memories) {
        return new MemorySnapshot(header.snapshotId(), header.timestamp(),
                new MemorySnapshot.ShortTerm(turns, turns.size(), header.shortTerm().sessionStart()),
                new MemorySnapshot.LongTerm(memories, header.longTerm().topics(), memories.size()),
                header.memoryStats(), header.memoryId(), header.parentSnapshotId());
    }

    // ------------------------------------------------------------------------------------------ manifests

    /** One edit of a base list: copy or skip {@code count} names, or insert {@code name}. */
    record Edit(int kind, int count, String name) {
        static final int COPY = 0;
        static final int SKIP = 1;
        static final int INSERT = 2;
    }

    /**
     * @param hashKind     0: leaves are named by the SHA-256 of their JSON; 1: by its HMAC under the schema's key;
     *                     2: by its HMAC under a key of the memory and its data key
     * @param dataKeyId    for kind 2, the fingerprint of the memory's data key the parts are encrypted under (hex);
     *                     else {@code null}
     * @param turnLeaves   how many of the list's names are turn leaves (the rest are memory leaves)
     * @param memoryLeaves how many are memory leaves
     * @param header       the header chunk's name
     * @param base         the base list chunk's name
     * @param edits        how the list differs from the base
     */
    record Manifest(int hashKind, String dataKeyId, int turnLeaves, int memoryLeaves, String header, String base,
                    List<Edit> edits) {
        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + edits.size() * 8);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                out.writeByte(hashKind);
                if (hashKind == PER_MEMORY) {
                    out.write(HexFormat.of().parseHex(dataKeyId));
                }
                out.writeInt(turnLeaves);
                out.writeInt(memoryLeaves);
                out.write(HexFormat.of().parseHex(header));
                out.write(HexFormat.of().parseHex(base));
                out.writeInt(edits.size());
                for (Edit e : edits) {
                    out.writeByte(e.kind());
                    if (e.kind() == Edit.INSERT) {
                        out.write(HexFormat.of().parseHex(e.name()));
                    } else {
                        out.writeInt(e.count());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** @return the names this manifest needs besides the base's: header, base and inserted leaves */
        List<String> direct() {
            List<String> names = new ArrayList<>();
            names.add(header);
            names.add(base);
            for (Edit e : edits) {
                if (e.kind() == Edit.INSERT) {
                    names.add(e.name());
                }
            }
            return names;
        }

        int insertedCount() {
            return (int) edits.stream().filter(e -> e.kind() == Edit.INSERT).count();
        }
    }

    static boolean isManifest(byte[] body) {
        return body.length >= MAGIC.length && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static Manifest decodeManifest(byte[] body, String source) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
            in.skipNBytes(MAGIC.length);
            int kind = in.readUnsignedByte();
            String dataKeyId = kind == PER_MEMORY ? hex(in.readNBytes(DATA_KEY_ID_BYTES)) : null;
            if (dataKeyId != null && dataKeyId.length() != 2 * DATA_KEY_ID_BYTES) {
                throw new java.io.EOFException();
            }
            int turns = in.readInt();
            int memories = in.readInt();
            String header = hex(in.readNBytes(HASH_BYTES));
            String base = hex(in.readNBytes(HASH_BYTES));
            int count = in.readInt();
            if (kind > PER_MEMORY || turns < 0 || memories < 0 || count < 0 || count > body.length) {
                throw new SnapshotFormatException(source, "the chunk manifest is damaged");
            }
            List<Edit> edits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int type = in.readUnsignedByte();
                switch (type) {
                    case Edit.COPY, Edit.SKIP -> edits.add(new Edit(type, in.readInt(), null));
                    case Edit.INSERT -> edits.add(new Edit(type, 1, hex(in.readNBytes(HASH_BYTES))));
                    default -> throw new SnapshotFormatException(source, "the chunk manifest is damaged");
                }
            }
            if (in.read() != -1) {
                throw new SnapshotFormatException(source, "the chunk manifest has bytes after its end");
            }
            return new Manifest(kind, dataKeyId, turns, memories, header, base, edits);
        } catch (java.io.EOFException e) {
            throw new SnapshotFormatException(source, "the chunk manifest is cut short");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encodeList(List<String> names) {
        byte[] bytes = new byte[names.size() * HASH_BYTES];
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(HexFormat.of().parseHex(names.get(i)), 0, bytes, i * HASH_BYTES, HASH_BYTES);
        }
        return bytes;
    }

    static List<String> decodeList(byte[] bytes, String source) {
        if (bytes.length % HASH_BYTES != 0) {
            throw new SnapshotFormatException(source, "a base list of " + bytes.length
                    + " bytes is not a whole number of names");
        }
        List<String> names = new ArrayList<>(bytes.length / HASH_BYTES);
        for (int i = 0; i < bytes.length; i += HASH_BYTES) {
            names.add(HexFormat.of().formatHex(bytes, i, i + HASH_BYTES));
        }
        return names;
    }

    /**
     * An edit script taking {@code base} to {@code target}: names in order, a name found a little ahead in the base
     * skips to it, any other is inserted. Lists cut by content stay aligned, so scattered changes give an edit or
     * three each.
     */
    static List<Edit> diff(List<String> base, List<String> target) {
        Map<String, List<Integer>> positions = new HashMap<>();
        for (int i = 0; i < base.size(); i++) {
            positions.computeIfAbsent(base.get(i), k -> new ArrayList<>(1)).add(i);
        }
        List<Edit> edits = new ArrayList<>();
        int j = 0;
        int copy = 0;
        for (String name : target) {
            int found = -1;
            if (j < base.size() && base.get(j).equals(name)) {
                found = j;
            } else {
                for (int p : positions.getOrDefault(name, List.of())) {
                    if (p > j && p - j <= 64) {
                        found = p;
                        break;
                    }
                }
            }
            if (found >= 0) {
                if (found > j) {
                    if (copy > 0) {
                        edits.add(new Edit(Edit.COPY, copy, null));
                        copy = 0;
                    }
                    edits.add(new Edit(Edit.SKIP, found - j, null));
                }
                copy++;
                j = found + 1;
            } else {
                if (copy > 0) {
                    edits.add(new Edit(Edit.COPY, copy, null));
                    copy = 0;
                }
                edits.add(new Edit(Edit.INSERT, 1, name));
            }
        }
        if (copy > 0) {
            edits.add(new Edit(Edit.COPY, copy, null));
        }
        return edits;
    }

    /** @return the list the edits make of the base */
    static List<String> apply(List<String> base, List<Edit> edits, String source) {
        List<String> names = new ArrayList<>(base.size());
        int j = 0;
        for (Edit e : edits) {
            switch (e.kind()) {
                case Edit.COPY -> {
                    if (e.count() < 0 || j + e.count() > base.size()) {
                        throw new SnapshotFormatException(source, "the chunk manifest copies past its base list");
                    }
                    names.addAll(base.subList(j, j + e.count()));
                    j += e.count();
                }
                case Edit.SKIP -> {
                    if (e.count() < 0 || j + e.count() > base.size()) {
                        throw new SnapshotFormatException(source, "the chunk manifest skips past its base list");
                    }
                    j += e.count();
                }
                default -> names.add(e.name());
            }
        }
        return names;
    }

    /** @return the stored size of an edit script */
    static long editBytes(List<Edit> edits) {
        long bytes = 0;
        for (Edit e : edits) {
            bytes += e.kind() == Edit.INSERT ? 1 + HASH_BYTES : 5;
        }
        return bytes;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
