package dev.memsnap.core.codec;

import dev.memsnap.api.SnapshotFormatException;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * The streams a stored snapshot's layers (decryption, decompression) are read through, in one place: what a layer
 * has taken of the bytes below it, the tell between damage to those bytes and a failure of the file itself, and
 * single-byte reads for layers that may return nothing before their end.
 */
final class LayerStreams {
    private LayerStreams() {
    }

    /** The bytes below a layer, counting how many the layer has taken. */
    interface Consumed {
        long consumed();
    }

    /** Bytes in memory below a layer; they fail only as damage. */
    static final class CountedBytes extends ByteArrayInputStream implements Consumed {
        CountedBytes(byte[] data) {
            super(data);
        }

        @Override
        public long consumed() {
            return pos;
        }
    }

    /**
     * The stored bytes below a layer, read from a stream: counts what the layer takes and remembers a failure of the
     * stream itself (a disk error, a refusal from a layer further down, an unchecked failure of the caller's stream),
     * which is not damage to the bytes.
     */
    static final class Below extends FilterInputStream implements Consumed {
        private long count;
        private Exception failure;

        Below(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long skipped = super.skip(n);
                count += skipped;
                return skipped;
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long consumed() {
            return count;
        }
    }

    /** A stream whose single-byte read is its block read, read again while a layer returns nothing before its end. */
    abstract static class BlockReads extends FilterInputStream {
        BlockReads(InputStream in) {
            super(in);
        }

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            while ((n = read(one, 0, 1)) == 0) {
                // Tink and the decompressors may return 0 before the end: read again
            }
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public abstract int read(byte[] b, int off, int len) throws IOException;
    }

    /**
     * A layer read so that what it throws on damage (a failed tag, gzip's {@link java.util.zip.ZipException}, an
     * early end, whatever aircompressor throws on hostile input) becomes a {@link SnapshotFormatException}, while a
     * failure of the bytes below, or a refusal already made, passes unchanged.
     */
    static final class Damage extends BlockReads {
        private final Below below;
        private final String source;
        private final Function<Exception, String> describe;

        /**
         * @param layer    the layer's stream
         * @param below    the stored bytes it reads
         * @param source   what to call them in messages
         * @param describe the words for damage the layer reported
         */
        Damage(InputStream layer, Below below, String source, Function<Exception, String> describe) {
            super(layer);
            this.below = below;
            this.source = source;
            this.describe = describe;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (SnapshotFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw translated(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (SnapshotFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw translated(e);
            }
        }

        private IOException translated(Exception e) {
            if (below.failure instanceof IOException failure) {
                return failure;
            }
            if (below.failure instanceof RuntimeException failure) {
                throw failure;
            }
            throw new SnapshotFormatException(source, describe.apply(e), e);
        }
    }

    /** Leaves the caller's stream open when the layers above it are closed. */
    static final class NotClosing extends FilterInputStream {
        NotClosing(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {
            // the caller's
        }
    }
}
