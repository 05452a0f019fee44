package dev.memsnap.api.plugin;

import dev.memsnap.api.Lifecycle;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Makes a long-running part, such as a server, that memsnap starts after the store and stops before it. Other parts
 * find a service by type through {@link PluginRuntime#service(Class)}.
 */
public interface ServiceFactory {

    /** @return the service's name, for logs */
    String name();

    /**
     * Makes the service; does no I/O (it binds sockets or starts threads in {@link Lifecycle#start()}).
     *
     * @param config  the host's configuration
     * @param context what memsnap offers; {@link PluginContext#runtime()} is usable from {@code start()} on
     * @return the service, or empty when the configuration turns it off
     * @throws dev.memsnap.api.ConfigException when its configuration is wrong
     */
    Optional<Lifecycle> create(PluginConfig config, PluginContext context);

    /**
     * @param name   the service's name
     * @param create how to make it
     * @return a factory of that name
     */
    static ServiceFactory of(String name, BiFunction<PluginConfig, PluginContext, Optional<Lifecycle>> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(create, "create");
        return new ServiceFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Lifecycle> create(PluginConfig config, PluginContext context) {
                return create.apply(config, context);
            }

            @Override
            public String toString() {
                return "ServiceFactory[" + name + "]";
            }
        };
    }
}
