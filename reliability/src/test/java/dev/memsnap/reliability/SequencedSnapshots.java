package dev.memsnap.reliability;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.SnapshotIds;
import dev.memsnap.core.format.Snapshots;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshots the crash writer saves, each a pure function of its sequence number, so that the parent can rebuild
 * exactly what the writer would have written and compare it with what survived the kill. Sizes vary: every fourth
 * snapshot carries a few hundred kilobytes, so that a kill often lands inside a long write (and an encrypted one spans
 * several 64 KiB segments).
 */
final class SequencedSnapshots {
    private static final LocalDateTime BASE = LocalDateTime.of(2025, 1, 1, 0, 0);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private SequencedSnapshots() {
    }

    /**
     * @param seq a sequence number, at least 1
     * @return the id of the snapshot with that number: its time is the base plus {@code seq} seconds, its hex is seq
     */
    static String idOf(long seq) {
        return "snapshot_" + STAMP.format(BASE.plusSeconds(seq)) + "_" + String.format("%08x", seq);
    }

    /**
     * @param id an id {@link #idOf} made
     * @return its sequence number
     */
    static long seqOf(String id) {
        SnapshotIds.requireValid(id);
        return Long.parseLong(id.substring(id.length() - 8), 16);
    }

    /**
     * @param seq a sequence number
     * @return the snapshot with that number, the same on every call and in every JVM
     */
    static MemorySnapshot snapshot(long seq) {
        LocalDateTime taken = BASE.plusSeconds(seq);
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i <= seq % 5; i++) {
            turns.add(new Turn(i % 2 == 0 ? "user" : "assistant", "turn " + i + " of " + seq + " \u00e9\uD83D\uDE00"));
        }
        if (seq % 4 == 0) {
            turns.add(new Turn("assistant", filler(seq, 300_000)));
        }
        Map<String, Memory> memories = new LinkedHashMap<>();
        for (int i = 0; i <= seq % 3; i++) {
            memories.put("memory_" + (i + 1), Memory.of("memory " + i + " of " + seq, taken.minusMinutes(i),
                    (seq % 10) / 10.0, i % 2 == 0 ? "fact" : "preference", List.of("topic" + (seq % 7), "user")));
        }
        return Snapshots.of(idOf(seq), taken, turns, taken.minusHours(1), memories, seq % 2 == 0 ? "search" : null);
    }

    /** Text that does not compress to nothing, so that compressed snapshots stay large too. */
    private static String filler(long seq, int length) {
        StringBuilder text = new StringBuilder(length);
        long x = seq * 0x9E3779B97F4A7C15L + 1;
        while (text.length() < length) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            text.append((char) ('a' + Math.floorMod(x, 26)));
        }
        return text.toString();
    }
}
