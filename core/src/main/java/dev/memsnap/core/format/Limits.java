package dev.memsnap.core.format;

import dev.memsnap.api.SnapshotFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Reading input whole, with a ceiling, so that a hostile or runaway input fails cleanly instead of filling the heap. */
public final class Limits {
    private Limits() {
    }

    /**
     * @param in     the input; not closed
     * @param max    the most bytes accepted
     * @param source what to call the input in messages
     * @return every byte of the input
     * @throws SnapshotFormatException when the input is longer than {@code max}
     * @throws IOException             when the stream fails
     */
    public static byte[] readAll(InputStream in, int max, String source) throws IOException {
        return bounded(in, max, source).readAllBytes();
    }

    /**
     * @param in     the input; not closed by the returned stream's {@code close}
     * @param max    the most bytes it may give
     * @param source what to call the input in messages
     * @return the input, failing with a {@link SnapshotFormatException} ("larger than the limit") once it has given
     *         more than {@code max} bytes: for readers that stream rather than read the input whole first
     */
    public static InputStream bounded(InputStream in, long max, String source) {
        return new java.io.FilterInputStream(in) {
            private long total;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) {
                total += n;
                if (total > max) {
                    throw new SnapshotFormatException(source, "larger than the limit of " + max + " bytes");
                }
            }

            @Override
            public void close() {
                // the caller's stream: the caller closes it
            }
        };
    }

    /**
     * Opens a file given as a path only when it is a regular file (links followed) of at most {@code max} bytes:
     * opening a FIFO blocks until a writer comes, and a device such as {@code /dev/zero} never ends.
     *
     * @param file   the file
     * @param max    the most bytes it may hold
     * @param source what to call it in messages
     * @return the open file
     * @throws SnapshotFormatException when it is not a regular file, or is larger than {@code max}
     * @throws IOException             when it cannot be read ({@link java.nio.file.NoSuchFileException} when absent)
     */
    public static InputStream openRegularFile(Path file, long max, String source) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new SnapshotFormatException(source, (attributes.isDirectory() ? "a directory"
                    : "not a regular file (a FIFO, socket or device)") + ", so not a snapshot file");
        }
        if (attributes.size() > max) {
            throw new SnapshotFormatException(source, "larger than the limit of " + max + " bytes");
        }
        return Files.newInputStream(file);
    }
}
