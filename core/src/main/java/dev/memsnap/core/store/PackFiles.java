package dev.memsnap.core.store;

import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.core.codec.SnapshotCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incremental store's pack files: every new chunk of one save in one file, written once (a temporary file, one
 * fsync, a rename, the directory's fsync) and never changed, as restic and Borg pack their blobs. A pack describes
 * itself, so the index that maps a chunk's hash to (pack, offset, length) lives in memory and is rebuilt from the
 * packs on start and whenever a pack appears or goes; there is no index file to lose or damage.
 * <pre>
 * packs/&lt;sha256 of the file&gt;.pack:
 *   "MSPACK1\n"
 *   per chunk: 32 bytes of id (SHA-256 of the plain chunk), 1 byte of kind ('L' leaf, 'N' node),
 *              4 bytes of length (big-endian), the chunk as the codec stored it
 * </pre>
 * A pack whose tail is damaged yields the chunks before the damage; the rest are then missing, which reading and
 * verifying report. Callers serialise writes and deletions with the store's pack lock.
 */
final class PackFiles {
    private static final Logger log = LoggerFactory.getLogger(PackFiles.class);
    static final String SUFFIX = ".pack";
    private static final byte[] MAGIC = "MSPACK1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 32 + 1 + 4;
    static final byte LEAF = 'L';
    static final byte NODE = 'N';

    /**
     * Where a chunk is, and how it is sealed ({@link dev.memsnap.core.codec.SnapshotCodec#sealingOf}: a chunk sealed
     * otherwise than the store seals now, say before a rekey, is stored again rather than reused).
     */
    record Location(Path pack, long offset, int length, byte kind, String sealing) {
    }

    /** A chunk to pack. */
    record Chunk(String id, byte kind, byte[] stored) {
    }

    private final Path dir;
    private final Map<String, Location> index = new HashMap<>();
    private final Map<Path, Map<String, Location>> packs = new HashMap<>();
    /** How the store seals chunks now: of two copies of a chunk, the index names one sealed so. */
    private final java.util.function.Supplier<String> sealingNow;

    /**
     * @param dir        the packs' directory
     * @param sealingNow how the store seals chunks now; asked only when a chunk is in two packs
     */
    PackFiles(Path dir, java.util.function.Supplier<String> sealingNow) {
        this.dir = dir;
        this.sealingNow = sealingNow;
    }

    /** Indexes a copy of a chunk: the first found, unless this one is sealed as the store seals now and it is not. */
    private void index(String id, Location copy) {
        index.merge(id, copy, (known, other) -> {
            if (known.sealing().equals(other.sealing())) {
                return known;
            }
            String now;
            try {
                now = sealingNow.get();
            } catch (RuntimeException keysUnreadable) {
                return known; // a reader without the keys: either copy reads as well as it can
            }
            return other.sealing().equals(now) && !known.sealing().equals(now) ? other : known;
        });
    }

    Path dir() {
        return dir;
    }

    /**
     * Brings the index up to date with the directory: scans packs that appeared, forgets packs that went.
     *
     * @return whether a pack this index knew has gone (chunks it held may be gone)
     */
    synchronized boolean refresh() throws IOException {
        Set<Path> onDisk = new HashSet<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path file : files) {
                    onDisk.add(file);
                }
            }
        }
        boolean lost = false;
        for (Path known : List.copyOf(packs.keySet())) {
            if (!onDisk.contains(known)) {
                forget(known);
                lost = true;
            }
        }
        for (Path file : onDisk) {
            if (!packs.containsKey(file)) {
                scan(file);
            }
        }
        return lost;
    }

    private void forget(Path pack) {
        packs.remove(pack);
        index.values().removeIf(l -> l.pack().equals(pack));
        for (Map<String, Location> other : packs.values()) {
            other.forEach(this::index); // a chunk also in another pack is found there again
        }
    }

    /** Reads a pack's headers into the index; stops at damage, keeping what came before. */
    private void scan(Path pack) {
        Map<String, Location> found = readHeaders(pack);
        found.forEach(this::index);
        packs.put(pack, found);
    }

    /** @return a pack's chunks by id, in order, as far as its headers are whole */
    static Map<String, Location> readHeaders(Path pack) {
        Map<String, Location> found = new java.util.LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(pack, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            readFully(channel, magic, 0);
            if (!Arrays.equals(magic.array(), MAGIC)) {
                log.warn("Ignoring {}: not a memsnap pack", pack);
                return found;
            }
            long position = MAGIC.length;
            ByteBuffer header = ByteBuffer.allocate(HEADER + SnapshotCodec.SEALING_PREFIX_BYTES);
            while (position + HEADER <= size) {
                header.clear().limit((int) Math.min(header.capacity(), size - position));
                readFully(channel, header, position);
                byte[] id = Arrays.copyOfRange(header.array(), 0, 32);
                byte kind = header.get(32);
                int length = header.getInt(33);
                if (length < 0 || position + HEADER + length > size || (kind != LEAF && kind != NODE)) {
                    log.warn("Pack {} is damaged at byte {}: the chunks after it are missing", pack, position);
                    return found;
                }
                byte[] prefix = Arrays.copyOfRange(header.array(), HEADER,
                        HEADER + Math.min(length, SnapshotCodec.SEALING_PREFIX_BYTES));
                found.putIfAbsent(HexFormat.of().formatHex(id), new Location(pack, position + HEADER, length, kind,
                        SnapshotCodec.sealingOf(prefix)));
                position += HEADER + length;
            }
            if (position != size) {
                log.warn("Pack {} ends in a cut-off chunk at byte {}", pack, position);
            }
        } catch (NoSuchFileException gone) {
            // deleted meanwhile: holds nothing
        } catch (IOException e) {
            log.warn("Cannot read pack {}: {}", pack, e.toString());
        }
        return found;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** @return where a chunk is, or null when no pack known holds it */
    synchronized Location location(String id) {
        return index.get(id);
    }

    /** @return every pack known, with its chunks by id */
    synchronized Map<Path, Map<String, Location>> packs() {
        Map<Path, Map<String, Location>> copy = new HashMap<>();
        packs.forEach((k, v) -> copy.put(k, new java.util.LinkedHashMap<>(v)));
        return copy;
    }

    /** @return the ids of the chunks a known pack holds */
    synchronized Set<String> idsIn(Path pack) {
        Map<String, Location> in = packs.get(pack);
        return in == null ? Set.of() : Set.copyOf(in.keySet());
    }

    /**
     * @param id a chunk id
     * @return the chunk as stored, or null when no pack holds it (after looking for packs added since)
     */
    byte[] read(String id) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            Location at = location(id);
            if (at != null) {
                try {
                    return read(at);
                } catch (NoSuchFileException repackedMeanwhile) {
                    // look again
                }
            }
            refresh();
        }
        return null;
    }

    static byte[] read(Location at) throws IOException {
        try (FileChannel channel = FileChannel.open(at.pack(), StandardOpenOption.READ)) {
            if (at.offset() + at.length() > channel.size()) {
                throw new SnapshotFormatException(at.pack().toString(), "pack is cut short");
            }
            ByteBuffer buffer = ByteBuffer.allocate(at.length());
            readFully(channel, buffer, at.offset());
            return buffer.array();
        }
    }

    /**
     * Writes chunks as one new pack, durably, and indexes them.
     *
     * @return the pack's size in bytes
     */
    long write(List<Chunk> chunks) throws IOException {
        long size = sizeOf(chunks);
        MessageDigest digest = Checksums.sha256();
        digest.update(MAGIC);
        List<byte[]> headers = new ArrayList<>(chunks.size());
        for (Chunk c : chunks) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            header.put(HexFormat.of().parseHex(c.id())).put(c.kind()).putInt(c.stored().length);
            headers.add(header.array());
            digest.update(header.array());
            digest.update(c.stored());
        }
        Files.createDirectories(dir);
        Path pack = dir.resolve(HexFormat.of().formatHex(digest.digest()) + SUFFIX);
        AtomicFiles.write(pack, out -> {
            out.write(MAGIC);
            for (int i = 0; i < chunks.size(); i++) {
                out.write(headers.get(i));
                out.write(chunks.get(i).stored());
            }
        });
        synchronized (this) {
            packs.remove(pack);
            scan(pack);
        }
        return size;
    }

    /** @return the size of a pack of these chunks */
    static long sizeOf(List<Chunk> chunks) {
        long size = MAGIC.length;
        for (Chunk c : chunks) {
            size += HEADER + c.stored().length;
        }
        return size;
    }

    /** Deletes a pack (durably) and forgets its chunks. */
    synchronized void delete(Path pack) throws IOException {
        Files.deleteIfExists(pack);
        AtomicFiles.fsyncDirectory(dir);
        if (packs.containsKey(pack)) {
            forget(pack);
        }
    }
}
