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

    /**
     * What a framework decorator (LangChain4j's chat memory store, Spring AI's chat memory repository) needs to write
     * an applied snapshot back into the framework's own storage: every successful apply, undo included.
     *
     * @param memories  the memories to follow; events come only when it is a {@code SnapshotEventSource}, as memsnap's
     *                  own {@code MemoryManagers} is
     * @param onApplied receives each successful {@link SnapshotEvent.Action#APPLY} event, on the applying thread
     * @return the subscription (close it to end it), or empty when {@code memories} produces no events
     */
    static java.util.Optional<AutoCloseable> subscribeToApplies(Object memories, SnapshotEventListener onApplied) {
        java.util.Objects.requireNonNull(onApplied, "onApplied");
        if (!(memories instanceof SnapshotEventSource source)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(source.subscribe(event -> {
            if (event.action() == SnapshotEvent.Action.APPLY && Boolean.TRUE.equals(event.success())) {
                onApplied.onEvent(event);
            }
        }));
    }
}
