package dev.memsnap.api;

/**
 * Marks a collection that never changes once made, so that the records of this package keep it as it is instead of
 * copying it. memsnap's own memory keeps its state in such collections, which is what makes a snapshot of a large
 * memory cost nothing to take and share everything with the state it was taken from.
 *
 * <p>Implement it only on a collection no one can change, not even through a view or a backing array.
 */
public interface Immutable {
}
