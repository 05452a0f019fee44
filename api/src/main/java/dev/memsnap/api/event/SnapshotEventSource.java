package dev.memsnap.api.event;

/**
 * Something that produces snapshot events, such as memsnap's own memory manager: a decorator subscribes to the
 * manager it wraps instead of producing events of its own, so each event is produced once, in one place.
 */
public interface SnapshotEventSource {

    /**
     * @param listener receives every event this source produces from now on, automatic snapshots included
     * @return closing it ends the subscription
     */
    AutoCloseable subscribe(SnapshotEventListener listener);
}
