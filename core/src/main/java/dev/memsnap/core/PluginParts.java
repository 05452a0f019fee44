package dev.memsnap.core;

import dev.memsnap.api.ConfigException;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.plugin.EventListenerFactory;
import dev.memsnap.api.plugin.ManagerDecoratorFactory;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.PluginConfig;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.ServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the plugins' factories made: their event listeners, services and manager decorators, each with the class
 * loader its calls run under. Made once per injector; a factory that fails in a jar of the plugin directory is a
 * {@linkplain #problems() problem} naming the jar and the rest runs on, while a class-path plugin's failure, or any
 * configuration mistake, stops start-up.
 */
final class PluginParts {
    private static final Logger log = LoggerFactory.getLogger(PluginParts.class);

    /** One part a factory made. */
    record Part<T>(String name, T instance, PluginLoader.Found plugin) {
        <R> R call(Supplier<R> call) {
            return PluginParts.call(plugin.loader(), call);
        }

        void run(Runnable run) {
            call(() -> {
                run.run();
                return null;
            });
        }
    }

    private final List<Part<SnapshotEventListener>> listeners = new ArrayList<>();
    private final List<Part<Lifecycle>> services = new ArrayList<>();
    private final List<Part<UnaryOperator<EnhancedMemoryManager>>> decorators = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    PluginParts(List<PluginLoader.Found> plugins, PluginConfig config, PluginContext context) {
        for (PluginLoader.Found found : plugins) {
            MemsnapPlugin plugin = found.plugin();
            try {
                for (EventListenerFactory f : call(found.loader(), plugin::eventListenerFactories)) {
                    make(found, f.name(), () -> f.create(config, context)).ifPresent(l -> listeners.add(l));
                }
                for (ServiceFactory f : call(found.loader(), plugin::serviceFactories)) {
                    make(found, f.name(), () -> f.create(config, context)).ifPresent(s -> services.add(s));
                }
                for (ManagerDecoratorFactory f : call(found.loader(), plugin::managerDecoratorFactories)) {
                    make(found, f.name(), () -> f.create(config, context)).ifPresent(d -> decorators.add(d));
                }
            } catch (RuntimeException | LinkageError e) {
                if (!found.fromDirectory() || e instanceof ConfigException) {
                    throw e;
                }
                problems.add(found.source() + ": plugin \"" + plugin.name() + "\" failed: " + e);
                log.error("Plugin {} from {} failed and is not used", plugin.name(), found.source(), e);
            }
        }
    }

    private static <T> Optional<Part<T>> make(PluginLoader.Found found, String name, Supplier<Optional<T>> create) {
        Optional<T> made = call(found.loader(), create);
        if (made == null) {
            throw new IllegalStateException(found.source() + ": factory " + name + " returned null, not an Optional");
        }
        made.ifPresent(part -> log.info("Plugin {} contributes {} ({})", found.plugin().name(), name, part));
        return made.map(instance -> new Part<>(name, instance, found));
    }

    /** Runs a plugin's code with its class loader as the thread's context class loader. */
    static <R> R call(ClassLoader loader, Supplier<R> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    List<Part<Lifecycle>> services() {
        return services;
    }

    /** @return every plugin listener as one, started, stopped and called each under its own class loader */
    SnapshotEventListener listener() {
        return new Composite("plugin event listeners", listeners);
    }

    /** @return every plugin service as one lifecycle */
    Lifecycle service() {
        return new Composite("plugin services", services);
    }

    /** @return the plugins' decorators applied in order, the first innermost */
    UnaryOperator<EnhancedMemoryManager> decorator() {
        return manager -> {
            EnhancedMemoryManager decorated = manager;
            for (Part<UnaryOperator<EnhancedMemoryManager>> d : decorators) {
                EnhancedMemoryManager inner = decorated;
                decorated = d.call(() -> d.instance().apply(inner));
            }
            return decorated;
        };
    }

    /** Starts its parts in order and stops them in reverse; events go to each, a failing one logged. */
    private static final class Composite implements SnapshotEventListener {
        private final String what;
        private final List<? extends Part<? extends Lifecycle>> parts;
        private final List<Part<? extends Lifecycle>> started = new ArrayList<>();

        Composite(String what, List<? extends Part<? extends Lifecycle>> parts) {
            this.what = what;
            this.parts = List.copyOf(parts);
        }

        @Override
        public synchronized void start() {
            for (Part<? extends Lifecycle> part : parts) {
                try {
                    part.run(part.instance()::start);
                } catch (RuntimeException e) {
                    stop();
                    throw e;
                }
                started.add(part);
            }
        }

        @Override
        public synchronized void stop() {
            for (int i = started.size() - 1; i >= 0; i--) {
                Part<? extends Lifecycle> part = started.get(i);
                try {
                    part.run(part.instance()::stop);
                } catch (RuntimeException e) {
                    log.warn("Could not stop {} of plugin {}", part.name(), part.plugin().plugin().name(), e);
                }
            }
            started.clear();
        }

        @Override
        public void onEvent(SnapshotEvent event) {
            for (Part<? extends Lifecycle> part : parts) {
                if (part.instance() instanceof SnapshotEventListener listener) {
                    try {
                        part.run(() -> listener.onEvent(event));
                    } catch (RuntimeException e) {
                        log.warn("Event listener {} of plugin {} failed on {} {}", part.name(),
                                part.plugin().plugin().name(), event.action().wireName(), event.snapshotId(), e);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return what + parts.stream().map(Part::name).toList();
        }
    }
}
