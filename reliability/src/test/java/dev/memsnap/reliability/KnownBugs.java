package dev.memsnap.reliability;

import dev.memsnap.core.codec.EncryptedLayer;
import io.airlift.compress.zstd.ZstdDecompressor;

import java.io.CharConversionException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loader bugs this suite has found in core, recognised by their exact signature. A fixed bug that comes back
 * fails like any other failure (unless {@code -Dmemsnap.reliability.tolerateKnownBugs=true}, to test an older core).
 * A bug still open is counted in the figures and let pass, so that the broad random tests (property, fuzz, planted
 * files) keep running in CI, and keep failing on anything new, until core fixes it; each open bug is also pinned by a
 * precise test that is {@code @Disabled} until then, and {@code -Dmemsnap.reliability.strict=true} tolerates nothing.
 */
enum KnownBugs {
    /**
     * A document whose first bytes look like UTF-32 ({@code xx 00 00 00}) makes Jackson throw CharConversionException,
     * an IOException that SnapshotJson wraps in UncheckedIOException instead of refusing the file.
     */
    UTF32_DETECTION("CharConversionException leaks as UncheckedIOException from SnapshotJson", true),
    /**
     * Snapshots.sessionSeconds computes Duration.toNanos(), which overflows for a session longer than 292 years
     * (session_start far before timestamp): ArithmeticException instead of a refusal or a value.
     */
    SESSION_DURATION_OVERFLOW("ArithmeticException from Snapshots.sessionSeconds", true),
    /**
     * SnapshotCodec.unzstd allocates the size a zstd frame header declares (up to 1 GiB) before decompressing, so a
     * tiny hostile frame costs up to 1 GiB of heap.
     */
    ZSTD_DECLARED_SIZE("zstd frame header's declared size allocated up front", true),
    /**
     * The listing read, SnapshotJson.readMetadata, lets the same CharConversionException out as a plain IOException,
     * which its callers take for a failing disk: the incremental store's start() then refuses to start over one
     * damaged manifest. Fixed.
     */
    UTF32_IN_LISTING_READ("CharConversionException leaks as IOException from SnapshotJson.readMetadata", true);

    /** Whether open bugs fail too. */
    static final boolean STRICT = Boolean.getBoolean("memsnap.reliability.strict");
    /** Whether fixed bugs are let pass, to run the suite against a core from before their fixes. */
    static final boolean TOLERATE_FIXED = Boolean.getBoolean("memsnap.reliability.tolerateKnownBugs");

    private final String summary;
    private final boolean fixed;
    private final AtomicLong hits = new AtomicLong();

    KnownBugs(String summary, boolean fixed) {
        this.summary = summary;
        this.fixed = fixed;
    }

    /**
     * @param unexpected what the loader threw instead of a {@code SnapshotException}
     * @return the known bug it is, when tolerated in this run
     */
    static Optional<KnownBugs> tolerated(Throwable unexpected) {
        KnownBugs bug = null;
        if (unexpected instanceof UncheckedIOException u && u.getCause() instanceof CharConversionException
                && thrownFrom(u, "dev.memsnap.core.format.SnapshotJson")) {
            bug = UTF32_DETECTION;
        } else if (unexpected instanceof ArithmeticException
                && thrownFrom(unexpected, "dev.memsnap.core.format.Snapshots")) {
            bug = SESSION_DURATION_OVERFLOW;
        } else if (unexpected instanceof CharConversionException
                && thrownFrom(unexpected, "dev.memsnap.core.format.SnapshotJson")) {
            bug = UTF32_IN_LISTING_READ;
        }
        return hit(bug);
    }

    /**
     * @param input     an input the loader allocated too much for
     * @param allocated what it allocated
     * @param limit     what it may allocate besides a buffer of the declared size
     * @return the known bug it is, when tolerated: the input's zstd header declares far more than the frame really
     *         decodes to, and the rest of what was allocated is within the limit
     */
    static Optional<KnownBugs> toleratedAllocation(byte[] input, long allocated, long limit) {
        byte[] inner = input;
        try {
            if (EncryptedLayer.looksEncrypted(inner)) {
                inner = EncryptedLayer.open(inner, HostileInputs.KEYS);
            }
            boolean zstd = inner.length >= 4 && Arrays.equals(inner, 0, 4,
                    new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, 0, 4);
            long declared = zstd ? ZstdDecompressor.getDecompressedSize(inner, 0, inner.length) : -1;
            boolean lies = declared > LoaderOracle.decodedSize(input) + LoaderOracle.BASE_ALLOWANCE;
            // The oracle loads twice (the full read and the listing read), and each allocates the declared size.
            return hit(lies && allocated - 2 * declared <= limit ? ZSTD_DECLARED_SIZE : null);
        } catch (RuntimeException notThatBug) { // a SnapshotException too: then it is not this bug
            return Optional.empty();
        }
    }

    private static Optional<KnownBugs> hit(KnownBugs bug) {
        if (bug == null || (bug.fixed ? !TOLERATE_FIXED : STRICT)) {
            return Optional.empty();
        }
        bug.hits.incrementAndGet();
        return Optional.of(bug);
    }

    private static boolean thrownFrom(Throwable t, String className) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (e.getClassName().equals(className) || e.getClassName().startsWith(className + "$")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return hits of each known bug so far in this JVM, for figures */
    static String hitsSoFar() {
        Map<String, Long> counts = new TreeMap<>();
        for (KnownBugs bug : values()) {
            counts.put(bug.name(), bug.hits.get());
        }
        return counts + (STRICT ? " (strict: open bugs fail too)" : "")
                + (TOLERATE_FIXED ? " (fixed ones tolerated)" : "");
    }

    @Override
    public String toString() {
        return name() + " (" + summary + ")";
    }
}
