package dev.memsnap.core.manager;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * The one place snapshot events are produced from: hands each event to every bound listener, then to every
 * subscriber; a listener that throws is logged and does not stop the others.
 */
final class EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final List<SnapshotEventListener> listeners;
    private final List<SnapshotEventListener> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Inject
    EventPublisher(Set<SnapshotEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Adds a listener until the returned handle is closed: how a decorator receives the events of this manager. */
    AutoCloseable subscribe(SnapshotEventListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    void publish(SnapshotEvent event) {
        deliver(listeners, event);
        deliver(subscribers, event);
    }

    private static void deliver(List<SnapshotEventListener> to, SnapshotEvent event) {
        for (SnapshotEventListener listener : to) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("Snapshot event listener {} failed on {} {}", listener, event.action().wireName(),
                        event.snapshotId(), e);
            }
        }
    }
}
