package dev.memsnap.core.store;

import dev.memsnap.api.SnapshotMetadata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The file store's listing index, {@code .memsnap/listing.idx}: what a listing found in the snapshot directory, so
 * that the next process lists without reading every snapshot file, and, while the directory is unchanged, without
 * even listing the directory. A cache only: written atomically, checked whole (magic, format version, CRC-32, and
 * every count, position and id within bounds), and ignored when missing, damaged or of another version, in which
 * case the listing is made again from the files.
 *
 * <p>Layout, big-endian: the magic {@code MSNAPIDX}; the format version (int); the directory's {@link DirectoryStamp}
 * (two longs and a string) and when it was read (long, epoch nanoseconds); flags (byte: 1 when a snapshot has files in
 * more than one encoding); the file name suffixes (byte count, strings) and memory ids (int count, strings) the
 * entries refer to; the number of entries (int), then every entry's snapshot id (33 ASCII bytes each), then each
 * entry: its suffix's position (byte), its kind (byte), and for a {@link #LISTED} entry the file's size, modification
 * time and a hash of its identity (longs) and its metadata: the timestamp's epoch day (int) and nano of day (long),
 * turns, memories, topics and the memory id's position (ints), and the parent (int: an entry's position, -1 for none,
 * -2 when a string follows); last the CRC-32 of everything before it (int). A string is an unsigned 16-bit length
 * and that many bytes of UTF-8. Listed entries come first, newest first, so that a reader need not sort them.
 *
 * <p>Only a plain snapshot's metadata is ever written: an encrypted file, a damaged one, or one not read is an
 * entry of its name alone ({@link #EXAMINE}), which tells a reader that the file is there and must be read, with
 * the key, by whoever lists it.
 */
final class ListingIndex {
    static final String FILE = "listing.idx";
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "MSNAPIDX".getBytes(StandardCharsets.US_ASCII);
    private static final byte LISTED = 1;
    private static final byte EXAMINE = 2;
    private static final byte HAS_DUPLICATES = 1;
    private static final int NO_PARENT = -1;
    private static final int PARENT_FOLLOWS = -2;
    private static final int ID_LENGTH = SnapshotListing.ID_LENGTH;
    /** Far more than 10 million snapshots need; a larger file is not ours and is not read whole. */
    private static final long MAX_BYTES = 1L << 30;

    private ListingIndex() {
    }

    /** A file's size, modification time and identity (hashed): a file that changes in any of them is read again. */
    record FileVersion(long size, long modifiedNanos, long key) {
        static FileVersion of(BasicFileAttributes attributes) {
            Object fileKey = attributes.fileKey();
            return new FileVersion(attributes.size(),
                    attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    fileKey == null ? 0 : hash(fileKey.toString()));
        }

        /** Written out, as {@link DirectoryStamp#equals} is: compared once per file in a listing that reads files. */
        @Override
        public boolean equals(Object other) {
            return other instanceof FileVersion o && size == o.size && modifiedNanos == o.modifiedNanos
                    && key == o.key;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) * 31 + Long.hashCode(modifiedNanos) * 17 + Long.hashCode(key);
        }

        private static long hash(String s) { // FNV-1a, 64 bits
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < s.length(); i++) {
                h = (h ^ s.charAt(i)) * 0x100000001b3L;
            }
            return h;
        }
    }

    /**
     * One snapshot-named file of the directory.
     *
     * @param id       the snapshot id its name begins with
     * @param suffix   the rest of its name, one of {@link dev.memsnap.core.codec.SnapshotCodec#SUFFIXES}
     * @param version  the version its metadata was read at; {@code null} for a name alone
     * @param metadata what it holds, in brief; {@code null} for a name alone, which a reader must examine itself
     */
    record Entry(String id, String suffix, FileVersion version, SnapshotMetadata metadata) {
        String name() {
            return id + suffix;
        }

        boolean listed() {
            return metadata != null;
        }
    }

    /**
     * @param stamp         the directory's stamp, read before its entries were
     * @param readAtNanos   when the stamp was read, epoch nanoseconds
     * @param hasDuplicates whether some snapshot has files in more than one encoding
     * @param entries       every snapshot-named file: those listed first, newest first
     */
    record Content(DirectoryStamp stamp, long readAtNanos, boolean hasDuplicates, List<Entry> entries) {
    }

    static void write(Path file, Content content) throws IOException {
        List<Entry> entries = content.entries();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + entries.size() * 100);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeLong(content.stamp().modifiedNanos());
        out.writeLong(content.stamp().changedNanos());
        writeString(out, content.stamp().key());
        out.writeLong(content.readAtNanos());
        out.writeByte(content.hasDuplicates() ? HAS_DUPLICATES : 0);
        List<String> suffixes = dev.memsnap.core.codec.SnapshotCodec.SUFFIXES;
        out.writeByte(suffixes.size());
        for (String suffix : suffixes) {
            writeString(out, suffix);
        }
        Map<String, Integer> memoryIds = new HashMap<>();
        Map<String, Integer> positions = new HashMap<>(entries.size() * 2);
        List<String> memoryIdList = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            positions.putIfAbsent(entry.id(), i);
            if (entry.listed() && memoryIds.putIfAbsent(entry.metadata().memoryId(), memoryIds.size()) == null) {
                memoryIdList.add(entry.metadata().memoryId());
            }
        }
        out.writeInt(memoryIdList.size());
        for (String memoryId : memoryIdList) {
            writeString(out, memoryId);
        }
        out.writeInt(entries.size());
        for (Entry entry : entries) {
            byte[] id = entry.id().getBytes(StandardCharsets.US_ASCII);
            if (id.length != ID_LENGTH || !SnapshotListing.isSnapshotName(entry.name())) {
                throw new IOException("not a snapshot file name: " + entry.name());
            }
            out.write(id);
        }
        for (Entry entry : entries) {
            out.writeByte(suffixes.indexOf(entry.suffix()));
            long epochDay = entry.listed() ? entry.metadata().timestamp().toLocalDate().toEpochDay() : 0;
            if (!entry.listed() || epochDay != (int) epochDay) { // a date past ±5 million years: the reader reads it
                out.writeByte(EXAMINE);
                continue;
            }
            out.writeByte(LISTED);
            out.writeLong(entry.version().size());
            out.writeLong(entry.version().modifiedNanos());
            out.writeLong(entry.version().key());
            SnapshotMetadata m = entry.metadata();
            out.writeInt((int) epochDay);
            out.writeLong(m.timestamp().toLocalTime().toNanoOfDay());
            out.writeInt(m.shortTermTurns());
            out.writeInt(m.longTermMemories());
            out.writeInt(m.topics());
            out.writeInt(memoryIds.get(m.memoryId()));
            String parent = m.parentSnapshotId();
            Integer parentAt = parent == null ? null : positions.get(parent);
            if (parent == null) {
                out.writeInt(NO_PARENT);
            } else if (parentAt != null) {
                out.writeInt(parentAt);
            } else {
                out.writeInt(PARENT_FOLLOWS);
                writeString(out, parent);
            }
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        byte[] whole = bytes.toByteArray();
        AtomicFiles.write(file, o -> o.write(whole));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IOException("a string of " + utf8.length + " bytes does not fit the listing index");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    /**
     * @param file the index file
     * @return what it holds
     * @throws java.nio.file.NoSuchFileException when there is none
     * @throws Unusable                         when it is damaged, truncated, or of another format version
     * @throws IOException                      when it cannot be read
     */
    static Content read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new Unusable("larger than " + MAX_BYTES + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < MAGIC.length + 4 + 4) {
            throw new Unusable("truncated (" + bytes.length + " bytes)");
        }
        Cursor in = new Cursor(bytes, bytes.length - 4);
        for (byte b : MAGIC) {
            if (in.u8() != (b & 0xFF)) {
                throw new Unusable("not a listing index");
            }
        }
        int version = in.i32();
        if (version != FORMAT_VERSION) {
            throw new Unusable("format version " + version + ", this memsnap reads " + FORMAT_VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != new Cursor(bytes, bytes.length).at(bytes.length - 4).i32()) {
            throw new Unusable("checksum mismatch (damaged or truncated)");
        }
        try {
            return parse(in);
        } catch (IndexOutOfBoundsException | java.time.DateTimeException | IllegalArgumentException
                 | NullPointerException malformed) {
            throw new Unusable("malformed: " + malformed);
        }
    }

    /**
     * Plain arithmetic on the array rather than a {@link java.nio.ByteBuffer}: a fresh process runs this
     * interpreted, where each of a buffer's reads is a deep chain of calls (measured: 130 ms for 10,000 entries
     * against under 30).
     */
    private static final class Cursor {
        private final byte[] b;
        private final int limit;
        private int p;

        Cursor(byte[] b, int limit) {
            this.b = b;
            this.limit = limit;
        }

        Cursor at(int position) {
            p = position;
            return this;
        }

        private int take(int n) {
            int at = p;
            if (n < 0 || at + n > limit) {
                throw new IndexOutOfBoundsException("past the end at " + at);
            }
            p = at + n;
            return at;
        }

        int u8() {
            return b[take(1)] & 0xFF;
        }

        int i32() {
            int i = take(4);
            return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
        }

        long i64() {
            return (long) i32() << 32 | (i32() & 0xFFFFFFFFL);
        }

        String string() {
            int length = (u8() << 8) | u8();
            return new String(b, take(length), length, StandardCharsets.UTF_8);
        }

        /** @return the next snapshot id, checked to be one */
        String id() throws Unusable {
            int at = take(ID_LENGTH);
            if (!isSnapshotId(b, at)) {
                throw new Unusable("an entry at " + at + " is not a snapshot id");
            }
            return new String(b, at, ID_LENGTH, StandardCharsets.ISO_8859_1);
        }

        int count(int minBytesEach) throws Unusable {
            int n = i32();
            if (n < 0 || (long) n * minBytesEach > limit - p) {
                throw new Unusable("a count of " + n + " where " + (limit - p) + " bytes are left");
            }
            return n;
        }

        boolean hasRemaining() {
            return p < limit;
        }
    }

    private static Content parse(Cursor in) throws Unusable {
        DirectoryStamp stamp = new DirectoryStamp(in.i64(), in.i64(), in.string());
        long readAt = in.i64();
        boolean hasDuplicates = (in.u8() & HAS_DUPLICATES) != 0;
        String[] suffixes = new String[in.u8()];
        for (int i = 0; i < suffixes.length; i++) {
            String suffix = in.string();
            int known = dev.memsnap.core.codec.SnapshotCodec.SUFFIXES.indexOf(suffix);
            if (known < 0) {
                throw new Unusable("unknown suffix " + suffix);
            }
            suffixes[i] = dev.memsnap.core.codec.SnapshotCodec.SUFFIXES.get(known);
        }
        String[] memoryIds = new String[in.count(2)];
        for (int i = 0; i < memoryIds.length; i++) {
            memoryIds[i] = in.string();
        }
        int count = in.count(ID_LENGTH + 2);
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.id();
        }
        List<Entry> entries = new ArrayList<>(count);
        EntryReader reader = new EntryReader(in, suffixes, memoryIds, ids);
        for (int i = 0; i < count; i++) {
            entries.add(reader.entry(i));
        }
        if (in.hasRemaining()) {
            throw new Unusable("bytes after the last entry");
        }
        return new Content(stamp, readAt, hasDuplicates, entries);
    }

    /**
     * Reads one entry per call: a method called 10,000 times is compiled after its first few hundred calls, where a
     * loop of 10,000 turns in one method would run interpreted to the end in a fresh process.
     */
    private static final class EntryReader {
        private final Cursor in;
        private final String[] suffixes;
        private final String[] memoryIds;
        private final String[] ids;
        private LocalDate day;

        EntryReader(Cursor in, String[] suffixes, String[] memoryIds, String[] ids) {
            this.in = in;
            this.suffixes = suffixes;
            this.memoryIds = memoryIds;
            this.ids = ids;
        }

        Entry entry(int i) throws Unusable {
            String suffix = suffixes[in.u8()];
            int kind = in.u8();
            if (kind == EXAMINE) {
                return new Entry(ids[i], suffix, null, null);
            }
            if (kind != LISTED) {
                throw new Unusable("entry " + i + " is of no known kind");
            }
            FileVersion fileVersion = new FileVersion(in.i64(), in.i64(), in.i64());
            int epochDay = in.i32();
            if (day == null || day.toEpochDay() != epochDay) {
                day = LocalDate.ofEpochDay(epochDay); // listed newest first, so one day's snapshots come together
            }
            LocalDateTime timestamp = LocalDateTime.of(day, LocalTime.ofNanoOfDay(in.i64()));
            int turns = in.i32();
            int memories = in.i32();
            int topics = in.i32();
            String memoryId = memoryIds[in.i32()];
            int parentAt = in.i32();
            String parent = parentAt == NO_PARENT ? null : parentAt == PARENT_FOLLOWS ? in.string() : ids[parentAt];
            return new Entry(ids[i], suffix, fileVersion,
                    new SnapshotMetadata(ids[i], timestamp, turns, memories, topics, memoryId, parent));
        }
    }

    /** {@code snapshot_\d{8}_\d{6}_[0-9a-f]{8}}, as {@link dev.memsnap.core.format.SnapshotIds} says, on bytes. */
    private static boolean isSnapshotId(byte[] b, int at) {
        for (int i = 0; i < ID_LENGTH; i++) {
            int c = b[at + i];
            boolean ok;
            if (i < PREFIX.length) {
                ok = c == PREFIX[i];
            } else if (i == 17 || i == 24) {
                ok = c == '_';
            } else if (i < 24) {
                ok = c >= '0' && c <= '9';
            } else {
                ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] PREFIX = "snapshot_".getBytes(StandardCharsets.US_ASCII);

    /** An index that cannot be used: made again from the snapshot files. */
    static final class Unusable extends IOException {
        Unusable(String reason) {
            super(reason);
        }
    }
}
