package dev.memsnap.core.format;

import dev.memsnap.api.SnapshotFormatException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                throw new SnapshotFormatException(source, "larger than the limit of " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
