package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made hostile files aimed at the loader's limits: decompression bombs, frames that lie about their size, deep
 * nesting, huge numbers, impossible spans of time, text in an unexpected encoding. Each is refused with a
 * {@link SnapshotFormatException} (or loads, where it is a valid snapshot), quickly and within memory bounds. The
 * disabled ones are bugs found by this suite, reported in issue 8, each in its smallest form.
 */
class CraftedHostileFileTest {
    private static final SnapshotCodec CODEC = SnapshotCodec.plain();
    private static final Duration QUICK = Duration.ofSeconds(20);

    @Test
    void zstdBombBeyondTheDocumentLimitIsRefused() {
        // A frame with no declared size whose RLE blocks expand 4 bytes to 128 KiB each: 1.25 GiB from 40 KB.
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(HexFormat.of().parseHex("28b52ffd" + "00" + "38")); // magic, no size, window 128 KiB
        int blocks = 10_000;
        for (int i = 0; i < blocks; i++) {
            int header = (i == blocks - 1 ? 1 : 0) | (1 << 1) | (128 * 1024 << 3); // last?, RLE, size
            frame.write(header & 0xff);
            frame.write((header >>> 8) & 0xff);
            frame.write((header >>> 16) & 0xff);
            frame.write(' ');
        }
        byte[] bomb = frame.toByteArray();
        SnapshotFormatException refused = assertTimeoutPreemptively(QUICK,
                () -> assertThrows(SnapshotFormatException.class, () -> CODEC.decode(bomb, "bomb")));
        assertTrue(refused.getMessage().contains("limit"), refused.getMessage());
    }

    @Test
    void zstdFrameDeclaringMoreThanTheLimitIsRefusedWithoutAllocating() {
        byte[] liar = HexFormat.of().parseHex("28b52ffd" + "a0" + "00000050" + "010000"); // declares 1.25 GiB
        long allocated = allocatedBy(() -> assertThrows(SnapshotFormatException.class, () -> CODEC.decode(liar, "x")));
        assertTrue(allocated < 64L << 20, "allocated " + allocated);
    }

    @Test
    void zstdFrameLyingAboutItsSizeCostsNoMoreThanItsContent() {
        byte[] liar = HexFormat.of().parseHex("28b52ffd" + "a0" + "00000030" + "010000"); // declares 768 MiB
        long allocated = allocatedBy(() -> assertThrows(SnapshotFormatException.class, () -> CODEC.decode(liar, "x")));
        assertTrue(allocated < 64L << 20, "a 16-byte file made the loader allocate " + allocated + " bytes");
    }

    @Test
    void deepNestingIsRefusedByTheNestingLimit() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        byte[] json = seedWith("\"metadata\": {", "\"metadata\": {\"deep\": " + deep + ", ");
        assertThrows(SnapshotFormatException.class, () -> CODEC.decode(json, "deep"));
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        for (String number : new String[] {"1e999", "-1e999", "1" + "0".repeat(5000)}) {
            byte[] json = seedWith("\"importance\": 0.8", "\"importance\": " + number);
            assertThrows(SnapshotFormatException.class, () -> CODEC.decode(json, number.substring(0, 5)));
        }
    }

    @Test
    void textInAnotherEncodingIsRefusedAsAFormatError() {
        byte[] utf32 = HexFormat.of().parseHex("7b000000" + "00ea0d20");
        assertThrows(SnapshotFormatException.class, () -> CODEC.decode(utf32, "utf32"));
    }

    @Test
    void textInAnotherEncodingIsRefusedByTheListingReadToo() {
        byte[] utf32 = HexFormat.of().parseHex("7b000000" + "00ea0d20");
        assertThrows(SnapshotFormatException.class,
                () -> CODEC.readMetadata(new java.io.ByteArrayInputStream(utf32), "utf32"));
    }

    @Test
    void aSessionCenturiesLongLoads() {
        byte[] json = seedWith("\"session_start\": \"2025-04-26T12:00:00.000000\"",
                "\"session_start\": \"1700-01-01T00:00:00\"");
        MemorySnapshot snapshot = CODEC.decode(json, "old session");
        assertTrue(snapshot.memoryStats().shortTerm().sessionDuration() > 0);
    }

    private static byte[] seedWith(String find, String replacement) {
        String seed = new String(TestSnapshots.seedSnapshotJson(), StandardCharsets.UTF_8);
        assertTrue(seed.contains(find), "the seed fixture has no " + find);
        return seed.replaceFirst(java.util.regex.Pattern.quote(find),
                java.util.regex.Matcher.quoteReplacement(replacement)).getBytes(StandardCharsets.UTF_8);
    }

    private static long allocatedBy(Runnable action) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
