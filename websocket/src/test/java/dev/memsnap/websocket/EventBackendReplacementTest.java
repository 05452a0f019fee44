package dev.memsnap.websocket;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.InvalidSnapshotIdException;
import dev.memsnap.api.ManagerStats;
import dev.memsnap.api.Memory;
import dev.memsnap.api.MemoryManagers;
import dev.memsnap.api.MemorySnapshot;
import dev.memsnap.api.SnapshotMetadata;
import dev.memsnap.api.SnapshotNotFoundException;
import dev.memsnap.api.Turn;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.plugin.ManagerDecoratorFactory;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.ServiceFactory;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemoryConfig;
import dev.memsnap.core.MemorySnapshotModule;
import dev.memsnap.core.MemsnapLifecycle;
import dev.memsnap.core.PluginModule;
import dev.memsnap.core.manager.ManagerModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event backend is an SPI: another plugin's decorator gives the decorator a backend of its own in place of the
 * WebSocket server, the decorator unchanged; the decorator subscribes its backend to a manager that produces its own
 * events, and makes the events of a manager it was not wired with.
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

    /** A plugin of the host's: its broker as a service (started and stopped by memsnap) and the decorator over it. */
    static MemsnapPlugin brokerPlugin(RecordingBackend backend) {
        return new MemsnapPlugin() {
            @Override
            public String name() {
                return "broker";
            }

            @Override
            public List<ServiceFactory> serviceFactories() {
                return List.of(ServiceFactory.of("broker", (config, context) -> Optional.of(backend)));
            }

            @Override
            public List<ManagerDecoratorFactory> managerDecoratorFactories() {
                return List.of(ManagerDecoratorFactory.of("broker", (config, context) -> Optional.of(
                        manager -> new WebSocketEnhancedMemoryManager(manager, backend))));
            }
        };
    }

    @Test
    void aHostsBackendReplacesTheServerAndGetsEveryEventOnce() {
        RecordingBackend backend = new RecordingBackend();
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: '" + dir + "'\n"
                + "  snapshot_interval: 2\nwebsocket:\n  enabled: false\n");
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.of(new WebSocketPlugin(), brokerPlugin(backend))));
        MemsnapLifecycle lifecycle = injector.getInstance(MemsnapLifecycle.class).start();
        try {
            EnhancedMemoryManager manager = injector.getInstance(EnhancedMemoryManager.class);
            assertInstanceOf(WebSocketEnhancedMemoryManager.class, manager);
            assertTrue(Harness.service(injector, WebSocketEndpoint.class).isEmpty(),
                    "the replaced server is never made, so it never listens");
            assertEquals(1, backend.starts.get(), "the runtime started the host's backend");

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
            lifecycle.close(); // waits for the automatic save in the background
        }
        assertEquals(List.of("create", "save", "load", "apply true", "apply false", "list",
                "automatic create", "automatic save"), backend.summary());
        assertEquals(1, backend.stops.get());
    }

    private EnhancedMemoryManager coreManager() {
        return Guice.createInjector(new MemorySnapshotModule(MemoryConfig.defaults().withSnapshotDir(dir)))
                .getInstance(ManagerModule.CORE_MANAGER);
    }

    @Test
    void theDecoratorWrapsAManagerItWasNotWiredWith() {
        EnhancedMemoryManager plain = new ForeignManager(coreManager());
        RecordingBackend backend = new RecordingBackend();
        WebSocketEnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(plain, backend);
        assertFalse(decorated.subscribed(), "a manager that reports no events gets them made by the decorator");

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
    void aManagerThatMakesItsOwnEventsIsSubscribedToAndTheDecoratorAddsNone() throws Exception {
        EnhancedMemoryManager core = coreManager();
        RecordingBackend backend = new RecordingBackend();
        WebSocketEnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(core, backend);
        assertTrue(decorated.subscribed());
        RecordingBackend later = new RecordingBackend();
        AutoCloseable subscription = decorated.subscribe(later);

        decorated.addTurn("user", "hello");
        String id = decorated.createSnapshot();
        URI location = decorated.saveSnapshot(id);
        assertEquals(id, decorated.loadSnapshot(Path.of(location)));
        assertTrue(decorated.applySnapshot(id));
        assertThrows(InvalidSnapshotIdException.class, () -> decorated.applySnapshot("nope"));
        assertEquals(1, decorated.listSnapshots().size());
        core.createSnapshot(); // a call that bypasses the decorator still reaches its backend, once

        assertEquals(List.of("create", "save", "load", "apply true", "list", "create"), backend.summary());
        assertEquals(location, backend.events.get(1).location());
        assertEquals(id, backend.events.get(1).metadata().snapshotId());
        assertEquals(location, backend.events.get(2).location(), "a loaded file's location");
        assertEquals(backend.summary(), later.summary(), "a subscriber through the decorator hears the manager");
        subscription.close();
        decorated.createSnapshot();
        assertEquals(6, later.events.size(), "until it unsubscribes");
        assertEquals(7, backend.events.size());
    }

    @Test
    void aFailingBackendNeverFailsTheOperation() {
        for (EnhancedMemoryManager plain : List.of(coreManager(), new ForeignManager(coreManager()))) {
            EnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(plain, event -> {
                throw new IllegalStateException("broker down");
            });
            String id = decorated.createSnapshot();
            assertTrue(decorated.getSnapshot(id).isPresent());
            assertTrue(decorated.applySnapshot(id));
        }
    }

    @Test
    void automaticSnapshotsOfCoresManagerReachTheBackendOnceFromCore() throws InterruptedException {
        RecordingBackend backend = new RecordingBackend();
        Injector injector = Guice.createInjector(new MemorySnapshotModule(MemoryConfig.defaults()
                .withSnapshotDir(dir)));
        EnhancedMemoryManager decorated = new WebSocketEnhancedMemoryManager(
                injector.getInstance(ManagerModule.CORE_MANAGER), backend);
        decorated.createSnapshot();
        decorated.enableAutoSnapshot(1);
        decorated.addTurn("user", "hello");
        injector.getInstance(MemsnapLifecycle.class).close(); // waits for the automatic save
        Reference.reachabilityFence(decorated); // the subscription lasts as long as the decorator
        assertEquals(List.of("create", "automatic create", "automatic save"), backend.summary());
        assertTrue(backend.events.stream().skip(1).allMatch(SnapshotEvent::automatic));
    }

    @Test
    void aMemoryWhoseManagerIsMadeAgainStillSendsEachEventOnce() throws InterruptedException {
        RecordingBackend backend = new RecordingBackend();
        ConfigFile config = ConfigFile.parse("config.yaml", "memory:\n  snapshot_dir: '" + dir + "'\n"
                + "  max_live_memories: 2\nwebsocket:\n  enabled: false\n");
        Injector injector = Guice.createInjector(new MemorySnapshotModule(config.memory()),
                new PluginModule(config, List.of(brokerPlugin(backend))));
        MemoryManagers managers = injector.getInstance(MemoryManagers.class);
        EnhancedMemoryManager alice = managers.get("alice");
        alice.addTurn("user", "hi");
        WeakReference<EnhancedMemoryManager> first = new WeakReference<>(alice);
        alice = null;
        managers.get("bob").addTurn("user", "hi");
        managers.get("carol").addTurn("user", "hi"); // alice is evicted, and no longer held by anyone
        for (int i = 0; i < 20 && first.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        // Whether or not the collector took it, alice's manager (made again, and decorated again, when it did) sends
        // each of its events to the backend once.
        int before = backend.events.size();
        String id = managers.get("alice").createSnapshot();
        // A copy: the evictions' background saves may still be adding events, which a live subList refuses.
        List<SnapshotEvent> all = List.copyOf(backend.events);
        List<SnapshotEvent> after = all.subList(before, all.size());
        assertEquals(1, after.stream().filter(e -> id.equals(e.snapshotId())).count(), after.toString());
        injector.getInstance(MemsnapLifecycle.class).close();
    }

    /** A host's own manager: it does the work (here by forwarding) but reports no events. */
    private static final class ForeignManager implements EnhancedMemoryManager {
        private final EnhancedMemoryManager inner;

        ForeignManager(EnhancedMemoryManager inner) {
            assertInstanceOf(SnapshotEventSource.class, inner);
            this.inner = inner;
        }

        @Override
        public void addTurn(String role, String content) {
            inner.addTurn(role, content);
        }

        @Override
        public void addTurn(Turn turn) {
            inner.addTurn(turn);
        }

        @Override
        public String addMemory(String content, String sourceType, double importance, List<String> topics) {
            return inner.addMemory(content, sourceType, importance, topics);
        }

        @Override
        public List<Turn> turns() {
            return inner.turns();
        }

        @Override
        public Map<String, Memory> memories() {
            return inner.memories();
        }

        @Override
        public String createSnapshot() {
            return inner.createSnapshot();
        }

        @Override
        public URI saveSnapshot(String snapshotId) {
            return inner.saveSnapshot(snapshotId);
        }

        @Override
        public String loadSnapshot(URI location) {
            return inner.loadSnapshot(location);
        }

        @Override
        public String loadSnapshot(Path file) {
            return inner.loadSnapshot(file);
        }

        @Override
        public boolean applySnapshot(String snapshotId) {
            return inner.applySnapshot(snapshotId);
        }

        @Override
        public List<SnapshotMetadata> listSnapshots() {
            return inner.listSnapshots();
        }

        @Override
        public Optional<MemorySnapshot> getSnapshot(String snapshotId) {
            return inner.getSnapshot(snapshotId);
        }

        @Override
        public void enableAutoSnapshot(int interval) {
            inner.enableAutoSnapshot(interval);
        }

        @Override
        public void disableAutoSnapshot() {
            inner.disableAutoSnapshot();
        }

        @Override
        public ManagerStats stats() {
            return inner.stats();
        }
    }
}
