package dev.memsnap.core.codec;

import java.util.List;
import java.util.Objects;

/**
 * The {@code memory.encryption} section: where the current key is, and which previous keys still decrypt older
 * snapshots. Holds places, never secrets.
 *
 * @param key      the key new snapshots are encrypted with
 * @param previous keys that still decrypt older snapshots
 */
public record EncryptionConfig(KeySource key, List<KeySource> previous) {
    public EncryptionConfig {
        Objects.requireNonNull(key, "key");
        previous = List.copyOf(previous);
    }

    /**
     * @param env the environment, normally {@link System#getenv()}
     * @return the key ring, reading the keys now
     */
    public KeyRing keyRing(java.util.Map<String, String> env) {
        return KeyRing.of(key, previous, env);
    }
}
