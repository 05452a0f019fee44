package dev.memsnap.reliability;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.core.codec.SnapshotCodec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the loader must do with any input, judged: return a valid snapshot or refuse with the project's own
 * {@link SnapshotException}; never another exception, never longer than {@link #TIME_LIMIT}, never allocating more than
 * {@link #ALLOCATION_LIMIT} for an input of at most {@link HostileInputs#MAX_BYTES}. Both the full read and the
 * listing read ({@code readMetadata}) are judged, and where the full read accepts, the listing must agree with it.
 * A failure that is one of the {@link KnownBugs} is counted instead, unless the run is strict.
 * Each input runs on a worker thread, so that a hang is reported rather than waited for; a failing input is written
 * to {@code target/hostile-findings/} to be replayed or added to the Jazzer corpus.
 */
final class LoaderOracle {
    /** The longest one input may take to load or be refused. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(10);
    /**
     * The most bytes one small input may make the loader allocate, whatever it decodes to. An input whose compression
     * layer really expands further (zstd can turn 200 bytes into 46 MB) may use {@link #BASE_ALLOWANCE} plus
     * {@link #PER_DECODED_BYTE} per byte it really decodes to: memory in proportion to the real output, never to what
     * a header claims. The document limit itself is 1 GiB.
     */
    static final long ALLOCATION_LIMIT = 256L << 20;
    static final long BASE_ALLOWANCE = 64L << 20;
    static final long PER_DECODED_BYTE = 8;

    private static final SnapshotCodec CODEC = Layers.reader(HostileInputs.KEYS);
    private static final Path FINDINGS = Path.of("target", "hostile-findings");
    private static ExecutorService worker = newWorker();

    private LoaderOracle() {
    }

    /** One load: the outcome, or what went wrong, and what it cost. */
    private record Run(MemorySnapshot snapshot, SnapshotMetadata listing, Throwable unexpected, long allocated) {
    }

    /**
     * @param input any bytes
     * @return the snapshot, when the input is one; empty when the loader refused it properly
     * @throws AssertionError when the loader broke a rule; the message says which and where the input was saved
     */
    static Optional<MemorySnapshot> judge(byte[] input) {
        Future<Run> future = submit(input);
        Run run;
        try {
            run = future.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            replaceWorker(); // the stuck thread is a daemon and is left behind
            throw new AssertionError("the loader took longer than " + TIME_LIMIT + " on " + save(input));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the oracle itself failed on " + save(input), e.getCause());
        }
        if (run.unexpected() != null && KnownBugs.tolerated(run.unexpected()).isPresent()) {
            return Optional.empty(); // counted; pinned by its own disabled test
        }
        if (run.allocated() > ALLOCATION_LIMIT) {
            long decoded = decodedSize(input);
            largestExpansion.accumulateAndGet(decoded, Math::max);
            if (run.allocated() <= BASE_ALLOWANCE + PER_DECODED_BYTE * decoded) {
                return Optional.ofNullable(run.snapshot()); // big because its output is really big
            }
            if (KnownBugs.toleratedAllocation(input, run.allocated(), ALLOCATION_LIMIT).isPresent()) {
                return Optional.empty();
            }
        }
        if (run.unexpected() != null) {
            throw new AssertionError("the loader threw " + run.unexpected() + " instead of a SnapshotException on "
                    + save(input), run.unexpected());
        }
        if (run.allocated() > ALLOCATION_LIMIT) {
            throw new AssertionError("the loader allocated " + run.allocated() + " bytes (limit " + ALLOCATION_LIMIT
                    + ", or " + PER_DECODED_BYTE + " per byte really decoded: " + decodedSize(input)
                    + ") for an input of " + input.length + " bytes: " + save(input));
        }
        if (run.snapshot() != null) {
            MemorySnapshot s = run.snapshot();
            SnapshotMetadata expected = s.metadata();
            SnapshotMetadata listed = run.listing();
            if (listed == null || !listed.snapshotId().equals(expected.snapshotId())
                    || !listed.timestamp().equals(expected.timestamp())
                    || listed.shortTermTurns() != expected.shortTermTurns()
                    || listed.longTermMemories() != expected.longTermMemories()) {
                throw new AssertionError("the listing read " + listed + " disagrees with the full read " + expected
                        + " of " + save(input));
            }
            if (s.shortTerm().turnCount() != s.shortTerm().turns().size()
                    || s.longTerm().memoryCount() != s.longTerm().memories().size()) {
                throw new AssertionError("an accepted snapshot has counts that do not match its content: "
                        + save(input));
            }
        }
        return Optional.ofNullable(run.snapshot());
    }

    /** The most bytes one generated input really decoded to, for figures. */
    static final java.util.concurrent.atomic.AtomicLong largestExpansion = new java.util.concurrent.atomic.AtomicLong();

    /**
     * How many bytes the input's compression layer really produces before it ends or breaks, measured with streaming
     * decoders that hold nothing: the honest measure of what decoding it must cost.
     */
    static long decodedSize(byte[] input) {
        byte[] data = input;
        try {
            if (dev.memsnap.core.codec.EncryptedLayer.looksEncrypted(data)) {
                data = dev.memsnap.core.codec.EncryptedLayer.open(data, HostileInputs.KEYS);
            }
        } catch (RuntimeException refused) {
            return input.length;
        }
        long count = 0;
        java.io.InputStream in = new ByteArrayInputStream(data);
        try {
            if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
                in = new java.util.zip.GZIPInputStream(in);
            } else if (data.length >= 4 && (data[0] & 0xff) == 0x28 && (data[1] & 0xff) == 0xb5) {
                in = new io.airlift.compress.zstd.ZstdInputStream(in);
            }
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0 && count <= (1L << 30); ) {
                count += n;
            }
        } catch (IOException | RuntimeException broken) {
            // what came out before the break is what a decoder had to hold
        }
        return Math.max(count, data.length);
    }

    private static synchronized Future<Run> submit(byte[] input) {
        return worker.submit(() -> load(input));
    }

    private static synchronized void replaceWorker() {
        worker.shutdownNow();
        worker = newWorker();
    }

    private static Run load(byte[] input) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        MemorySnapshot snapshot = null;
        SnapshotMetadata listing = null;
        Throwable unexpected = null;
        try {
            snapshot = CODEC.decode(input, "hostile input");
        } catch (SnapshotException refused) {
            // the proper answer to a bad file
        } catch (Throwable t) {
            unexpected = t;
        }
        if (unexpected == null) {
            try {
                listing = CODEC.readMetadata(new ByteArrayInputStream(input), "hostile input");
            } catch (SnapshotException refused) {
                // the listing may refuse what the full read refused; agreement is checked by the caller
            } catch (Throwable t) {
                unexpected = t;
            }
        }
        return new Run(snapshot, listing, unexpected, threads.getCurrentThreadAllocatedBytes() - before);
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "loader-oracle");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return where the input was saved, for the message */
    private static String save(byte[] input) {
        try {
            String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
            Path file = FINDINGS.resolve("finding-" + name);
            Files.createDirectories(FINDINGS);
            Files.write(file, input);
            return "input of " + input.length + " bytes saved as " + file.toAbsolutePath();
        } catch (IOException | NoSuchAlgorithmException e) {
            return "input of " + input.length + " bytes (could not be saved: " + e + ")";
        }
    }
}
