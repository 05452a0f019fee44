package dev.memsnap.api.event;

import dev.memsnap.api.Lifecycle;

/**
 * The event backend: receives every snapshot event (create, save, load, apply, list, automatic ones included). The
 * default logs them; the websocket module streams them to dashboards; a host binds its own with Guice.
 *
 * <p>Called on the thread that did the operation, after it succeeded, so an implementation must return quickly and
 * must not throw; what it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface SnapshotEventListener extends Lifecycle {

    /** @param event what happened */
    void onEvent(SnapshotEvent event);
}
