package dev.memsnap.api.plugin;

import dev.memsnap.api.event.SnapshotEventListener;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/** Makes an event backend, or none when its configuration turns it off. */
public interface EventListenerFactory {

    /** @return the backend's name, for logs */
    String name();

    /**
     * Makes the listener; does no I/O (a listener that opens files or sockets does so in {@code start()}).
     *
     * @param config  the host's configuration
     * @param context what memsnap offers a backend
     * @return the listener, or empty when the configuration turns it off
     * @throws dev.memsnap.api.ConfigException when its configuration is wrong
     */
    Optional<SnapshotEventListener> create(PluginConfig config, PluginContext context);

    /**
     * @param name   the backend's name
     * @param create how to make it
     * @return a factory of that name
     */
    static EventListenerFactory of(String name,
                                   BiFunction<PluginConfig, PluginContext, Optional<SnapshotEventListener>> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(create, "create");
        return new EventListenerFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<SnapshotEventListener> create(PluginConfig config, PluginContext context) {
                return create.apply(config, context);
            }

            @Override
            public String toString() {
                return "EventListenerFactory[" + name + "]";
            }
        };
    }
}
