package dev.memsnap.benchmarks;

import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.core.format.SnapshotJson;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmarks share outside the heap: a scratch directory, cached seed files, and a "facts" file in which
 * forked benchmark JVMs record what the report needs besides times (bytes of a JSON document, which store was
 * configured, automatic saves skipped...).
 *
 * <p>System properties: {@value #TMP_PROPERTY} (scratch root, default {@code <java.io.tmpdir>/memsnap-bench}) and
 * {@value #FACTS_PROPERTY} (facts file; facts are dropped when unset).
 */
public final class BenchEnv {
    public static final String TMP_PROPERTY = "memsnap.bench.tmp";
    public static final String FACTS_PROPERTY = "memsnap.bench.facts";

    private static final AtomicLong COUNTER = new AtomicLong();

    private BenchEnv() {
    }

    /** @return the scratch root, created */
    public static Path root() {
        String configured = System.getProperty(TMP_PROPERTY);
        Path root = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "memsnap-bench");
        try {
            return Files.createDirectories(root.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param prefix what the directory is for
     * @return a new empty directory under {@link #root()}
     */
    public static Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(root(), prefix + "-" + COUNTER.incrementAndGet() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The state a benchmark of {@code memories} memories starts from, as a snapshot file in memsnap's format, written
     * once and reused by later forks.
     *
     * @param memories   how many memories
     * @param changed    0, or how many memories of the state are modified (see {@link DataGenerator#withChanges})
     * @return the file
     */
    public static Path seedFile(int memories, int changed) {
        Path file = root().resolve("seed-v" + DataGenerator.VERSION + "-" + memories + "m-"
                + DataGenerator.DEFAULT_TURNS + "t" + (changed > 0 ? "-changed" + changed : "") + ".json");
        if (Files.isRegularFile(file)) {
            return file;
        }
        DataGenerator generator = new DataGenerator();
        MemorySnapshot snapshot = generator.snapshot(memories, DataGenerator.DEFAULT_TURNS);
        if (changed > 0) {
            snapshot = generator.withChanges(snapshot, changed, true);
        }
        writeAtomically(file, snapshot);
        return file;
    }

    /** Writes a snapshot in memsnap's format to a temporary file, then renames it into place. */
    static void writeAtomically(Path file, MemorySnapshot snapshot) {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            new SnapshotJson().write(snapshot, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the bytes of every file under {@code dir}, hidden ones included; 0 when it does not exist */
    public static long directorySize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total.addAndGet(attrs.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // removed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total.get();
    }

    /** Deletes a directory tree; quietly does nothing when it is not there. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // gone already
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Records a fact for the report: one {@code key=value} line appended to the facts file, when there is one.
     *
     * @param key   dotted name, such as {@code json.bytes.memsnap.100000}
     * @param value its value
     */
    public static synchronized void fact(String key, Object value) {
        String file = System.getProperty(FACTS_PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        String line = key + "=" + String.valueOf(value).replace('\n', ' ') + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return heap in use right now, garbage included */
    public static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** @return the largest heap this JVM may use */
    public static long heapMax() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * Collects garbage until the heap in use stops shrinking (at most 10 full collections).
     *
     * @return heap in use after the last collection: live objects
     */
    public static long liveHeapAfterGc() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = bean.getHeapMemoryUsage().getUsed();
            if (i >= 2 && previous - used < (1L << 20)) {
                break;
            }
            previous = Math.min(previous, used);
        }
        return used;
    }

    /** Sleeps, restoring the interrupt flag when interrupted. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
