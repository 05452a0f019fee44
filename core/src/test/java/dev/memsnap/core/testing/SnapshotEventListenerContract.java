package dev.memsnap.core.testing;

import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every event backend ({@link SnapshotEventListener}) must do: deliver every action in the seed's event JSON, in
 * order, from any thread, and start and stop cleanly. A backend module extends this class; the subclass says how to
 * read back what the backend delivered (an audit file's lines, a WebSocket client's messages).
 */
public abstract class SnapshotEventListenerContract {
    protected static final LocalDateTime T0 = LocalDateTime.of(2025, 4, 26, 12, 34, 56, 789_012_000);

    protected SnapshotEventListener listener;

    /** @return a new backend, not started */
    protected abstract SnapshotEventListener createListener() throws Exception;

    /**
     * @param atLeast how many events the caller expects; a backend that delivers asynchronously waits (bounded) until
     *                that many arrived
     * @return the JSON of every event delivered so far, in order
     */
    protected abstract List<String> delivered(int atLeast) throws Exception;

    @BeforeEach
    void startTheListener() throws Exception {
        listener = createListener();
        listener.start();
    }

    @AfterEach
    void stopTheListener() {
        listener.stop();
    }

    private static SnapshotMetadata metadata(int n) {
        return new SnapshotMetadata(String.format("snapshot_20250426_123456_%08x", n), T0.plusSeconds(n), n, 2 * n, 1);
    }

    @Test
    void everyActionIsDeliveredInTheSeedsShapeAndInOrder() throws Exception {
        SnapshotMetadata m = metadata(1);
        URI location = URI.create("file:///tmp/" + m.snapshotId() + ".json");
        List<SnapshotEvent> events = List.of(SnapshotEvent.created(m, false), SnapshotEvent.saved(m, location, true),
                SnapshotEvent.loaded(m, location), SnapshotEvent.applied(m.snapshotId(), m),
                SnapshotEvent.applied(m.snapshotId(), null), SnapshotEvent.listed(List.of(m, metadata(2))));
        events.forEach(listener::onEvent);
        List<String> delivered = delivered(events.size());
        assertEquals(events.size(), delivered.size(), delivered.toString());
        for (int i = 0; i < events.size(); i++) {
            String json = delivered.get(i).replace(" ", "");
            assertTrue(json.contains("\"memory_snapshot\""), json);
            assertTrue(json.contains("\"action\":\"" + events.get(i).action().wireName() + "\""), json);
        }
        assertTrue(delivered.get(0).contains(m.snapshotId()), delivered.get(0));
        assertTrue(delivered.get(1).replace(" ", "").contains("\"automatic\":true"), delivered.get(1));
        assertTrue(delivered.get(4).replace(" ", "").contains("\"success\":false"), delivered.get(4));
        assertTrue(delivered.get(5).contains(metadata(2).snapshotId()), delivered.get(5));
    }

    @Test
    void eventsFromManyThreadsAreAllDelivered() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                SnapshotMetadata m = metadata(100 + i);
                sent.add(pool.submit(() -> listener.onEvent(SnapshotEvent.created(m, false))));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> delivered = delivered(200);
        assertEquals(200, delivered.size());
        for (int i = 0; i < 200; i++) {
            String id = metadata(100 + i).snapshotId();
            assertEquals(1, delivered.stream().filter(json -> json.contains(id)).count(), id);
        }
    }

    @Test
    void stoppingTwiceAndStoppingANeverStartedBackendAreSafe() throws Exception {
        listener.stop();
        assertDoesNotThrow(listener::stop);
        SnapshotEventListener fresh = createListener();
        assertDoesNotThrow(fresh::stop, "stop without start");
        listener.start(); // the @AfterEach stops it again
    }
}
