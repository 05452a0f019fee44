package dev.memsnap.benchmarks;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.api.store.SnapshotStore;
import dev.memsnap.core.codec.Compression;
import dev.memsnap.core.codec.KeyRing;
import dev.memsnap.core.codec.SnapshotCodec;
import dev.memsnap.core.format.SnapshotJson;
import dev.memsnap.core.format.Snapshots;
import dev.memsnap.core.store.FileStores;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saving and loading one large encrypted snapshot through the file store, as a plain program run by hand under a
 * small {@code -Xmx} (issue #18: encryption in bounded memory): written against core's public API only, so that the
 * same source runs against an older core for a before/after figure.
 * <pre>
 * java -Xmx256m -cp ... dev.memsnap.benchmarks.EncryptedHeapProbe save DIR MIB [gzip|zstd|none]
 * java -Xmx256m -cp ... dev.memsnap.benchmarks.EncryptedHeapProbe load DIR
 * java -cp ... dev.memsnap.benchmarks.EncryptedHeapProbe throughput MIB ROUNDS
 * </pre>
 * {@code save} writes a snapshot of 16 memories holding {@code MIB} MiB of text in all (so the snapshot object itself
 * takes about {@code MIB} MiB of heap), encrypted under a fixed test key; {@code load} reads it back and checks its
 * size. Each prints one line and exits 0, or dies with {@code OutOfMemoryError} (exit 3 with
 * {@code -XX:+ExitOnOutOfMemoryError}). {@code throughput} times encrypting and decrypting {@code MIB} MiB of JSON in
 * memory (uncompressed, so only the cipher and the copies count), best of {@code ROUNDS} after as many warm-ups.
 */
public final class EncryptedHeapProbe {
    private static final String ID = "snapshot_20260101_000000_0000abcd";
    private static final LocalDateTime T = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final int PARTS = 16;

    private EncryptedHeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "save" -> save(Path.of(args[1]), Integer.parseInt(args[2]),
                    args.length > 3 ? Compression.parse(args[3]) : Compression.NONE);
            case "load" -> load(Path.of(args[1]));
            case "throughput" -> throughput(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("save, load or throughput");
        }
    }

    private static SnapshotCodec codec(Compression compression) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        KeyRing ring = KeyRing.ofKey(key);
        return new SnapshotCodec(new SnapshotJson(), compression, 1, () -> ring);
    }

    static MemorySnapshot snapshot(int mebibytes) {
        Map<String, Memory> memories = new LinkedHashMap<>();
        int each = (int) ((long) mebibytes * (1 << 20) / PARTS);
        StringBuilder text = new StringBuilder(each);
        java.util.Random random = new java.util.Random(7);
        while (text.length() < each) {
            text.append("word").append(random.nextInt(100_000)).append(' ');
        }
        String content = text.substring(0, each);
        for (int i = 0; i < PARTS; i++) {
            // one string shared by all: the heap holds it once, the file sixteen times
            memories.put("memory_" + i, Memory.of(content, T, 0.5, "fact", List.of("probe")));
        }
        return Snapshots.of(ID, T, List.of(new Turn("user", "hello")), T, memories, null);
    }

    private static void save(Path dir, int mebibytes, Compression compression) {
        MemorySnapshot snapshot = snapshot(mebibytes * PARTS / PARTS);
        SnapshotStore store = FileStores.open(dir, codec(compression));
        store.start();
        long start = System.nanoTime();
        store.save(snapshot);
        System.out.printf("saved %d MiB snapshot in %d ms, heap max %d MiB%n", mebibytes,
                (System.nanoTime() - start) / 1_000_000, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void load(Path dir) throws Exception {
        SnapshotStore store = FileStores.open(dir, codec(Compression.NONE));
        long start = System.nanoTime();
        MemorySnapshot snapshot = store.read(ID).orElseThrow();
        long chars = snapshot.longTerm().memories().values().stream().mapToLong(m -> m.content().length()).sum();
        long fileBytes;
        try (var files = Files.list(dir)) {
            fileBytes = files.filter(f -> f.getFileName().toString().startsWith(ID))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("loaded %d MiB of memories from a %d MiB file in %d ms, heap max %d MiB%n", chars >> 20,
                fileBytes >> 20, (System.nanoTime() - start) / 1_000_000, Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Discards what is written, counting it. */
    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static void throughput(int mebibytes, int rounds) throws Exception {
        SnapshotCodec codec = codec(Compression.NONE);
        SnapshotCodec plain = SnapshotCodec.plain();
        MemorySnapshot snapshot = snapshot(mebibytes);
        byte[] json = plain.encode(snapshot);
        byte[] stored = codec.encode(snapshot);
        double bestPlainWrite = Double.MAX_VALUE;
        double bestWrite = Double.MAX_VALUE;
        double bestPlainRead = Double.MAX_VALUE;
        double bestRead = Double.MAX_VALUE;
        for (int round = 0; round < 2 * rounds; round++) {
            long t0 = System.nanoTime();
            plain.encode(snapshot, new Counting());
            long t1 = System.nanoTime();
            codec.encode(snapshot, new Counting());
            long t2 = System.nanoTime();
            plain.read(new ByteArrayInputStream(json), "json");
            long t3 = System.nanoTime();
            codec.read(new ByteArrayInputStream(stored), "stored");
            long t4 = System.nanoTime();
            if (round >= rounds) {
                bestPlainWrite = Math.min(bestPlainWrite, (t1 - t0) / 1e9);
                bestWrite = Math.min(bestWrite, (t2 - t1) / 1e9);
                bestPlainRead = Math.min(bestPlainRead, (t3 - t2) / 1e9);
                bestRead = Math.min(bestRead, (t4 - t3) / 1e9);
            }
        }
        double mb = json.length / 1e6;
        System.out.printf("%.0f MB of JSON: encode plain %.0f MB/s, encrypted %.0f MB/s; read plain %.0f MB/s, "
                + "encrypted %.0f MB/s%n", mb, mb / bestPlainWrite, mb / bestWrite, mb / bestPlainRead,
                mb / bestRead);
    }
}
