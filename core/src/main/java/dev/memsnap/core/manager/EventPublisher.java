package dev.memsnap.core.manager;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place snapshot events are produced from, for every memory: hands each event to every bound listener, then
 * to the subscribers of its memory and of all memories. A listener that throws is logged and does not stop the others.
 */
@Singleton
final class EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private record Subscription(String memoryId, SnapshotEventListener listener) {
    }

    private final List<SnapshotEventListener> listeners;
    private final List<Subscription> subscribers;
    /** The publisher of every memory, for one memory's; {@code null} for that one itself. */
    private final EventPublisher parent;

    @Inject
    EventPublisher(Set<SnapshotEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.subscribers = new CopyOnWriteArrayList<>();
        this.parent = null;
    }

    private EventPublisher(EventPublisher parent) {
        this.listeners = List.of();
        this.subscribers = new CopyOnWriteArrayList<>();
        this.parent = parent;
    }

    /**
     * @return a publisher for one memory's manager: what it publishes goes to every listener and subscriber of this
     *         one, and to its own subscribers, which live as long as it (and so the manager) does
     */
    EventPublisher forOneMemory() {
        return new EventPublisher(this);
    }

    /**
     * @param memoryId the memory whose events to receive, or {@code null} for every memory's
     * @param listener the subscriber
     * @return closing it ends the subscription
     */
    AutoCloseable subscribe(String memoryId, SnapshotEventListener listener) {
        Subscription subscription = new Subscription(memoryId, Objects.requireNonNull(listener, "listener"));
        subscribers.add(subscription);
        return () -> subscribers.remove(subscription);
    }

    void publish(SnapshotEvent event) {
        if (parent != null) {
            parent.publish(event);
        }
        for (SnapshotEventListener listener : listeners) {
            deliver(listener, event);
        }
        for (Subscription s : subscribers) {
            if (s.memoryId() == null || s.memoryId().equals(event.memoryId())) {
                deliver(s.listener(), event);
            }
        }
    }

    private static void deliver(SnapshotEventListener listener, SnapshotEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("Snapshot event listener {} failed on {} {}", listener, event.action().wireName(),
                    event.snapshotId(), e);
        }
    }
}
