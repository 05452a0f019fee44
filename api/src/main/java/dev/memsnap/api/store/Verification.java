package dev.memsnap.api.store;

import java.util.Objects;

/**
 * The outcome of checking one stored snapshot: its checksum, every layer of its encoding, and its content.
 *
 * @param snapshotId the snapshot checked
 * @param intact     whether it reads back whole and valid
 * @param detail     what was found: the problem when damaged, notes (such as a missing checksum) otherwise
 */
public record Verification(String snapshotId, boolean intact, String detail) {
    public Verification {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(detail, "detail");
    }
}
