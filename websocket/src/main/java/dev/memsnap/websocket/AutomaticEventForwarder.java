package dev.memsnap.websocket;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;

import java.util.Objects;

/**
 * Sits in core's set of event listeners and passes on only the events of automatic snapshots, which happen inside
 * core's manager where {@link WebSocketEnhancedMemoryManager} cannot see them. Every other event core publishes was
 * caused by a call through the decorator, which emits it itself: forwarding those too would send them twice.
 *
 * <p>Core starts its listeners before the managers and stops them after, so this listener also starts and stops the
 * backend: the server is listening before the first event and still sending while the last automatic saves finish.
 */
final class AutomaticEventForwarder implements SnapshotEventListener {
    private final SnapshotEventListener backend;

    AutomaticEventForwarder(SnapshotEventListener backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    public void start() {
        backend.start();
    }

    @Override
    public void stop() {
        backend.stop();
    }

    @Override
    public void onEvent(SnapshotEvent event) {
        if (event.automatic()) {
            backend.onEvent(event);
        }
    }

    @Override
    public String toString() {
        return "AutomaticEventForwarder[" + backend + "]";
    }
}
