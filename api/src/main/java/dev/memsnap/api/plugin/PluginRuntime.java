package dev.memsnap.api.plugin;

import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.store.SnapshotStore;

import java.util.Optional;

/** The running memsnap, as a plugin's parts see it once they are started. */
public interface PluginRuntime {

    /** @return the default memory's manager, decorated */
    EnhancedMemoryManager manager();

    /** @return every memory of the host, one (decorated) manager per memory id */
    dev.memsnap.api.MemoryManagers memories();

    /** @return the store {@code memory.store} chose */
    SnapshotStore store();

    /**
     * @param type an interface a service implements, such as the websocket module's {@code WebSocketEndpoint}
     * @param <T>  that type
     * @return the first started service of that type, or empty when none is
     */
    <T> Optional<T> service(Class<T> type);
}
