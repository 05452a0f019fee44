package dev.memsnap.core.codec;

import dev.memsnap.api.ConfigException;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of an encrypted store: the current one, which new snapshots are encrypted with, and previous ones, which
 * still decrypt older snapshots (during and after a key rotation).
 *
 * <p>Each key is a 256-bit master key, given directly or stretched from a passphrase with PBKDF2-HMAC-SHA256
 * ({@value #PBKDF2_ITERATIONS} iterations, as OWASP advises). Every file is encrypted under its own key, derived from
 * the master key with HKDF-SHA256 and a random 256-bit salt kept in the file's header; a passphrase's PBKDF2 salt is
 * also in every header, chosen at random once per key ring so that the slow stretch runs once per process rather than
 * once per file. A header names its master key by a fingerprint (an HMAC of the key, which reveals nothing of it), so a
 * wrong key is reported as such rather than as damage. {@link #toString()} never shows a secret.
 */
public final class KeyRing {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KeyRing.class);
    /** The most a key file may hold: a key's text with generous room for whitespace and a comment-free line. */
    static final int MAX_KEY_FILE_BYTES = 4096;
    /** PBKDF2-HMAC-SHA256 iterations for a passphrase. */
    public static final int PBKDF2_ITERATIONS = 600_000;
    /** Files claiming more iterations than this are refused, so a hostile header cannot stall a reader. */
    static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    static final int KEY_BYTES = 32;
    static final int SALT_BYTES = 16;
    static final int KEY_ID_BYTES = 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Secret> secrets;
    private final List<String> descriptions;
    private final Map<String, byte[]> stretched = new ConcurrentHashMap<>();
    private volatile WriteKey writeKey;

    private KeyRing(List<Secret> secrets, List<String> descriptions) {
        this.secrets = secrets;
        this.descriptions = descriptions;
    }

    /**
     * Reads the keys now. Secrets are held only by this object.
     *
     * @param current  the key new snapshots are encrypted with
     * @param previous keys that still decrypt older snapshots
     * @param env      the environment to read variables from, normally {@link System#getenv()}
     * @return the key ring
     * @throws ConfigException when a key cannot be read or is not 256 bits; the message names the source only
     */
    public static KeyRing of(KeySource current, List<KeySource> previous, Map<String, String> env) {
        List<Secret> secrets = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (KeySource source : concat(current, previous)) {
            secrets.add(read(source, env));
            descriptions.add(source.describe());
        }
        return new KeyRing(List.copyOf(secrets), List.copyOf(descriptions));
    }

    /**
     * @param key a 256-bit key
     * @return a key ring of that key alone
     */
    public static KeyRing ofKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key must be " + KEY_BYTES + " bytes");
        }
        return new KeyRing(List.of(new Secret(key.clone(), null)), List.of("key given in code"));
    }

    /** @return a new random 256-bit key, for {@code memsnap keygen} and tests */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** @return this ring with only its current key: what a rotation writes with */
    public KeyRing currentOnly() {
        return new KeyRing(List.of(secrets.get(0)), List.of(descriptions.get(0)));
    }

    /**
     * @param other another ring
     * @return a ring that writes with this ring's current key and reads with the keys of both
     */
    public KeyRing readingAlso(KeyRing other) {
        List<Secret> all = new ArrayList<>(secrets);
        all.addAll(other.secrets);
        List<String> described = new ArrayList<>(descriptions);
        described.addAll(other.descriptions);
        return new KeyRing(List.copyOf(all), List.copyOf(described));
    }

    @Override
    public String toString() {
        return "KeyRing" + descriptions;
    }

    // ------------------------------------------------------------------------------------------ use by the codec

    /** What a writer needs: the master key, its fingerprint, and how it was derived (for the header). */
    record WriteKey(byte[] master, byte[] keyId, int iterations, byte[] kdfSalt) {
    }

    WriteKey writeKey() {
        WriteKey key = writeKey;
        if (key == null) {
            synchronized (this) {
                key = writeKey;
                if (key == null) {
                    Secret current = secrets.get(0);
                    if (current.key != null) {
                        key = new WriteKey(current.key, fingerprint(current.key), 0, new byte[SALT_BYTES]);
                    } else {
                        byte[] salt = new byte[SALT_BYTES];
                        RANDOM.nextBytes(salt);
                        byte[] master = stretch(current.passphrase, salt, PBKDF2_ITERATIONS);
                        key = new WriteKey(master, fingerprint(master), PBKDF2_ITERATIONS, salt);
                    }
                    writeKey = key;
                }
            }
        }
        return key;
    }

    /**
     * @return the master key whose fingerprint is {@code keyId}, or {@code null} when no key of this ring has it
     */
    byte[] masterFor(byte[] keyId, int iterations, byte[] kdfSalt) {
        for (Secret secret : secrets) {
            byte[] master;
            if (secret.key != null) {
                if (iterations != 0) {
                    continue;
                }
                master = secret.key;
            } else {
                if (iterations == 0) {
                    continue;
                }
                master = stretched.computeIfAbsent(
                        HexFormat.of().formatHex(kdfSalt) + "/" + iterations + "/" + System.identityHashCode(secret),
                        k -> stretch(secret.passphrase, kdfSalt, iterations));
            }
            if (MessageDigest.isEqual(fingerprint(master), keyId)) {
                return master;
            }
        }
        return null;
    }

    /** HKDF-SHA256 (RFC 5869) with one block of output: the file's own key. */
    static byte[] fileKey(byte[] master, byte[] fileSalt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fileSalt, "HmacSHA256"));
            byte[] prk = mac.doFinal(master);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update("memsnap snapshot v1".getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is on every Java platform", e);
        }
    }

    static byte[] fingerprint(byte[] master) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal("memsnap key id".getBytes(StandardCharsets.US_ASCII)), KEY_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is on every Java platform", e);
        }
    }

    private static byte[] stretch(char[] passphrase, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_BYTES * 8);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is on every Java platform", e);
        }
    }

    // ------------------------------------------------------------------------------------------ reading secrets

    /** Exactly one of the two is set. */
    private record Secret(byte[] key, char[] passphrase) {
    }

    private static List<KeySource> concat(KeySource current, List<KeySource> previous) {
        List<KeySource> all = new ArrayList<>();
        all.add(Objects.requireNonNull(current, "current key"));
        all.addAll(previous);
        return all;
    }

    private static Secret read(KeySource source, Map<String, String> env) {
        if (source instanceof KeySource.KeyFile file) {
            byte[] content = readKeyFile(file.file());
            return new Secret(content.length == KEY_BYTES ? content
                    : decodeKey(new String(content, StandardCharsets.US_ASCII).strip(), source), null);
        }
        if (source instanceof KeySource.KeyEnv keyEnv) {
            return new Secret(decodeKey(variable(env, keyEnv.variable(), source).strip(), source), null);
        }
        KeySource.PassphraseEnv passphraseEnv = (KeySource.PassphraseEnv) source;
        String passphrase = variable(env, passphraseEnv.variable(), source);
        if (passphrase.length() < 8) {
            throw new ConfigException(source.describe() + ": a passphrase needs at least 8 characters");
        }
        return new Secret(null, passphrase.toCharArray());
    }

    /**
     * Reads a key file: only a regular file (a FIFO would block for ever, {@code /dev/zero} never end) of at most
     * {@link #MAX_KEY_FILE_BYTES}; warns, as ssh does, when group or others may read or write it.
     */
    private static byte[] readKeyFile(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new ConfigException("key file " + file + " is " + (attributes.isDirectory() ? "a directory"
                        : "not a regular file (a FIFO, socket or device)") + ": give the file that holds the key");
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            }
            if (content.length > MAX_KEY_FILE_BYTES) {
                throw new ConfigException("key file " + file + " is larger than " + MAX_KEY_FILE_BYTES
                        + " bytes: a key file holds one 256-bit key, as 32 raw bytes or their base64 or hex text");
            }
            warnIfShared(file);
            return content;
        } catch (NoSuchFileException e) {
            throw new ConfigException("key file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read key file " + file + ": " + e.getMessage());
        }
    }

    private static void warnIfShared(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return; // no POSIX permissions here: nothing to judge
        }
        Set<PosixFilePermission> shared = EnumSet.of(PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        shared.retainAll(permissions);
        if (!shared.isEmpty()) {
            log.warn("Key file {} is accessible by others (permissions {}): anyone who can read it can read every "
                    + "snapshot it encrypts; chmod 600 it", file, PosixFilePermissions.toString(permissions));
        }
    }

    private static String variable(Map<String, String> env, String name, KeySource source) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(source.describe() + " is not set");
        }
        return value;
    }

    private static byte[] decodeKey(String text, KeySource source) {
        byte[] key = null;
        if (text.length() == KEY_BYTES * 2 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            key = HexFormat.of().parseHex(text);
        } else {
            try {
                key = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException notBase64) {
                // reported below without echoing the text
            }
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new ConfigException(source.describe() + ": expected a 256-bit key as 32 raw bytes, 64 hex digits "
                    + "or base64 (make one with: memsnap keygen FILE)");
        }
        return key;
    }
}
