package dev.memsnap.api.plugin;

import java.util.List;

/**
 * A memsnap extension, found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin}, in a jar on the host's class path or dropped into
 * its plugin directory. A plugin compiles against {@code memsnap-api} (and SLF4J) alone.
 *
 * <p>Every method but {@link #name()} returns an empty list by default, so a plugin overrides only what it
 * contributes, and a kind of extension added later never breaks an older plugin. Each factory is a name and a
 * {@code create(config, context)}; memsnap calls the factories while it is built, never at construction of the plugin,
 * and starts what they return (everything that is a {@link dev.memsnap.api.Lifecycle}) in one order: the store,
 * services, event listeners, then managers; it stops them in reverse.
 * <pre>
 * public final class AuditPlugin implements MemsnapPlugin {
 *     public String name() { return "audit-log"; }
 *     public List&lt;EventListenerFactory&gt; eventListenerFactories() {
 *         return List.of(EventListenerFactory.of("audit-log", (config, context) -&gt;
 *                 Optional.of(new AuditLog(config.bind("audit", AuditSettings.class)))));
 *     }
 * }
 * </pre>
 */
public interface MemsnapPlugin {

    /** @return a short unique name, used in logs, in {@code plugins.required}, and to refuse duplicates */
    String name();

    /** @return stores this plugin offers; {@code memory.store} picks one by its factory's name */
    default List<StoreFactory> storeFactories() {
        return List.of();
    }

    /** @return event backends: each one created receives every snapshot event of every memory */
    default List<EventListenerFactory> eventListenerFactories() {
        return List.of();
    }

    /** @return long-running parts (servers, pools) that memsnap starts and stops, and that others look up by type */
    default List<ServiceFactory> serviceFactories() {
        return List.of();
    }

    /** @return decorators of the memory manager, applied in the order plugins are found */
    default List<ManagerDecoratorFactory> managerDecoratorFactories() {
        return List.of();
    }
}
