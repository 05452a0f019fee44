package dev.memsnap.core.codec;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotFormatException;
import dev.memsnap.api.ConfigException;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.testing.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotCodecTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 0);
    private static final MemorySnapshot SMALL = TestSnapshots.snapshot("snapshot_20250426_120000_00000001", T0, 3, 4);
    /** Large enough to span several 64 KiB encryption segments even after compression. */
    private static final MemorySnapshot LARGE = TestSnapshots.awkward("snapshot_20250426_120000_00000002", T0);
    /** memsnap's header and Tink's (its length byte, 32-byte salt and 7-byte nonce prefix). */
    private static final int HEADERS = EncryptedFormat.HEADER_BYTES + 40;

    @TempDir
    Path dir;

    private static SnapshotCodec codec(Compression compression, KeyRing keys) {
        return new SnapshotCodec(new SnapshotJson(), compression, 6, keys == null ? null : () -> keys);
    }

    @Test
    void everyCombinationRoundTripsAndAnyCodecReadsAnyOther() {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        List<SnapshotCodec> codecs = List.of(codec(Compression.NONE, null), codec(Compression.GZIP, null),
                codec(Compression.ZSTD, null), codec(Compression.NONE, keys), codec(Compression.GZIP, keys),
                codec(Compression.ZSTD, keys));
        for (SnapshotCodec writer : codecs) {
            for (MemorySnapshot snapshot : List.of(SMALL, LARGE)) {
                byte[] stored = writer.encode(snapshot);
                for (SnapshotCodec reader : codecs.subList(3, 6)) { // readers with the key read every layer
                    assertEquals(snapshot, reader.decode(stored, "x"), writer.suffix() + " by " + reader.suffix());
                }
            }
        }
    }

    @Test
    void aFailureOfTheStreamBelowALayerIsPassedOnNotCalledDamage() {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        for (SnapshotCodec writer : List.of(codec(Compression.GZIP, null), codec(Compression.ZSTD, null),
                codec(Compression.NONE, keys))) {
            byte[] stored = writer.encode(LARGE);
            for (Exception failure : List.of(new IOException("disk gone"), new IllegalStateException("pool closed"))) {
                java.io.InputStream failing = new java.io.FilterInputStream(new ByteArrayInputStream(stored)) {
                    private int given;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (given > stored.length / 2) {
                            if (failure instanceof IOException io) {
                                throw io;
                            }
                            throw (RuntimeException) failure;
                        }
                        int n = super.read(b, off, Math.min(len, 512));
                        given += Math.max(0, n);
                        return n;
                    }
                };
                Exception thrown = assertThrows(Exception.class,
                        () -> codec(Compression.NONE, keys).openStream(failing, "f").readAllBytes());
                assertTrue(thrown == failure || thrown.getCause() == failure,
                        writer.suffix() + ": " + failure + " became " + thrown);
                assertFalse(thrown instanceof SnapshotFormatException, writer.suffix() + ": " + thrown);
            }
        }
    }

    @Test
    void plainIsTheSeedJsonAndGzipIsStandardGzip() throws IOException {
        byte[] json = new SnapshotJson().toBytes(SMALL);
        assertArrayEquals(json, codec(Compression.NONE, null).encode(SMALL));
        byte[] gz = codec(Compression.GZIP, null).encode(SMALL);
        assertArrayEquals(json, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        assertTrue(gz.length * 3 < json.length, "JSON compresses well: " + gz.length + " of " + json.length);
    }

    @Test
    void encryptedBytesRevealNothingAndDifferEachTime() {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        byte[] one = codec(Compression.NONE, keys).encode(SMALL);
        byte[] two = codec(Compression.NONE, keys).encode(SMALL);
        assertFalse(Arrays.equals(one, two), "fresh salt and nonce per file");
        String text = new String(one, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("snapshot_20250426"));
        assertFalse(text.contains("turn 0"));
    }

    @Test
    void aWrongKeyIsReportedAsSuchNotAsGarbage() {
        byte[] stored = codec(Compression.GZIP, KeyRing.ofKey(KeyRing.generateKey())).encode(SMALL);
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> codec(Compression.NONE, KeyRing.ofKey(KeyRing.generateKey())).decode(stored, "s.json.gz.enc"));
        assertTrue(e.getMessage().startsWith("s.json.gz.enc: wrong key"), e.getMessage());
        SnapshotFormatException noKey = assertThrows(SnapshotFormatException.class,
                () -> SnapshotCodec.plain().decode(stored, "s"));
        assertTrue(noKey.getMessage().contains("no key is configured"), noKey.getMessage());
    }

    @Test
    void everyFlippedBitAndEveryTruncationOfAnEncryptedFileFails() {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec codec = codec(Compression.NONE, keys);
        byte[] stored = codec.encode(LARGE);
        assertTrue(stored.length > 3 * EncryptedFormat.SEGMENT_SIZE);
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < 200; trial++) {
            byte[] tampered = stored.clone();
            int at = trial < HEADERS ? trial : random.nextInt(stored.length); // both headers, then anywhere
            tampered[at] ^= (byte) (1 << random.nextInt(8));
            assertThrows(SnapshotFormatException.class, () -> codec.decode(tampered, "t"), "byte " + at);
        }
        int segment = EncryptedFormat.SEGMENT_SIZE;
        int header = EncryptedFormat.HEADER_BYTES;
        for (int length : new int[] {0, 10, header - 1, header, header + 1, HEADERS - 1, HEADERS, HEADERS + 16,
                header + segment, header + 2 * segment, header + 2 * segment + 5, stored.length - 1}) {
            byte[] cut = Arrays.copyOf(stored, length);
            assertThrows(SnapshotFormatException.class, () -> codec.decode(cut, "t"), "length " + length);
        }
    }

    @Test
    void segmentsCannotBeReorderedOrDropped() {
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        SnapshotCodec codec = codec(Compression.NONE, keys);
        byte[] stored = codec.encode(LARGE);
        int segment = EncryptedFormat.SEGMENT_SIZE;
        int second = EncryptedFormat.HEADER_BYTES + segment; // Tink's first segment holds its header
        assertTrue(stored.length > second + 2 * segment);
        byte[] swapped = stored.clone();
        System.arraycopy(stored, second, swapped, second + segment, segment);
        System.arraycopy(stored, second + segment, swapped, second, segment);
        assertThrows(SnapshotFormatException.class, () -> codec.decode(swapped, "t"));
        byte[] dropped = new byte[stored.length - segment];
        System.arraycopy(stored, 0, dropped, 0, second);
        System.arraycopy(stored, second + segment, dropped, second, stored.length - second - segment);
        assertThrows(SnapshotFormatException.class, () -> codec.decode(dropped, "t"));
        byte[] lastDropped = Arrays.copyOf(stored, second + 2 * segment); // ends at a segment boundary
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> codec.decode(lastDropped, "t"));
        assertTrue(e.getMessage().contains("damaged, tampered with or truncated"), e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsNamed() {
        byte[] stored = codec(Compression.NONE, KeyRing.ofKey(KeyRing.generateKey())).encode(SMALL);
        stored[7] = 9;
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> SnapshotCodec.plain().decode(stored, "v"));
        assertTrue(e.getMessage().contains("format version 9 is not supported"), e.getMessage());
    }

    @Test
    void damagedZstdIsReportedAsDamaged() {
        byte[] zst = codec(Compression.ZSTD, null).encode(LARGE);
        assertEquals("zstd", SnapshotCodec.describe(zst));
        for (int length : new int[] {4, 10, zst.length / 2, zst.length - 1}) {
            byte[] cut = Arrays.copyOf(zst, length);
            SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                    () -> SnapshotCodec.plain().decode(cut, "c.json.zst"), "length " + length);
            assertTrue(e.getMessage().startsWith("c.json.zst: "), e.getMessage());
        }
    }

    @Test
    void sealedZstdIsOneFrameSizedToItsInputThatEveryReaderOpens() {
        byte[] plain = "{\"memory_1\":{\"content\":\"a small chunk, as the incremental store seals\"}}"
                .getBytes(StandardCharsets.UTF_8);
        KeyRing keys = KeyRing.ofKey(KeyRing.generateKey());
        byte[] sealed = codec(Compression.ZSTD, null).seal(plain);
        assertEquals("zstd", SnapshotCodec.describe(sealed));
        // the frame declares its size, so a reader's window is the chunk's
        assertTrue(SnapshotCodec.zstdWindowOf(sealed) <= plain.length, "window " + SnapshotCodec.zstdWindowOf(sealed));
        assertArrayEquals(plain, SnapshotCodec.plain().open(sealed, "s"));
        byte[] encrypted = codec(Compression.ZSTD, keys).seal(plain);
        assertArrayEquals(plain, codec(Compression.NONE, keys).open(encrypted, "e"));
        byte[] cut = Arrays.copyOf(sealed, sealed.length - 1);
        assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.plain().open(cut, "c"));
    }

    @Test
    void damagedGzipIsReportedAsDamaged() {
        byte[] gz = codec(Compression.GZIP, null).encode(LARGE);
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> SnapshotCodec.plain().decode(cut, "c.json.gz"));
        assertTrue(e.getMessage().contains("compressed snapshot is damaged or truncated"), e.getMessage());
        byte[] flipped = gz.clone();
        flipped[gz.length / 2] ^= 0x10;
        assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.plain().decode(flipped, "f"));
    }

    @Test
    void keysComeFromFilesAndVariablesAndAPassphraseStretchesOncePerRing() throws IOException {
        byte[] key = KeyRing.generateKey();
        Path raw = Files.write(dir.resolve("raw.key"), key);
        Path b64 = Files.writeString(dir.resolve("b64.key"), Base64.getEncoder().encodeToString(key) + "\n");
        Map<String, String> env = Map.of("MEMSNAP_KEY", java.util.HexFormat.of().formatHex(key),
                "MEMSNAP_PASS", "correct horse battery staple");
        byte[] stored = codec(Compression.NONE, KeyRing.ofKey(key)).encode(SMALL);
        for (KeySource source : List.of(new KeySource.KeyFile(raw), new KeySource.KeyFile(b64),
                new KeySource.KeyEnv("MEMSNAP_KEY"))) {
            assertEquals(SMALL, codec(Compression.NONE, KeyRing.of(source, List.of(), env)).decode(stored, "x"));
        }

        KeyRing pass = KeyRing.of(new KeySource.PassphraseEnv("MEMSNAP_PASS"), List.of(), env);
        SnapshotCodec passCodec = codec(Compression.GZIP, pass);
        byte[] a = passCodec.encode(SMALL);
        byte[] b = passCodec.encode(LARGE);
        KeyRing fresh = KeyRing.of(new KeySource.PassphraseEnv("MEMSNAP_PASS"), List.of(), env);
        assertEquals(SMALL, codec(Compression.NONE, fresh).decode(a, "a"));
        assertEquals(LARGE, codec(Compression.NONE, fresh).decode(b, "b"));
        KeyRing wrong = KeyRing.of(new KeySource.PassphraseEnv("OTHER"), List.of(),
                Map.of("OTHER", "correct horse battery stapler"));
        assertTrue(assertThrows(SnapshotFormatException.class, () -> codec(Compression.NONE, wrong).decode(a, "a"))
                .getMessage().contains("wrong key: snapshot is encrypted with a passphrase"));
    }

    @Test
    void badKeySourcesFailWithoutShowingTheSecret() throws IOException {
        Path shortKey = Files.writeString(dir.resolve("short.key"), "c2VjcmV0LXRleHQ=");
        ConfigException e = assertThrows(ConfigException.class,
                () -> KeyRing.of(new KeySource.KeyFile(shortKey), List.of(), Map.of()));
        assertTrue(e.getMessage().contains("expected a 256-bit key"), e.getMessage());
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
        assertEquals("key in environment variable NOPE is not set", assertThrows(ConfigException.class,
                () -> KeyRing.of(new KeySource.KeyEnv("NOPE"), List.of(), Map.of())).getMessage());
        assertEquals("key file not found: " + dir.resolve("none"), assertThrows(ConfigException.class,
                () -> KeyRing.of(new KeySource.KeyFile(dir.resolve("none")), List.of(), Map.of())).getMessage());
        KeyRing ring = KeyRing.of(new KeySource.KeyEnv("K"), List.of(),
                Map.of("K", Base64.getEncoder().encodeToString(KeyRing.generateKey())));
        assertEquals("KeyRing[key in environment variable K]", ring.toString());
    }

    @Test
    void aPreviousKeyStillReadsWhileNewSnapshotsUseTheCurrentOne() {
        KeyRing old = KeyRing.ofKey(KeyRing.generateKey());
        KeyRing current = KeyRing.ofKey(KeyRing.generateKey());
        byte[] underOld = codec(Compression.NONE, old).encode(SMALL);
        SnapshotCodec rotating = codec(Compression.NONE, current.readingAlso(old));
        assertEquals(SMALL, rotating.decode(underOld, "old"));
        byte[] rewritten = rotating.encode(SMALL);
        assertEquals(rotating.writeKeyId(), SnapshotCodec.keyIdOf(rewritten));
        assertEquals(SMALL, codec(Compression.NONE, current).decode(rewritten, "new"));
        assertThrows(SnapshotFormatException.class, () -> codec(Compression.NONE, old).decode(rewritten, "new"));
    }
}
