package dev.memsnap.websocket;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEvent.Action;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.manager.ManagerModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event backend is an SPI: a host's own replaces the WebSocket server with one binding, the decorator unchanged,
 * and the decorator works around a manager it was not wired with.
 */
class EventBackendReplacementTest {
    @TempDir
    Path dir;

    /** A host's backend, say a message broker: records what it gets and its lifecycle calls. */
    static final class RecordingBackend implements SnapshotEventListener {
        final List<SnapshotEvent> events = new CopyOnWriteArrayList<>();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        @Override
        public void start() {
            starts.incrementAndGet();
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }

        @Override
        public void onEvent(SnapshotEvent event) {
            events.add(event);
        }

        List<String> summary() {
            return events.stream().map(e -> (e.automatic() ? "automatic " : "") + e.action().wireName()
                    + (e.success() == null ? "" : " " + e.success())).toList();
        }
    }

    @Test
    void aHostsBackendReplacesTheServerAndGetsEveryEventOnce() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        Harness harness = Harness.start(dir, "", "snapshot_interval: 2", new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), WebSocketModule.EVENT_BACKEND).setBinding()
                        .toInstance(backend);
            }
        });
        try {
            assertInstanceOf(WebSocketEnhancedMemoryManager.class, harness.manager);
            assertFalse(harness.endpoint.isRunning(), "the replaced server never listens");
            assertEquals(1, backend.starts.get(), "the runtime started the host's backend");

            EnhancedMemoryManager manager = harness.manager;
            String id = manager.createSnapshot();
            URI location = manager.saveSnapshot(id);
            manager.loadSnapshot(location);
            manager.applySnapshot(id);
            manager.applySnapshot("snapshot_20000101_000000_00000000");
            manager.listSnapshots();
            assertThrows(SnapshotNotFoundException.class,
                    () -> manager.saveSnapshot("snapshot_20000101_000000_00000000"));
            manager.enableAutoSnapshot(2);
            manager.addTurn("user", "one");
            manager.addTurn("assistant", "two");
        } finally {
            harness.close(); // waits for the automatic save in the background
        }
        assertEquals(List.of("create", "save", "load", "apply true", "apply false", "list",
                "automatic create", "automatic save"), backend.summary());
        assertEquals(1, backend.stops.get());
    }

    @Test
    void theDecoratorWrapsAManagerItWasNotWiredWith() {
        EnhancedMemoryManager plain = Guice.createInjector(
                new MemorySnapshotModule(MemoryConfig.defaults().withSnapshotDir(dir)))
                .getInstance(ManagerModule.CORE_MANAGER);
        RecordingBackend backend = new RecordingBackend();
        EnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(plain, backend);

        decorated.addTurn("user", "hello");
        String id = decorated.createSnapshot();
        URI location = decorated.saveSnapshot(id);
        assertEquals(id, decorated.loadSnapshot(Path.of(location)));
        assertTrue(decorated.applySnapshot(id));
        assertThrows(InvalidSnapshotIdException.class, () -> decorated.applySnapshot("nope"));
        assertEquals(1, decorated.listSnapshots().size());

        assertEquals(List.of("create", "save", "load", "apply true", "list"), backend.summary());
        SnapshotEvent saved = backend.events.get(1);
        assertEquals(location, saved.location());
        assertEquals(id, saved.metadata().snapshotId());
        assertEquals(1, saved.metadata().shortTermTurns());
        assertEquals(location, backend.events.get(2).location(), "a loaded file's location");
        assertNull(backend.events.get(4).snapshotId());
        assertEquals(List.of("hello"), decorated.turns().stream().map(t -> t.content()).toList());
    }

    @Test
    void aFailingBackendNeverFailsTheOperation() {
        EnhancedMemoryManager plain = Guice.createInjector(
                new MemorySnapshotModule(MemoryConfig.defaults().withSnapshotDir(dir)))
                .getInstance(ManagerModule.CORE_MANAGER);
        EnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(plain, event -> {
            throw new IllegalStateException("broker down");
        });
        String id = decorated.createSnapshot();
        assertTrue(decorated.getSnapshot(id).isPresent());
        assertTrue(decorated.applySnapshot(id));
    }

    @Test
    void onlyAutomaticEventsAreForwardedFromCore() {
        RecordingBackend backend = new RecordingBackend();
        AutomaticEventForwarder forwarder = new AutomaticEventForwarder(backend);
        forwarder.onEvent(SnapshotEvent.created(EventJsonTest.SEED_METADATA, false));
        forwarder.onEvent(SnapshotEvent.created(EventJsonTest.SEED_METADATA, true));
        forwarder.onEvent(SnapshotEvent.saved(EventJsonTest.SEED_METADATA, URI.create("file:///x"), false));
        forwarder.onEvent(SnapshotEvent.saved(EventJsonTest.SEED_METADATA, URI.create("file:///x"), true));
        assertEquals(List.of(Action.CREATE, Action.SAVE), backend.events.stream().map(SnapshotEvent::action).toList());
        assertTrue(backend.events.stream().allMatch(SnapshotEvent::automatic));
    }
}
