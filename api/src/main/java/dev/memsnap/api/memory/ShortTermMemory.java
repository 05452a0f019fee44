package dev.memsnap.api.memory;

import dev.memsnap.api.Turn;

import java.time.LocalDateTime;
import java.util.List;

/**
 * The conversation an assistant remembers. memsnap's default keeps it in memory; a host whose conversation lives
 * elsewhere binds its own so that snapshots capture and restore it.
 *
 * <p>The memory manager calls these methods under its own lock, so an implementation sees one call at a time from
 * it; state changed behind the manager's back is captured as it is found.
 */
public interface ShortTermMemory {

    /** @param turn a turn to append */
    void add(Turn turn);

    /** @return the turns, oldest first, as an unmodifiable copy */
    List<Turn> turns();

    /** @return when the current conversation began */
    LocalDateTime sessionStart();

    /**
     * Replaces the conversation. Called when a snapshot is applied; must replace all or nothing.
     *
     * @param turns        the turns, oldest first
     * @param sessionStart when that conversation began
     */
    void restore(List<Turn> turns, LocalDateTime sessionStart);

    /** @return the last tool the assistant used, or {@code null}; recorded in snapshot statistics */
    default String lastToolUsed() {
        return null;
    }

    /**
     * How a framework decorator tells the new messages of a chat memory's window from those it recorded before: a
     * window is an earlier window with messages evicted from its front and new ones appended, so the recorded
     * messages' tail overlaps the window's head, and what follows the longest such overlap is new.
     *
     * @param recordedTail the keys of the last recorded messages, oldest first (at most as many as the window has)
     * @param window       the keys of the window's messages, in order
     * @return the largest k such that the last k of {@code recordedTail} are the first k of {@code window}
     */
    static int windowOverlap(List<?> recordedTail, List<?> window) {
        for (int k = Math.min(recordedTail.size(), window.size()); k > 0; k--) {
            if (recordedTail.subList(recordedTail.size() - k, recordedTail.size()).equals(window.subList(0, k))) {
                return k;
            }
        }
        return 0;
    }
}
