package dev.memsnap.core.manager;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/** Hands each event to every bound listener; a listener that throws is logged and does not stop the others. */
final class EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final List<SnapshotEventListener> listeners;

    @Inject
    EventPublisher(Set<SnapshotEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void publish(SnapshotEvent event) {
        for (SnapshotEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("Snapshot event listener {} failed on {} {}", listener, event.action().wireName(),
                        event.snapshotId(), e);
            }
        }
    }
}
