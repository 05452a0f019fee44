package dev.memsnap.core.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Test-only access to memsnap's encrypted file format for the reliability suite: seals arbitrary bytes, so that a
 * fuzz input can carry damaged plaintext inside a valid encryption layer (otherwise authentication refuses every
 * mutation and the layers below it are never exercised). It lives in core's package because the format's writer is
 * package-private; it is compiled only into the reliability module's tests.
 */
public final class EncryptedLayer {
    private EncryptedLayer() {
    }

    /**
     * @param plaintext any bytes: a snapshot's JSON, compressed or not, intact or not
     * @param keys      the key to seal with
     * @return the bytes in memsnap's encrypted format
     */
    public static byte[] seal(byte[] plaintext, KeyRing keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 256);
        try (java.io.OutputStream sealer = EncryptedFormat.encrypt(out,
                EncryptedFormat.Sealing.master(keys.writeKey()))) {
            sealer.write(plaintext, 0, plaintext.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @param stored bytes in memsnap's encrypted format
     * @param keys   the key they were sealed with
     * @return what was sealed
     * @throws dev.memsnap.api.SnapshotFormatException when they do not open
     */
    public static byte[] open(byte[] stored, KeyRing keys) {
        try (java.io.InputStream plain = EncryptedFormat.decrypt(new java.io.ByteArrayInputStream(stored),
                new SnapshotCodec(new dev.memsnap.core.format.SnapshotJson(), Compression.NONE, 6, () -> keys)
                        .keyFinder(), "test input")) {
            return plain.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param stored any bytes
     * @return whether they start like memsnap's encrypted format
     */
    public static boolean looksEncrypted(byte[] stored) {
        return EncryptedFormat.matches(stored);
    }

    /** @return the size of the encrypted format's header, for mutations aimed at it */
    public static int headerBytes() {
        return EncryptedFormat.HEADER_BYTES;
    }
}
