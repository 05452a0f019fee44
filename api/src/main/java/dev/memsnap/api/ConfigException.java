package dev.memsnap.api;

/**
 * A configuration mistake: an unreadable file, an unknown key, a value of the wrong type or out of range. The
 * message names the file and the key, and never echoes a secret's value.
 */
public class ConfigException extends SnapshotException {
    /** @param message what is wrong, naming the file and key */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and key
     * @param cause   the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
