package dev.memsnap.core.manager;

import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every snapshot event at DEBUG under {@code dev.memsnap.events}. */
final class LoggingEventListener implements SnapshotEventListener {
    private static final Logger log = LoggerFactory.getLogger("dev.memsnap.events");

    @Override
    public void onEvent(SnapshotEvent event) {
        if (log.isDebugEnabled()) {
            log.debug("{}{} {}{}", event.automatic() ? "automatic " : "", event.action().wireName(),
                    event.snapshotId() == null ? event.snapshots().size() + " snapshots" : event.snapshotId(),
                    event.location() == null ? "" : " at " + event.location());
        }
    }

    @Override
    public String toString() {
        return "LoggingEventListener";
    }
}
