package dev.memsnap.core;

import dev.memsnap.api.SnapshotException;

/** A configuration file or value is not usable; the message names the file and the key. */
public class ConfigException extends SnapshotException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
