package dev.memsnap.core.store;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotStoreException;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file store's listing index and the rule by which a listing trusts the directory's stamp: real files in a
 * temporary directory, several store instances on it as several processes would have.
 */
class ListingIndexTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 0, 0);
    /** A stamp trusted as soon as it is read: lets a test see the index or the memory serve a listing. */
    private static final long AT_ONCE = 0;

    @TempDir
    Path dir;

    private static String id(int n) {
        return String.format("snapshot_20250426_1200%02d_%08x", n % 60, n);
    }

    private static MemorySnapshot snapshot(int n, int turns) {
        return TestSnapshots.snapshot(id(n), T0.plusSeconds(n), turns, 1);
    }

    private FileSnapshotStore started(long settling) {
        FileSnapshotStore store = new FileSnapshotStore(dir, SnapshotCodec.plain(), settling);
        store.start();
        return store;
    }

    private FileSnapshotStore unstarted(long settling) {
        return new FileSnapshotStore(dir, SnapshotCodec.plain(), settling);
    }

    private Path index() {
        return dir.resolve(".memsnap").resolve(ListingIndex.FILE);
    }

    private static List<Integer> turns(List<SnapshotMetadata> listing) {
        return listing.stream().map(SnapshotMetadata::shortTermTurns).toList();
    }

    /** Replaces a file's bytes in place: same name, same inode, the directory untouched. */
    private void rewriteInPlace(int n, int turns) throws IOException {
        Files.write(dir.resolve(id(n) + ".json"), new SnapshotJson().toBytes(snapshot(n, turns)));
    }

    /** Three snapshots with 1, 2 and 3 turns, listed by a started store, so that the index holds them. */
    private FileSnapshotStore threeListed(long settling) {
        FileSnapshotStore store = started(settling);
        for (int n = 1; n <= 3; n++) {
            store.save(snapshot(n, n));
        }
        assertEquals(List.of(3, 2, 1), turns(store.list()));
        return store;
    }

    @Test
    void theIndexOutlivesTheStoreAndServesTheNextOneUntilTheDirectoryChanges() throws IOException {
        threeListed(AT_ONCE);
        ListingIndex.Content content = ListingIndex.read(index());
        assertEquals(List.of(id(3), id(2), id(1)), content.entries().stream().map(ListingIndex.Entry::id).toList());
        assertTrue(content.entries().stream().allMatch(ListingIndex.Entry::listed));

        DirectoryStamp before = DirectoryStamp.of(dir);
        rewriteInPlace(1, 7);
        assertEquals(before, DirectoryStamp.of(dir), "an in-place rewrite leaves the directory as it was");
        SnapshotStore next = unstarted(AT_ONCE);
        assertEquals(List.of(3, 2, 1), turns(next.list()), "the next store lists from the index, reading no file");

        Files.setLastModifiedTime(dir, FileTime.from(Instant.now())); // the documented way to have files looked at
        assertEquals(List.of(3, 2, 7), turns(next.list()));
        assertEquals(List.of(3, 2, 7), turns(unstarted(AT_ONCE).list()));
    }

    /** Kinds of damage to an index file. */
    enum Damage {
        FLIPPED_BYTE, TRUNCATED, UNKNOWN_VERSION, EMPTY, NOT_AN_INDEX
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedIndexIsNotUsedAndIsMadeAgainFromTheFiles(Damage damage) throws IOException {
        threeListed(AT_ONCE);
        writeLyingIndex(index());
        assertEquals(List.of(99, 99, 99), turns(unstarted(AT_ONCE).list()),
                "the index as written is used (so a damaged one that were used would show)");

        byte[] bytes = Files.readAllBytes(index());
        Files.write(index(), switch (damage) {
            case FLIPPED_BYTE -> {
                bytes[bytes.length / 2] ^= 0x10;
                yield bytes;
            }
            case TRUNCATED -> Arrays.copyOf(bytes, bytes.length - 20);
            case UNKNOWN_VERSION -> withVersion(bytes, ListingIndex.FORMAT_VERSION + 1);
            case EMPTY -> new byte[0];
            case NOT_AN_INDEX -> "{\"snapshot_20250426_120001_00000001.json\": {}}".getBytes(StandardCharsets.UTF_8);
        });

        assertEquals(List.of(3, 2, 1), turns(started(AT_ONCE).list()));
        ListingIndex.Content remade = ListingIndex.read(index());
        assertEquals(List.of(3, 2, 1), remade.entries().stream().map(e -> e.metadata().shortTermTurns()).toList());
        assertEquals(DirectoryStamp.of(dir), remade.stamp());
    }

    /**
     * An index whose checksum is right but whose entries break the layout's order (listed entries first, newest first)
     * is refused whole, since its reader's listing compares no entries, and the listing is made from the files.
     */
    @Test
    void anIndexOutOfOrderIsRefusedAndTheListingMadeFromTheFiles() throws IOException {
        threeListed(AT_ONCE);
        ListingIndex.Content content = ListingIndex.read(index());
        List<ListingIndex.Entry> entries = content.entries();
        List<ListingIndex.Entry> oldestFirst = List.of(entries.get(2), entries.get(1), entries.get(0));
        List<ListingIndex.Entry> nameBeforeListed = List.of(
                new ListingIndex.Entry(entries.get(0).id(), entries.get(0).suffix(), null, null),
                entries.get(1), entries.get(2));
        for (List<ListingIndex.Entry> disorder : List.of(oldestFirst, nameBeforeListed)) {
            ListingIndex.write(index(), new ListingIndex.Content(content.stamp(), content.readAtNanos(), false,
                    disorder.stream().map(ListingIndexTest::withNinetyNineTurns).toList()));
            assertThrows(ListingIndex.Unusable.class, () -> ListingIndex.read(index()));
            assertEquals(List.of(3, 2, 1), turns(unstarted(AT_ONCE).list()), "what the files say, newest first");
        }
    }

    private static ListingIndex.Entry withNinetyNineTurns(ListingIndex.Entry e) {
        if (!e.listed()) {
            return e;
        }
        SnapshotMetadata m = e.metadata();
        return new ListingIndex.Entry(e.id(), e.suffix(), e.version(), new SnapshotMetadata(m.snapshotId(),
                m.timestamp(), 99, m.longTermMemories(), m.topics(), m.memoryId(), m.parentSnapshotId()));
    }

    /** Rewrites the index as it is but for 99 turns in every entry: what no file says. */
    private static void writeLyingIndex(Path index) throws IOException {
        ListingIndex.Content content = ListingIndex.read(index);
        List<ListingIndex.Entry> lies = content.entries().stream().map(ListingIndexTest::withNinetyNineTurns).toList();
        ListingIndex.write(index, new ListingIndex.Content(content.stamp(), content.readAtNanos(),
                content.hasDuplicates(), lies));
    }

    /** The same index with another format version and a checksum that matches it: only the version is wrong. */
    private static byte[] withVersion(byte[] bytes, int version) {
        byte[] changed = bytes.clone();
        ByteBuffer.wrap(changed).putInt(8, version);
        CRC32 crc = new CRC32();
        crc.update(changed, 0, changed.length - 4);
        ByteBuffer.wrap(changed).putInt(changed.length - 4, (int) crc.getValue());
        return changed;
    }

    @Test
    void whatAnotherStoreOrAPersonAddsOrRemovesShowsInTheNextListing() throws Exception {
        long settling = TimeUnit.MILLISECONDS.toNanos(50);
        FileSnapshotStore listing = started(settling);
        listing.save(snapshot(1, 1));
        listing.save(snapshot(2, 2));
        Thread.sleep(100); // past the settling time, so that the listing below is trusted while nothing changes
        List<SnapshotMetadata> first = listing.list();
        assertEquals(List.of(id(2), id(1)), ids(first));
        assertSame(first, listing.list(), "an unchanged directory is not read again");

        SnapshotStore other = new FileSnapshotStore(dir, SnapshotCodec.plain());
        other.start();
        other.save(snapshot(3, 3));
        assertEquals(List.of(id(3), id(2), id(1)), ids(listing.list()), "saved by another store instance");
        Thread.sleep(100);
        listing.list();
        assertTrue(other.delete(id(1)));
        assertEquals(List.of(id(3), id(2)), ids(listing.list()), "deleted by another store instance");

        Thread.sleep(100);
        listing.list();
        Files.write(dir.resolve(id(4) + ".json"), new SnapshotJson().toBytes(snapshot(4, 4)));
        assertEquals(List.of(id(4), id(3), id(2)), ids(listing.list()), "a file copied in by hand");
        Thread.sleep(100);
        listing.list();
        Files.delete(dir.resolve(id(3) + ".json"));
        assertEquals(List.of(id(4), id(2)), ids(listing.list()), "a file removed by hand");
        Thread.sleep(100);
        listing.list();
        Files.move(dir.resolve(id(2) + ".json"), dir.resolve(id(2) + ".json.bak"));
        assertEquals(List.of(id(4)), ids(listing.list()), "a file renamed away by hand");
    }

    @Test
    void aChangeThatLeavesTheStampAsItWasIsSeenWhileTheStampIsRecent() throws IOException {
        FileSnapshotStore store = threeListed(DirectoryStamp.SETTLING);
        DirectoryStamp before = DirectoryStamp.of(dir);
        rewriteInPlace(2, 5); // as two changes within one tick of a coarse clock leave one stamp
        assertEquals(before, DirectoryStamp.of(dir));
        assertEquals(List.of(3, 5, 1), turns(store.list()), "this store's memory");
        assertEquals(List.of(3, 5, 1), turns(unstarted(DirectoryStamp.SETTLING).list()), "the index on disk");
    }

    @Test
    void aStoreOnlyReadWritesNothing() throws IOException {
        threeListed(AT_ONCE);
        Files.delete(index());
        Map<String, byte[]> before = tree();
        SnapshotStore readOnly = FileStores.open(dir, SnapshotCodec.plain()); // as a command that only reads opens it
        assertEquals(3, readOnly.list().size());
        assertEquals(3, readOnly.list("default").size());
        assertEquals(3, readOnly.inventory().size());
        assertEquals(3, readOnly.storedIds().size());
        assertTrue(readOnly.read(id(1)).isPresent());
        assertTrue(readOnly.verify(id(2)).intact());
        assertTreeEquals(before, tree());

        started(AT_ONCE).list(); // an index again, then a change it does not know of
        Files.write(dir.resolve(id(4) + ".json"), new SnapshotJson().toBytes(snapshot(4, 4)));
        before = tree();
        assertEquals(4, FileStores.open(dir, SnapshotCodec.plain()).list().size());
        assertTreeEquals(before, tree());
    }

    private Map<String, byte[]> tree() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p) + "@" + Files.getLastModifiedTime(p).toMillis(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertTreeEquals(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    @Test
    void aSymbolicLinkInPlaceOfTheHiddenFolderIsNeitherReadNorWrittenThrough(@TempDir Path elsewhere)
            throws IOException {
        threeListed(AT_ONCE);
        Path outside = elsewhere.resolve("meta");
        Files.move(dir.resolve(".memsnap"), outside);
        Files.createSymbolicLink(dir.resolve(".memsnap"), outside);
        writeLyingIndex(outside.resolve(ListingIndex.FILE));
        byte[] planted = Files.readAllBytes(outside.resolve(ListingIndex.FILE));
        String[] outsideBefore = outside.toFile().list();

        assertEquals(List.of(3, 2, 1), turns(unstarted(AT_ONCE).list()), "an index behind a link is not read");
        FileSnapshotStore store = new FileSnapshotStore(dir, SnapshotCodec.plain(), AT_ONCE);
        assertThrows(SnapshotStoreException.class, store::start);
        assertThrows(SnapshotStoreException.class, () -> store.save(snapshot(4, 4)));
        assertEquals(List.of(3, 2, 1), turns(store.list()));
        assertArrayEquals(planted, Files.readAllBytes(outside.resolve(ListingIndex.FILE)));
        assertEquals(Arrays.asList(outsideBefore), Arrays.asList(outside.toFile().list()));
    }

    @Test
    void whatAnEncryptedSnapshotHoldsNeverReachesTheIndex() throws IOException {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec withKey = new SnapshotCodec(new SnapshotJson(), Compression.NONE, 6, () -> keys);
        String secretMemory = "memory-only-the-key-holder-may-see";
        String secretParent = "snapshot_20250101_000000_5ec2e7aa";
        FileSnapshotStore encrypted = new FileSnapshotStore(dir, withKey, AT_ONCE);
        encrypted.start();
        encrypted.save(snapshot(1, 1).withLineage(secretMemory, secretParent));
        started(AT_ONCE).save(snapshot(2, 2));
        assertEquals(List.of(id(2), id(1)), ids(encrypted.list()));

        byte[] index = Files.readAllBytes(index());
        String text = new String(index, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(secretMemory), "the memory id of an encrypted snapshot");
        assertFalse(text.contains(secretParent), "its parent");
        ListingIndex.Entry entry = ListingIndex.read(index()).entries().stream()
                .filter(e -> e.id().equals(id(1))).findFirst().orElseThrow();
        assertEquals(".json.enc", entry.suffix());
        assertFalse(entry.listed(), "named, so that it is listed, but with nothing it holds");

        FileSnapshotStore next = new FileSnapshotStore(dir, withKey, AT_ONCE);
        assertEquals(List.of(id(2), id(1)), ids(next.list()), "with the key, a fresh store reads it");
        assertEquals(secretMemory, next.list().get(1).memoryId());
        assertEquals(List.of(id(2)), ids(unstarted(AT_ONCE).list()), "without the key, it is not listed");
    }

    @Test
    void anIndexReadsBackAsWritten() throws IOException {
        ListingIndex.FileVersion version = new ListingIndex.FileVersion(123, 456_789, -42);
        List<ListingIndex.Entry> entries = List.of(
                new ListingIndex.Entry(id(3), ".json", version, new SnapshotMetadata(id(3),
                        LocalDateTime.of(2025, 4, 27, 0, 0, 0, 1), 3, 2, 1, "ünïcode 記憶", id(1))),
                new ListingIndex.Entry(id(1), ".json.gz", version, new SnapshotMetadata(id(1),
                        LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999), 0, 0, 0, "default", id(9))),
                new ListingIndex.Entry(id(2), ".json.zst.enc", null, null),
                new ListingIndex.Entry(id(1), ".json", null, null));
        ListingIndex.Content content = new ListingIndex.Content(new DirectoryStamp(1, 2, "7/8"), 3, true, entries);
        Path file = dir.resolve("x.idx");
        ListingIndex.write(file, content);
        assertEquals(content, ListingIndex.read(file));
    }

    private static List<String> ids(List<SnapshotMetadata> listing) {
        return listing.stream().map(SnapshotMetadata::snapshotId).toList();
    }
}
