package dev.memsnap.cli;

import dev.memsnap.core.codec.Compression;
import io.airlift.compress.zstd.ZstdCompressor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile files given to a real {@code memsnap} process with a small heap: each is refused with a message and its exit
 * code, never an {@code OutOfMemoryError}.
 */
class HostileInputProcessTest {
    static final String HEAP = "-Xmx256m";
    static final LocalDateTime T = LocalDateTime.of(2025, 3, 1, 12, 0);

    @TempDir
    Path dir;

    record Run(int code, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + code + " in " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs memsnap in a JVM of its own, on this test's class path. */
    static Run memsnap(Path workDir, String... args) throws IOException, InterruptedException {
        return memsnap(List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), workDir, args);
    }

    /** Runs memsnap in a JVM of its own with these JVM options. */
    static Run memsnap(List<String> jvmOptions, Path workDir, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemsnapCli.class.getName()));
        command.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("memsnap " + String.join(" ", args) + " still running after 120 s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err), millis);
    }

    /**
     * @return gzip members, each 64 MiB of spaces, concatenated to make {@code mebibytes} of output: white space a
     *         JSON parser reading as it decompresses accepts and goes on reading, so only the bomb bound stops it
     */
    static byte[] gzipBomb(int mebibytes) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(member, 1 << 16)) {
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                gzip.write(spaces);
            }
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        for (int i = 0; i < mebibytes / 64; i++) {
            member.writeTo(bomb);
        }
        return bomb.toByteArray();
    }

    /** @return zstd frames, each 64 MiB of spaces, concatenated to make {@code mebibytes} of output */
    static byte[] zstdBomb(int mebibytes) {
        byte[] spaces = new byte[64 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        ZstdCompressor compressor = new ZstdCompressor();
        byte[] frame = new byte[compressor.maxCompressedLength(spaces.length)];
        int length = compressor.compress(spaces, 0, spaces.length, frame, 0, frame.length);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        for (int i = 0; i < mebibytes / 64; i++) {
            bomb.write(frame, 0, length);
        }
        return bomb.toByteArray();
    }

    @Test
    void showOfAGzipBombIsRefusedUnderASmallHeap() throws Exception {
        byte[] bomb = gzipBomb(16 * 1024); // 16 GiB of spaces, past the 1 GiB document limit
        Path file = dir.resolve("bomb.json.gz");
        Files.write(file, bomb);
        Run run = memsnap(dir, "show", file.toString());
        assertEquals(ExitCodes.DAMAGED, run.code(), run.toString());
        assertTrue(run.err().contains("decompression bomb"), run.toString());
        assertFalse(run.err().contains("OutOfMemoryError"), run.toString());
        System.out.printf("FIGURE show of a %d KB gzip bomb (16 GiB of spaces) under %s: exit %d in %d ms%n",
                bomb.length / 1000, HEAP, run.code(), run.millis());
    }

    @Test
    void listOfAStoreHoldingAZstdBombListsTheRest() throws Exception {
        Path store = dir.resolve("store");
        String good = Fixtures.id(T, 1);
        Fixtures.store(store, Fixtures.codec(Compression.NONE, null))
                .save(Fixtures.snapshot(good, T, List.of(), Map.of()));
        byte[] bomb = zstdBomb(1024); // 1 GiB of spaces, the document limit
        Files.write(store.resolve(Fixtures.id(T.plusMinutes(1), 2) + ".json.zst"), bomb);
        Run run = memsnap(dir, "list", "--json", "--dir", store.toString());
        assertEquals(ExitCodes.DAMAGED, run.code(), run.toString());
        assertEquals(List.of(good), Fixtures.ids(run.out()), run.toString());
        assertTrue(run.err().contains("decompression bomb"), run.toString());
        assertFalse(run.err().contains("OutOfMemoryError"), run.toString());
        System.out.printf("FIGURE list of a store holding a %d KB zstd bomb (1 GiB) under %s: exit %d in %d ms%n",
                bomb.length / 1000, HEAP, run.code(), run.millis());
    }

    @Test
    void aLargeOrdinarySnapshotStillShowsUnderTheSameHeap() throws Exception {
        // 40 MB of JSON, compressed about 12 times as text is: past the floor, within the ratio.
        Path store = dir.resolve("store");
        String id = Fixtures.id(T, 3);
        Object[] memories = new Object[2 * 20_000];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < 1_500) {
                text.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36)).append(' ');
            }
            memories[2 * i] = "m" + i;
            memories[2 * i + 1] = new dev.memsnap.api.Memory(text.toString(), T, 0.5, Map.of("source_type", "fact"));
        }
        Fixtures.store(store, Fixtures.codec(Compression.GZIP, null))
                .save(Fixtures.snapshot(id, T, List.of(), Fixtures.memories(memories)));
        Path file = store.resolve(id + ".json.gz");
        // decoded whole and shown in brief: what the limit must let through; printing all 30 MB again as JSON would
        // measure the output's copy of it, not the decoder
        Run run = memsnap(dir, "show", file.toString());
        assertEquals(0, run.code(), run.toString().substring(0, Math.min(2_000, run.toString().length())));
        assertTrue(run.out().contains(id));
        assertTrue(run.out().contains("20000"), run.out().substring(0, Math.min(2_000, run.out().length())));
        System.out.printf("FIGURE show of an ordinary %d KB gzip snapshot under %s: exit 0 in %d ms%n",
                Files.size(file) / 1000, HEAP, run.millis());

        // The same under a heap too small for it: an internal error, exit 70, never 1 ("damaged or different").
        Run starved = memsnap(List.of("-Xmx48m"), dir, "show", file.toString(), "--json");
        assertEquals(ExitCodes.INTERNAL, starved.code(), starved.err());
        assertTrue(starved.err().contains("memsnap: internal error: java.lang.OutOfMemoryError"), starved.err());
        assertTrue(new String(Files.readAllBytes(file), 0, 2, StandardCharsets.ISO_8859_1).startsWith("\u001f"));
    }

    @Test
    void aLargeEncryptedSnapshotVerifiesInAHeapOfTwiceItsText() throws Exception {
        // 48 MiB of text in 16 memories, encrypted: decryption, decompression and the JSON reader all stream, so
        // the heap needs the snapshot itself and little more (holding the document whole took about five times it)
        Path store = dir.resolve("encrypted");
        Path key = dir.resolve("big.key");
        Fixtures.keyFile(key);
        String id = Fixtures.id(T, 5);
        Object[] memories = new Object[2 * 16];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 16; i++) {
            StringBuilder text = new StringBuilder(3 << 20);
            while (text.length() < 3 << 20) {
                text.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36)).append(' ');
            }
            memories[2 * i] = "m" + i;
            memories[2 * i + 1] = new dev.memsnap.api.Memory(text.toString(), T, 0.5, Map.of("source_type", "fact"));
        }
        Fixtures.store(store, Fixtures.codec(Compression.NONE, Fixtures.ring(key)))
                .save(Fixtures.snapshot(id, T, List.of(), Fixtures.memories(memories)));
        Run run = memsnap(List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"), dir, "verify", "--dir",
                store.toString(), "--key-file", key.toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("verified 1 snapshot"), run.toString());
        System.out.printf("FIGURE verify of a %d MB encrypted snapshot under -Xmx96m: exit 0 in %d ms%n",
                Files.size(store.resolve(id + ".json.enc")) / 1_000_000, run.millis());
    }

    /** A FIFO nobody writes to: opening it for reading blocks until a writer comes. */
    private Path fifo(String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        return fifo;
    }

    /** @return an encrypted snapshot file, and the key file (mode 600) it is encrypted with */
    private Path[] encryptedSnapshot() throws IOException {
        Path key = dir.resolve("key");
        Fixtures.keyFile(key);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path store = dir.resolve("encrypted");
        String id = Fixtures.id(T, 9);
        Fixtures.store(store, Fixtures.codec(Compression.NONE, Fixtures.ring(key)))
                .save(Fixtures.snapshot(id, T, List.of(), Map.of()));
        return new Path[] {store.resolve(id + ".json.enc"), key};
    }

    @Test
    void keyFilesThatAreNotSmallRegularFilesAreRefused() throws Exception {
        Path[] encrypted = encryptedSnapshot();
        Path sparse = dir.resolve("huge-key");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(3L << 30); // 3 GiB, sparse
        }
        for (String key : List.of("/dev/zero", fifo("key-fifo").toString(), sparse.toString(), dir.toString())) {
            Run run = memsnap(dir, "show", encrypted[0].toString(), "--key-file", key);
            assertEquals(ExitCodes.USAGE, run.code(), key + ": " + run);
            assertTrue(run.err().contains("key file " + key + " is "), key + ": " + run);
            assertTrue(run.millis() < 30_000, key + ": " + run);
        }
        Run run = memsnap(dir, "show", encrypted[0].toString(), "--key-file", encrypted[1].toString());
        assertEquals(0, run.code(), run.toString());
        assertFalse(run.err().contains("accessible by others"), run.toString());
    }

    @Test
    void aKeyFileOthersCanReadIsWarnedAbout() throws Exception {
        Path[] encrypted = encryptedSnapshot();
        Files.setPosixFilePermissions(encrypted[1], java.nio.file.attribute.PosixFilePermissions.fromString(
                "rw-r--r--"));
        Run run = memsnap(dir, "show", encrypted[0].toString(), "--key-file", encrypted[1].toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.err().contains("Key file " + encrypted[1] + " is accessible by others (permissions "
                + "rw-r--r--)"), run.toString());
    }

    @Test
    void aFifoGivenAsASnapshotFileIsRefused() throws Exception {
        Path fifo = fifo("snapshot_fifo.json");
        Run show = memsnap(dir, "show", fifo.toString());
        assertEquals(ExitCodes.DAMAGED, show.code(), show.toString());
        assertTrue(show.err().contains("not a regular file"), show.toString());
        Run diff = memsnap(dir, "diff", fifo.toString(), fifo.toString());
        assertEquals(ExitCodes.DAMAGED, diff.code(), diff.toString());
        Run imported = memsnap(dir, "import", fifo.toString(), "--dir", dir.resolve("target").toString());
        assertEquals(ExitCodes.DAMAGED, imported.code(), imported.toString());
        assertTrue(imported.err().contains("not a regular file"), imported.toString());
        System.out.printf("FIGURE a FIFO as a snapshot file: show, diff, import refused in %d, %d, %d ms%n",
                show.millis(), diff.millis(), imported.millis());
    }
}
