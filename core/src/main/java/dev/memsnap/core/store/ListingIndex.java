package dev.memsnap.core.store;

import dev.memsnap.api.SnapshotMetadata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * and that many bytes of UTF-8. Listed entries come first, newest first, so that a reader need not sort them (an
 * index where they do not is refused as malformed).
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
        byte[] bytes = readWhole(file);
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
     * Through a {@link RandomAccessFile}, which a process started from a jar has loaded and initialised already, where
     * {@link Files#readAllBytes}'s first call loads and initialises some 30 channel classes (3 ms of a fresh process's
     * first listing, hand-run.md section 19).
     */
    private static byte[] readWhole(Path file) throws IOException {
        long size = Files.size(file); // NoSuchFileException when there is none
        if (size > MAX_BYTES) {
            throw new Unusable("larger than " + MAX_BYTES + " bytes");
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) size];
            in.readFully(bytes);
            if (in.read() != -1) {
                throw new Unusable("grew while it was read");
            }
            return bytes;
        } catch (java.io.FileNotFoundException notOpened) { // gone since, or not readable
            if (Files.notExists(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            throw notOpened;
        } catch (java.io.EOFException shrunk) {
            throw new Unusable("shrank while it was read");
        }
    }

    /**
     * Plain arithmetic on the array rather than a {@link java.nio.ByteBuffer}: a fresh process runs this
     * interpreted, where each of a buffer's reads is a deep chain of calls (measured: 130 ms for 10,000 entries
     * against under 30). The header is read field by field; an entry's fixed part is checked to fit once and then
     * read with {@link #i32(byte[], int)} and {@link #i64(byte[], int)} (hand-run.md section 19).
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

        /** @return where the next {@code n} bytes begin, now taken; they are checked to be there */
        int take(int n) {
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
            return ListingIndex.i32(b, take(4));
        }

        long i64() {
            return ListingIndex.i64(b, take(8));
        }

        String string() {
            int length = (u8() << 8) | u8();
            return new String(b, take(length), length, StandardCharsets.UTF_8);
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

    private static int i32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static long i64(byte[] b, int i) {
        return (long) i32(b, i) << 32 | (i32(b, i + 4) & 0xFFFFFFFFL);
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
            // interned: the default memory's id is then the very constant callers compare it with, so a listing's
            // check that every entry is of the memory asked for succeeds at its first, identity test
            memoryIds[i] = in.string().intern();
        }
        int count = in.count(ID_LENGTH + 2);
        String[] ids = new String[count];
        int idsAt = in.take(count * ID_LENGTH);
        for (int i = 0; i < count; i++) {
            ids[i] = id(in.b, idsAt + i * ID_LENGTH);
        }
        Entry[] entries = new Entry[count];
        EntryReader reader = new EntryReader(in, suffixes, memoryIds, ids);
        for (int i = 0; i < count; i++) {
            entries[i] = reader.entry(i);
        }
        if (in.hasRemaining()) {
            throw new Unusable("bytes after the last entry");
        }
        return new Content(stamp, readAt, hasDuplicates, Collections.unmodifiableList(Arrays.asList(entries)));
    }

    /** @return the snapshot id at {@code at}, checked to be one */
    private static String id(byte[] b, int at) throws Unusable {
        if (!isSnapshotId(b, at)) {
            throw new Unusable("an entry at " + at + " is not a snapshot id");
        }
        return new String(b, at, ID_LENGTH, StandardCharsets.ISO_8859_1);
    }

    /** What a {@link #LISTED} entry holds after its suffix and kind: three longs, an int, a long and five ints. */
    private static final int LISTED_BYTES = 3 * 8 + 4 + 8 + 5 * 4;

    /**
     * Reads one entry per call: a method called 10,000 times is compiled after its first few hundred calls, where a
     * loop of 10,000 turns in one method would run interpreted to the end in a fresh process. It also checks the
     * layout's promise that the listed entries come first, newest first, so that a listing need compare none.
     */
    private static final class EntryReader {
        private final Cursor in;
        private final byte[] b;
        private final String[] suffixes;
        private final String[] memoryIds;
        private final String[] ids;
        private LocalDate day;
        private int dayNumber;
        private long lastNanoOfDay;
        private boolean examineSeen;

        EntryReader(Cursor in, String[] suffixes, String[] memoryIds, String[] ids) {
            this.in = in;
            this.b = in.b;
            this.suffixes = suffixes;
            this.memoryIds = memoryIds;
            this.ids = ids;
        }

        Entry entry(int i) throws Unusable {
            int at = in.take(2);
            String suffix = suffixes[b[at] & 0xFF];
            int kind = b[at + 1];
            if (kind == EXAMINE) {
                examineSeen = true;
                return new Entry(ids[i], suffix, null, null);
            }
            if (kind != LISTED) {
                throw new Unusable("entry " + i + " is of no known kind");
            }
            if (examineSeen) {
                throw new Unusable("entry " + i + " is listed after one that is not");
            }
            at = in.take(LISTED_BYTES);
            int epochDay = i32(b, at + 24);
            long nanoOfDay = i64(b, at + 28);
            if (i > 0 && (epochDay > dayNumber || epochDay == dayNumber && (nanoOfDay > lastNanoOfDay
                    || nanoOfDay == lastNanoOfDay && ids[i - 1].compareTo(ids[i]) < 0))) {
                throw new Unusable("entry " + i + " is newer than the one before it");
            }
            if (day == null || dayNumber != epochDay) {
                day = LocalDate.ofEpochDay(epochDay); // listed newest first, so one day's snapshots come together
                dayNumber = epochDay;
            }
            lastNanoOfDay = nanoOfDay;
            LocalDateTime timestamp = LocalDateTime.of(day, LocalTime.ofNanoOfDay(nanoOfDay));
            int parentAt = i32(b, at + 52);
            String parent = parentAt == NO_PARENT ? null : parentAt == PARENT_FOLLOWS ? in.string() : ids[parentAt];
            return new Entry(ids[i], suffix, new FileVersion(i64(b, at), i64(b, at + 8), i64(b, at + 16)),
                    new SnapshotMetadata(ids[i], timestamp, i32(b, at + 36), i32(b, at + 40), i32(b, at + 44),
                            memoryIds[i32(b, at + 48)], parent));
        }
    }

    /** {@code snapshot_\d{8}_\d{6}_[0-9a-f]{8}}, as {@link dev.memsnap.core.format.SnapshotIds} says, on bytes. */
    private static boolean isSnapshotId(byte[] b, int at) {
        for (int i = 0; i < ID_LENGTH; i++) {
            int c = b[at + i];
            if (c < 0 || !ID_BYTES[i << 7 | c]) {
                return false;
            }
        }
        return true;
    }

    /** At {@code position * 128 + c}: whether ASCII {@code c} may stand at that position of a snapshot id. */
    private static final boolean[] ID_BYTES = idBytes();

    private static boolean[] idBytes() {
        byte[] prefix = "snapshot_".getBytes(StandardCharsets.US_ASCII);
        boolean[] allowed = new boolean[ID_LENGTH << 7];
        for (int i = 0; i < ID_LENGTH; i++) {
            for (int c = 0; c < 128; c++) {
                boolean digit = c >= '0' && c <= '9';
                allowed[i << 7 | c] = i < prefix.length ? c == prefix[i]
                        : i == 17 || i == 24 ? c == '_'
                        : i < 24 ? digit
                        : digit || (c >= 'a' && c <= 'f');
            }
        }
        return allowed;
    }

    /** An index that cannot be used: made again from the snapshot files. */
    static final class Unusable extends IOException {
        Unusable(String reason) {
            super(reason);
        }
    }
}
