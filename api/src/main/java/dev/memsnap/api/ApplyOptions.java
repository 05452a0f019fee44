package dev.memsnap.api;

import java.util.Collection;
import java.util.Set;

/**
 * What an apply restores, and how: {@code ApplyOptions.longTermOnly().withTopics(Set.of("home")).merging()} restores
 * the snapshot's memories about {@code home} into long-term memory, keeping every other memory and the conversation.
 * Each wither returns a new value.
 *
 * @param shortTerm       whether the conversation is replaced by the snapshot's
 * @param longTerm        whether long-term memory takes the snapshot's memories
 * @param topics          when not {@code null}, only the snapshot's memories that have any of these topics are applied,
 *                        and (unless merging) only live memories with any of them are replaced
 * @param merge           when {@code true}, the snapshot's memories are added or update those of the same id, and no
 *                        live memory is removed; when {@code false}, the selected live memories are replaced
 * @param fromOtherMemory whether a snapshot of another memory id may be applied (copying that memory); refused
 *                        otherwise
 */
public record ApplyOptions(boolean shortTerm, boolean longTerm, Set<String> topics, boolean merge,
                           boolean fromOtherMemory) {
    public ApplyOptions {
        if (!shortTerm && !longTerm) {
            throw new IllegalArgumentException("an apply must restore short-term memory, long-term memory or both");
        }
        topics = topics == null ? null : Set.copyOf(topics);
    }

    /** @return the seed's apply: both memories replaced by the snapshot's */
    public static ApplyOptions all() {
        return new ApplyOptions(true, true, null, false, false);
    }

    /** @return only the conversation is restored; long-term memory stays as it is */
    public static ApplyOptions shortTermOnly() {
        return new ApplyOptions(true, false, null, false, false);
    }

    /** @return only long-term memory is restored; the conversation stays as it is */
    public static ApplyOptions longTermOnly() {
        return new ApplyOptions(false, true, null, false, false);
    }

    /**
     * @param selected topics; a memory with any of them is applied
     * @return these options restricted to long-term memories about those topics
     */
    public ApplyOptions withTopics(Collection<String> selected) {
        return new ApplyOptions(shortTerm, longTerm, Set.copyOf(selected), merge, fromOtherMemory);
    }

    /** @return these options, adding and updating memories instead of replacing them */
    public ApplyOptions merging() {
        return new ApplyOptions(shortTerm, longTerm, topics, true, fromOtherMemory);
    }

    /** @return these options, allowing a snapshot of another memory id: an explicit copy of that memory */
    public ApplyOptions fromAnyMemory() {
        return new ApplyOptions(shortTerm, longTerm, topics, merge, true);
    }
}
