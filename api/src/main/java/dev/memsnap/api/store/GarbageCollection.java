package dev.memsnap.api.store;

/**
 * What a store's garbage collection removed or, in a dry run, would remove: stored pieces that no snapshot names any
 * more, such as the incremental store's chunks or the PostgreSQL store's chunk rows. A store that keeps each snapshot
 * whole has no such pieces and reports {@link #none}.
 *
 * @param pieces how many pieces were (or would be) removed
 * @param bytes  their stored size in bytes
 * @param dryRun whether this was a dry run, which removes nothing
 */
public record GarbageCollection(long pieces, long bytes, boolean dryRun) {
    public GarbageCollection {
        if (pieces < 0 || bytes < 0) {
            throw new IllegalArgumentException("pieces and bytes must not be negative: " + pieces + ", " + bytes);
        }
    }

    /**
     * @param dryRun whether it was a dry run
     * @return a collection that found nothing to remove
     */
    public static GarbageCollection none(boolean dryRun) {
        return new GarbageCollection(0, 0, dryRun);
    }

    /**
     * @param other another collection's outcome, of the same kind of run
     * @return both added up (for a store made of several)
     */
    public GarbageCollection plus(GarbageCollection other) {
        return new GarbageCollection(pieces + other.pieces, bytes + other.bytes, dryRun && other.dryRun);
    }
}
