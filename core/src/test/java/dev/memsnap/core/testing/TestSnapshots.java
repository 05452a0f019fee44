package dev.memsnap.core.testing;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import dev.memsnap.core.format.Snapshots;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sample snapshots for tests of any store or format. */
public final class TestSnapshots {
    private TestSnapshots() {
    }

    /**
     * @param id        a valid snapshot id
     * @param timestamp when it was taken
     * @param turns     how many turns it holds
     * @param memories  how many memories it holds
     * @return a snapshot with that many turns and memories, its content derived from the id
     */
    public static MemorySnapshot snapshot(String id, LocalDateTime timestamp, int turns, int memories) {
        List<Turn> turnList = new java.util.ArrayList<>();
        for (int i = 0; i < turns; i++) {
            turnList.add(new Turn(i % 2 == 0 ? "user" : "assistant", "turn " + i + " of " + id));
        }
        Map<String, Memory> memoryMap = new LinkedHashMap<>();
        for (int i = 0; i < memories; i++) {
            memoryMap.put("memory_" + (i + 1), Memory.of("memory " + i + " of " + id, timestamp.minusMinutes(i),
                    (i % 10) / 10.0, i % 2 == 0 ? "fact" : "preference", List.of("topic" + (i % 3), "user")));
        }
        return Snapshots.of(id, timestamp, turnList, timestamp.minusHours(1), memoryMap, null);
    }

    /** @return a snapshot whose text is hard to keep exact: Unicode, controls, quotes, a megabyte-long string */
    public static MemorySnapshot awkward(String id, LocalDateTime timestamp) {
        String hard = "emoji \uD83D\uDE00 CJK \u4E2D\u6587 RTL \u05E9\u05DC\u05D5\u05DD combining e\u0301 "
                + "quotes \" ' backslash \\ newline\n tab\t nul\u0000 bell\u0007 \u2028 end";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Memory.SOURCE_TYPE, "fact");
        metadata.put(Memory.TOPICS, List.of("\u4E2D\u6587", "a\"b"));
        metadata.put("extra", Map.of("nested", List.of(1, 2.5, true, "x")));
        metadata.put("nothing", null);
        Map<String, Memory> memories = new LinkedHashMap<>();
        memories.put("memory_\u00E9", new Memory(hard, timestamp, 0.123456789, metadata));
        memories.put("memory_big", Memory.of("x".repeat(1 << 20) + hard, timestamp, 1e-7, null, List.of()));
        return Snapshots.of(id, timestamp, List.of(new Turn("user", hard), new Turn("", "")),
                timestamp.minusSeconds(5), memories, "search");
    }

    /** @return the seed's example snapshot, as the bytes of its file */
    public static byte[] seedSnapshotJson() {
        try (InputStream in = TestSnapshots.class.getResourceAsStream("/fixtures/seed-snapshot.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
