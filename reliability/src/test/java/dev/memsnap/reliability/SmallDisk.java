package dev.memsnap.reliability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system to save snapshots into, which a test fills and empties on demand. Where the test may mount one
 * (root on Linux, as here and on CI) it is a real tmpfs capped at 256 KiB, filled with a ballast file until the kernel
 * says {@code No space left on device}; elsewhere it is {@link FaultyFileSystem}'s free-byte budget, set to zero. Which
 * one ran is logged and recorded as a figure: a missing mount never skips the test silently.
 */
abstract class SmallDisk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmallDisk.class);
    /** The cap of the tmpfs: a few small snapshots fit, a ballast file fills it in a moment. */
    static final String TMPFS_SIZE = "256k";

    /** @return a directory on the small disk, for the snapshot directory to live in */
    abstract Path root();

    /** @return what this disk is, for messages and figures */
    abstract String kind();

    /** Fills the disk until a write fails for lack of space. */
    abstract void fill() throws IOException;

    /** Gives back the space {@link #fill()} took. */
    abstract void free() throws IOException;

    @Override
    public abstract void close() throws IOException;

    /**
     * @param wanted {@code tmpfs} for a real one where it can be mounted, {@code injected} for the fault budget
     * @param tmp    a scratch directory of the test
     * @return the disk
     */
    static SmallDisk open(String wanted, Path tmp) throws IOException {
        if (wanted.equals("tmpfs")) {
            Path mountPoint = Files.createDirectories(tmp.resolve("tmpfs"));
            String problem = Tmpfs.mount(mountPoint);
            if (problem == null) {
                log.info("Full-disk test runs on a real tmpfs of {} at {}", TMPFS_SIZE, mountPoint);
                return new Tmpfs(mountPoint);
            }
            log.warn("Cannot mount a tmpfs here ({}): the full-disk test runs on the injected fault budget instead",
                    problem);
            return new Injected(tmp, "injected (tmpfs could not be mounted: " + problem + ")");
        }
        return new Injected(tmp, "injected");
    }

    /** A real tmpfs with a size cap, mounted by the test and unmounted when closed. */
    private static final class Tmpfs extends SmallDisk {
        private final Path mountPoint;
        private final Path ballast;

        Tmpfs(Path mountPoint) {
            this.mountPoint = mountPoint;
            this.ballast = mountPoint.resolve("ballast");
        }

        /** @return null when mounted, else why not */
        static String mount(Path mountPoint) {
            if (!System.getProperty("os.name", "").equals("Linux")) {
                return "not Linux";
            }
            try {
                return run(List.of("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs",
                        mountPoint.toString()));
            } catch (IOException e) {
                return e.getMessage();
            }
        }

        private static String run(List<String> command) throws IOException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return String.join(" ", command) + " did not finish";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? null
                    : String.join(" ", command) + " exited with " + process.exitValue() + ": " + output;
        }

        @Override
        Path root() {
            return mountPoint;
        }

        @Override
        String kind() {
            return "tmpfs size=" + TMPFS_SIZE;
        }

        @Override
        void fill() throws IOException {
            ByteBuffer page = ByteBuffer.allocate(4096);
            try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                // Bounded: the disk is 256 KiB, so this ends on ENOSPC long before the count runs out.
                for (int i = 0; i < 100_000; i++) {
                    page.clear();
                    channel.write(page);
                }
            } catch (IOException full) {
                if (!String.valueOf(full.getMessage()).contains(FaultyFileSystem.NO_SPACE)) {
                    throw full;
                }
                return;
            }
            throw new IllegalStateException("wrote 400 MB to a " + TMPFS_SIZE + " tmpfs without filling it");
        }

        @Override
        void free() throws IOException {
            Files.deleteIfExists(ballast);
        }

        @Override
        public void close() throws IOException {
            String problem = run(List.of("umount", mountPoint.toString()));
            if (problem != null) {
                // Something still holds it open: detach it now, the kernel frees it when the last user goes.
                String lazy = run(List.of("umount", "-l", mountPoint.toString()));
                if (lazy != null) {
                    throw new IOException(problem + "; " + lazy);
                }
            }
        }
    }

    /** The injected fault budget of {@link FaultyFileSystem} over an ordinary directory. */
    private static final class Injected extends SmallDisk {
        private final FaultyFileSystem fs = new FaultyFileSystem();
        private final Path root;
        private final String kind;

        Injected(Path tmp, String kind) throws IOException {
            this.root = fs.wrap(Files.createDirectories(tmp.resolve("injected")));
            this.kind = kind;
        }

        @Override
        Path root() {
            return root;
        }

        @Override
        String kind() {
            return kind;
        }

        @Override
        void fill() {
            fs.setFreeBytes(0);
        }

        @Override
        void free() {
            fs.setFreeBytes(Long.MAX_VALUE);
        }

        @Override
        public void close() {
            // nothing mounted
        }
    }
}
