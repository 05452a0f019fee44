package dev.memsnap.core.codec;

import dev.memsnap.api.SnapshotFormatException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * memsnap's encrypted file: AES-256-GCM in segments, after Tink's streaming AEAD and age's STREAM.
 * <pre>
 * header  magic "MSNPENC" | version 1 | key id (8) | PBKDF2 iterations (4, 0 for a raw key) | PBKDF2 salt (16)
 *         | file salt (32) | nonce prefix (7) | segment size (4)                                 = 80 bytes
 * body    segments of at most segment-size plaintext bytes, each sealed with the file key,
 *         nonce = prefix | segment number (4) | 1 on the last segment else 0, the header as associated data
 * </pre>
 * Segmenting bounds what a reader buffers and what a writer holds, and the last-segment flag makes truncation at a
 * segment boundary, reordering and splicing fail authentication like any flipped byte.
 */
final class EncryptedFormat {
    static final byte[] MAGIC = "MSNPENC".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int SEGMENT_SIZE = 64 * 1024;
    static final int HEADER_BYTES = 80;
    private static final int TAG_BYTES = 16;
    private static final int NONCE_PREFIX_BYTES = 7;
    private static final int FILE_SALT_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private EncryptedFormat() {
    }

    static boolean matches(byte[] data) {
        return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** @return a stream that encrypts what is written to it; {@link Sealer#finish()} writes the last segment */
    static Sealer encrypt(OutputStream out, KeyRing ring) throws IOException {
        KeyRing.WriteKey key = ring.writeKey();
        byte[] fileSalt = new byte[FILE_SALT_BYTES];
        byte[] noncePrefix = new byte[NONCE_PREFIX_BYTES];
        RANDOM.nextBytes(fileSalt);
        RANDOM.nextBytes(noncePrefix);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).put((byte) VERSION).put(key.keyId()).putInt(key.iterations()).put(key.kdfSalt())
                .put(fileSalt).put(noncePrefix).putInt(SEGMENT_SIZE);
        byte[] headerBytes = header.array();
        out.write(headerBytes);
        return new Sealer(out, KeyRing.fileKey(key.master(), fileSalt), headerBytes, noncePrefix);
    }

    /** @return the key fingerprint in an encrypted file's header, as hex */
    static String keyIdOf(byte[] data) {
        return HexFormat.of().formatHex(data, MAGIC.length + 1, MAGIC.length + 1 + KeyRing.KEY_ID_BYTES);
    }

    static byte[] decrypt(byte[] data, KeyRing ring, String source) {
        if (data.length < HEADER_BYTES) {
            throw new SnapshotFormatException(source, "encrypted snapshot truncated inside its header");
        }
        ByteBuffer header = ByteBuffer.wrap(data, 0, HEADER_BYTES);
        header.position(MAGIC.length);
        int version = header.get() & 0xff;
        if (version != VERSION) {
            throw new SnapshotFormatException(source, "encrypted snapshot format version " + version
                    + " is not supported (this memsnap reads version " + VERSION + ")");
        }
        byte[] keyId = new byte[KeyRing.KEY_ID_BYTES];
        header.get(keyId);
        int iterations = header.getInt();
        byte[] kdfSalt = new byte[KeyRing.SALT_BYTES];
        header.get(kdfSalt);
        byte[] fileSalt = new byte[FILE_SALT_BYTES];
        header.get(fileSalt);
        byte[] noncePrefix = new byte[NONCE_PREFIX_BYTES];
        header.get(noncePrefix);
        int segmentSize = header.getInt();
        if (segmentSize < 1024 || segmentSize > (16 << 20) || iterations < 0
                || iterations > KeyRing.MAX_PBKDF2_ITERATIONS) {
            throw new SnapshotFormatException(source, "encrypted snapshot header is damaged");
        }
        if (ring == null) {
            throw new SnapshotFormatException(source, "snapshot is encrypted (key " + HexFormat.of().formatHex(keyId)
                    + ") but no key is configured (memory.encryption)");
        }
        byte[] master = ring.masterFor(keyId, iterations, kdfSalt);
        if (master == null) {
            throw new SnapshotFormatException(source, "wrong key: snapshot is encrypted with "
                    + (iterations == 0 ? "key " : "a passphrase, key ") + HexFormat.of().formatHex(keyId)
                    + ", which none of the configured keys matches");
        }
        SecretKeySpec fileKey = new SecretKeySpec(KeyRing.fileKey(master, fileSalt), "AES");
        byte[] headerBytes = Arrays.copyOf(data, HEADER_BYTES);
        ByteArrayOutputStream plain = new ByteArrayOutputStream(Math.max(0, data.length - HEADER_BYTES));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            int position = HEADER_BYTES;
            int segment = 0;
            while (true) {
                int chunk = Math.min(data.length - position, segmentSize + TAG_BYTES);
                boolean last = position + chunk == data.length;
                if (chunk < TAG_BYTES) {
                    throw new SnapshotFormatException(source, "encrypted snapshot is truncated");
                }
                cipher.init(Cipher.DECRYPT_MODE, fileKey, new GCMParameterSpec(128, nonce(noncePrefix, segment, last)));
                cipher.updateAAD(headerBytes);
                try {
                    plain.writeBytes(cipher.doFinal(data, position, chunk));
                } catch (AEADBadTagException e) {
                    throw new SnapshotFormatException(source, "encrypted snapshot is damaged, tampered with or "
                            + "truncated (authentication failed in segment " + segment + ")");
                }
                position += chunk;
                segment++;
                if (last) {
                    return plain.toByteArray();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new SnapshotFormatException(source, "cannot decrypt: " + e.getMessage(), e);
        }
    }

    private static byte[] nonce(byte[] prefix, int segment, boolean last) {
        return ByteBuffer.allocate(12).put(prefix).putInt(segment).put((byte) (last ? 1 : 0)).array();
    }

    /** Buffers one segment; a full segment is sealed only when more data follows, so the last is always known. */
    static final class Sealer extends OutputStream {
        private final OutputStream out;
        private final SecretKeySpec key;
        private final byte[] aad;
        private final byte[] noncePrefix;
        private final byte[] buffer = new byte[SEGMENT_SIZE];
        private final Cipher cipher;
        private int filled;
        private int segment;
        private boolean finished;

        private Sealer(OutputStream out, byte[] fileKey, byte[] aad, byte[] noncePrefix) throws IOException {
            this.out = out;
            this.key = new SecretKeySpec(fileKey, "AES");
            this.aad = aad;
            this.noncePrefix = noncePrefix;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM is not available", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT_SIZE) {
                    seal(false);
                }
                int n = Math.min(len, SEGMENT_SIZE - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        /** Seals the last segment. Does not close the underlying stream. */
        void finish() throws IOException {
            if (!finished) {
                seal(true);
                finished = true;
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            finish();
        }

        private void seal(boolean last) throws IOException {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(noncePrefix, segment, last)));
                cipher.updateAAD(aad);
                out.write(cipher.doFinal(buffer, 0, filled));
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed", e);
            }
            segment++;
            filled = 0;
        }
    }
}
