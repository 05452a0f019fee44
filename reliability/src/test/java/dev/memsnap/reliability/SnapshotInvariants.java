package dev.memsnap.reliability;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.Snapshots;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every snapshot taken during the concurrency tests must satisfy, whatever interleaving produced it. Workers
 * write turns {@code "<worker>:<n>"} and memories {@code "m<worker>:<n>"} with n rising, and memory only ever grows or
 * is replaced whole by an apply, so in any state that really existed each worker's numbers rise in order; a torn
 * capture or a half-applied snapshot breaks that or the counts.
 */
final class SnapshotInvariants {
    private SnapshotInvariants() {
    }

    /**
     * @param s     a snapshot
     * @param where what to say in a failure
     */
    static void assertConsistent(MemorySnapshot s, String where) {
        String id = where + " " + s.snapshotId();
        assertEquals(s.shortTerm().turns().size(), s.shortTerm().turnCount(), id + ": turn_count");
        assertEquals(s.longTerm().memories().size(), s.longTerm().memoryCount(), id + ": memory_count");
        assertEquals(Snapshots.topicsOf(s.longTerm().memories().values()), s.longTerm().topics(), id + ": topics");
        assertEquals(s.shortTerm().turns().size(), s.memoryStats().shortTerm().turnCount(), id + ": stats turn_count");
        assertEquals(s.longTerm().memories().size(), s.memoryStats().longTerm().totalMemories(),
                id + ": stats total_memories");
        assertRising(s.shortTerm().turns().stream().map(Turn::content).toList(), "", id + ": turns");
        assertRising(s.longTerm().memories().values().stream().map(Memory::content).toList(), "m", id + ": memories");
    }

    /**
     * @param live a live state: turns and memories, each read at one instant
     */
    static void assertConsistent(List<Turn> turns, Map<String, Memory> memories, String where) {
        assertRising(turns.stream().map(Turn::content).toList(), "", where + ": live turns");
        assertRising(memories.values().stream().map(Memory::content).toList(), "m", where + ": live memories");
    }

    private static void assertRising(List<String> contents, String prefix, String where) {
        Map<String, Long> last = new HashMap<>();
        for (String content : contents) {
            if (!content.startsWith(prefix) || content.indexOf(':') < 0) {
                fail(where + ": content no worker wrote: " + content);
            }
            String worker = content.substring(prefix.length(), content.indexOf(':'));
            long n = Long.parseLong(content.substring(content.indexOf(':') + 1));
            Long previous = last.put(worker, n);
            assertTrue(previous == null || previous < n, where + ": worker " + worker + " wrote " + n + " after "
                    + previous + ", which no real state holds");
        }
    }
}
