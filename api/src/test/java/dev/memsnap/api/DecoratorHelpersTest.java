package dev.memsnap.api;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.memory.ShortTermMemory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two pieces api gives the framework decorators: the window overlap and the apply subscription. */
class DecoratorHelpersTest {
    @Test
    void theOverlapIsTheLongestTailOfTheRecordedThatStartsTheWindow() {
        assertEquals(2, ShortTermMemory.windowOverlap(List.of("a", "b", "c"), List.of("b", "c", "d")));
        assertEquals(3, ShortTermMemory.windowOverlap(List.of("x", "x", "x"), List.of("x", "x", "x")));
        assertEquals(0, ShortTermMemory.windowOverlap(List.of("a", "b"), List.of("c")));
        assertEquals(0, ShortTermMemory.windowOverlap(List.of(), List.of("c")));
        assertEquals(1, ShortTermMemory.windowOverlap(List.of("a", "b"), List.of("b", "a", "b")));
    }

    @Test
    void onlySuccessfulAppliesReachTheListenerAndNoSourceMeansNoSubscription() throws Exception {
        List<SnapshotEventListener> subscribed = new ArrayList<>();
        SnapshotEventSource source = listener -> {
            subscribed.add(listener);
            return () -> subscribed.remove(listener);
        };
        List<String> applied = new ArrayList<>();
        AutoCloseable subscription = SnapshotEventSource.subscribeToApplies(source, e -> applied.add(e.snapshotId()))
                .orElseThrow();
        String id = "snapshot_20250426_123456_abcd1234";
        for (SnapshotEvent.Action action : SnapshotEvent.Action.values()) {
            subscribed.get(0).onEvent(new SnapshotEvent(action, id, null, null, true, false, null, Instant.now()));
            subscribed.get(0).onEvent(new SnapshotEvent(action, id, null, null, false, false, null, Instant.now()));
        }
        assertEquals(List.of(id), applied);
        subscription.close();
        assertTrue(subscribed.isEmpty());
        assertTrue(SnapshotEventSource.subscribeToApplies(new Object(), e -> { }).isEmpty());
    }

    @Test
    void anItemsMetadataDescribesItsMemoryWithTheIntegrationsDefaultsForWhatIsMissing() {
        LocalDateTime t = LocalDateTime.of(2026, 12, 3, 8, 0);
        Memory described = Memory.describing("Alice lives in Lisbon.", t, Map.of(Memory.SOURCE_TYPE, "fact",
                Memory.TOPICS, "user, home ,,", Memory.IMPORTANCE, " 0.8 "), "segment", 0.5, "langchain4j",
                Map.of("vector", "AAAA"));
        assertEquals("fact", described.sourceType());
        assertEquals(List.of("user", "home"), described.topics());
        assertEquals(0.8, described.importance());
        assertEquals(Map.of("vector", "AAAA"), described.metadata().get("langchain4j"));
        assertEquals("Alice lives in Lisbon.", described.content());

        Memory listed = Memory.describing(null, t, Map.of(Memory.TOPICS, List.of("a", " b"), Memory.IMPORTANCE, 2),
                "document", 0.5, "spring_ai", Map.of());
        assertEquals(List.of("a", "b"), listed.topics());
        assertEquals(2.0, listed.importance());
        assertEquals("document", listed.sourceType());
        assertEquals("", listed.content());

        for (Object unusable : List.of("high", Double.NaN, Double.POSITIVE_INFINITY, "Infinity")) {
            Memory fallback = Memory.describing("x", t, Map.of(Memory.SOURCE_TYPE, " ", Memory.IMPORTANCE, unusable),
                    "segment", 0.5, "langchain4j", Map.of());
            assertEquals(0.5, fallback.importance(), "importance " + unusable);
            assertEquals("segment", fallback.sourceType(), "a blank source type");
        }
    }
}
