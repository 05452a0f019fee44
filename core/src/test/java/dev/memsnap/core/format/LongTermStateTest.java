package dev.memsnap.core.format;

import dev.memsnap.api.Memory;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.Turn;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class LongTermStateTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 1, 0, 0);

    private static Memory memory(int i) {
        return Memory.of("memory " + i, T0, 0.5, "fact", List.of());
    }

    /** Memories out of time order, with ties, missing source types and huge importances. */
    private static Memory randomMemory(Random random, int i) {
        LocalDateTime t = T0.plusMinutes(random.nextInt(50)); // many equal timestamps
        double importance = random.nextInt(10) == 0 ? Double.MAX_VALUE : random.nextDouble();
        String source = random.nextInt(5) == 0 ? null : List.of("fact", "preference", "event").get(random.nextInt(3));
        List<String> topics = List.of("t" + random.nextInt(30), "t" + random.nextInt(30)).stream().distinct().toList();
        return Memory.of("memory " + i, t, importance, source, topics);
    }

    @Test
    void keptStatisticsEqualThoseComputedFromScratchAtEverySize() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            LongTermState state = LongTermState.empty();
            Set<String> topics = new HashSet<>();
            Map<String, Memory> plain = new LinkedHashMap<>();
            int count = 1 + random.nextInt(60);
            for (int i = 0; i < count; i++) {
                Memory memory = randomMemory(random, i);
                String id = random.nextInt(4) == 0 ? "note_" + i : "memory_" + (i * 3);
                state = state.append(id, memory, topics);
                plain.put(id, memory);

                List<Turn> turns = List.of(new Turn("user", "hi"));
                MemorySnapshot fast = Snapshots.of("snapshot_20250101_000000_00000001", T0.plusHours(1), turns, T0,
                        state, null);
                MemorySnapshot slow = Snapshots.of("snapshot_20250101_000000_00000001", T0.plusHours(1), turns, T0,
                        plain, null);
                assertEquals(slow, fast, "seed " + seed + " after " + (i + 1) + " memories");
                assertEquals(List.copyOf(slow.longTerm().memories().keySet()),
                        List.copyOf(fast.longTerm().memories().keySet()), "order kept");
            }
            assertEquals(plain, LongTermState.of(plain));
            assertSame(state, LongTermState.of(state));
        }
    }

    @Test
    void puttingReplacesInPlaceAppendsTheRestKeepsStatisticsExactAndSharesTheUnchangedRuns() {
        Random random = new Random(7);
        Map<String, Memory> plain = new LinkedHashMap<>();
        for (int i = 0; i < 3_000; i++) {
            plain.put("memory_" + i, randomMemory(random, i));
        }
        LongTermState state = LongTermState.of(plain);
        Map<String, Memory> changes = new LinkedHashMap<>();
        changes.put("memory_1500", randomMemory(random, 1500));
        changes.put("memory_3", randomMemory(random, 3));
        changes.put("note_new", randomMemory(random, 4000));
        LongTermState put = state.putting(changes);

        Map<String, Memory> expected = new LinkedHashMap<>(plain);
        expected.putAll(changes);
        List<Turn> turns = List.of(new Turn("user", "hi"));
        assertEquals(Snapshots.of("snapshot_20250101_000000_00000001", T0, turns, T0, expected, null),
                Snapshots.of("snapshot_20250101_000000_00000001", T0, turns, T0, put, null), "statistics too");
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(put.keySet()), "replaced in place, new at the end");
        assertEquals(changes.get("memory_3"), put.get("memory_3"));
        assertEquals(plain, state, "the state put into is unchanged");
        int run = dev.memsnap.core.collect.PersistentVector.RUN;
        assertEquals(state.entries().sharedRun(run * 10), put.entries().sharedRun(run * 10), "an unchanged run");
        assertNotEquals(state.entries().sharedRun(1500), put.entries().sharedRun(1500), "the changed one's run");
        assertNotEquals(state.entries().sharedRun(3), put.entries().sharedRun(3));
    }

    @Test
    void aSnapshotSharesTheStateInsteadOfCopyingIt() {
        LongTermState state = LongTermState.empty().append("memory_1",
                Memory.of("x", T0, 0.5, "fact", List.of("a")), new HashSet<>());
        MemorySnapshot snapshot = Snapshots.of("snapshot_20250101_000000_00000001", T0, List.of(), T0, state, null);
        assertSame(state, snapshot.longTerm().memories());
        assertSame(state.topics(), snapshot.longTerm().topics());
        assertEquals(1, state.highestNumber());
    }

    @Test
    void anIdAddedTwiceIsRefusedWhateverTheIdsBeforeAndTheLookupsFindEveryMemory() {
        List<List<String>> orders = List.of(
                List.of("memory_1", "memory_2", "memory_3", "memory_2"),
                List.of("memory_1", "memory_3", "memory_2", "memory_3"),
                List.of("memory_1", "memory_5", "memory_5"),
                List.of("memory_07", "memory_8", "memory_07"),
                List.of("memory_7", "memory_07", "memory_8", "memory_7"),
                List.of("m", "memory_1", "m"),
                List.of("memory_1", "memory_0", "memory_0"),
                List.of("memory_2", "memory_9999999999999999999", "memory_9999999999999999999"));
        for (List<String> ids : orders) {
            LongTermState.Builder builder = LongTermState.builder();
            for (int i = 0; i < ids.size() - 1; i++) {
                builder.add(ids.get(i), memory(i));
            }
            String again = ids.get(ids.size() - 1);
            assertEquals("memory id \"" + again + "\" appears twice", org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> builder.add(again, memory(99)), ids::toString).getMessage());
            LongTermState state = builder.build();
            for (int i = 0; i < ids.size() - 1; i++) {
                assertEquals("memory " + i, state.get(ids.get(i)).content(), ids + " " + ids.get(i));
            }
            assertEquals(null, state.get("memory_4"));
        }
    }
}
