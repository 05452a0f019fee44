package dev.memsnap.core.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over the target, fsync
 * the directory. A reader sees the old file or the whole new one, never a torn one, even after power loss.
 */
final class AtomicFiles {
    /** Temporary files start with this, so that listings never mistake one for a snapshot. */
    static final String TEMP_PREFIX = ".";
    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes the content to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * @param target  the file to create or replace
     * @param content what to write
     * @throws IOException when any step fails; the target is then unchanged and the temporary file removed
     */
    static void write(Path target, Content content) throws IOException {
        writeWithoutDirectorySync(target, content);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * As {@link #write}, but leaves the directory's fsync to the caller, who syncs each directory once after many
     * files (the rename is not durable until then).
     *
     * @param target  the file to create or replace
     * @param content what to write
     * @throws IOException when any step fails; the target is then unchanged and the temporary file removed
     */
    static void writeWithoutDirectorySync(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                // If force fails, the page cache may already have dropped the data: never retry, rewrite.
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Makes a rename or delete in {@code dir} durable.
     *
     * @param dir a directory
     * @throws IOException when the sync fails
     */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; where they can, a failure is real.
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }

    /**
     * @param fileName a file name
     * @return whether it names a temporary file of {@link #write}
     */
    static boolean isTemporary(String fileName) {
        return fileName.startsWith(TEMP_PREFIX) && fileName.endsWith(TEMP_SUFFIX);
    }
}
