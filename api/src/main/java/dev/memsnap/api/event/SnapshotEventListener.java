package dev.memsnap.api.event;

import dev.memsnap.api.Lifecycle;

/**
 * The event backend: receives every snapshot event (create, save, load, apply, list, automatic ones included). The
 * default logs them; the websocket module streams them to dashboards; a host binds its own with Guice.
 *
 * <p>Called after the operation succeeded, on the thread that did it, except the {@code create} event of an automatic
 * snapshot taken on a turn: that one comes from memsnap's save thread, or from whichever call of that memory needs
 * the snapshot first (a list, a get, an apply), always before the snapshot's own {@code save} event and before any
 * later event of that memory. An implementation must return quickly, must not call back into memsnap while it
 * blocks, and must not throw; what it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface SnapshotEventListener extends Lifecycle {

    /** @param event what happened */
    void onEvent(SnapshotEvent event);
}
