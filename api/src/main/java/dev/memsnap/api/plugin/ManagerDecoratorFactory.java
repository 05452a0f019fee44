package dev.memsnap.api.plugin;

import dev.memsnap.api.EnhancedMemoryManager;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Makes a decorator of the memory manager: a function from the manager to one that wraps it. Decorators change
 * nothing a caller can observe except what they document.
 */
public interface ManagerDecoratorFactory {

    /** @return the decorator's name, for logs */
    String name();

    /**
     * @param config  the host's configuration
     * @param context what memsnap offers
     * @return the decorator, or empty when the configuration turns it off
     * @throws dev.memsnap.api.ConfigException when its configuration is wrong
     */
    Optional<UnaryOperator<EnhancedMemoryManager>> create(PluginConfig config, PluginContext context);

    /**
     * @param name   the decorator's name
     * @param create how to make it
     * @return a factory of that name
     */
    static ManagerDecoratorFactory of(String name, BiFunction<PluginConfig, PluginContext,
            Optional<UnaryOperator<EnhancedMemoryManager>>> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(create, "create");
        return new ManagerDecoratorFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<UnaryOperator<EnhancedMemoryManager>> create(PluginConfig config,
                                                                         PluginContext context) {
                return create.apply(config, context);
            }

            @Override
            public String toString() {
                return "ManagerDecoratorFactory[" + name + "]";
            }
        };
    }
}
