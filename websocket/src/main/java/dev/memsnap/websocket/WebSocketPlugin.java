package dev.memsnap.websocket;

import dev.memsnap.api.plugin.ManagerDecoratorFactory;
import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.PluginConfig;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.api.plugin.ServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Streams snapshot events to dashboards. Listed in {@code META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin}, so
 * that with this jar on the class path {@code Memsnap.start} finds it; a host with an injector of its own installs it
 * with {@code new PluginModule(config, List.of(new WebSocketPlugin()))} beside {@code MemorySnapshotModule}.
 * With {@code websocket.enabled: true} it contributes:
 * <ul>
 *   <li>the service {@value #NAME}: the {@link WebSocketEventServer}, found by others as a {@link WebSocketEndpoint}
 *       ({@code runtime.service(WebSocketEndpoint.class)}); memsnap starts it before the managers and stops it after
 *       them, so it listens before the first event and still sends while the last automatic saves finish;</li>
 *   <li>the manager decorator {@value #NAME}: {@code manager -> new WebSocketEnhancedMemoryManager(manager, server)},
 *       which subscribes that server to core's manager, so every event, automatic ones included, reaches it once.</li>
 * </ul>
 * With {@code websocket.enabled: false} (the default) it contributes nothing: the manager stays core's own and no
 * socket is opened. A wrong {@code websocket:} section stops start-up either way.
 */
public final class WebSocketPlugin implements MemsnapPlugin {
    /** The plugin's name, and its service's and decorator's. */
    public static final String NAME = "websocket";
    private static final Logger log = LoggerFactory.getLogger(WebSocketPlugin.class);

    /**
     * The server of each runtime, so that the service and the decorator made for one runtime share it. memsnap calls
     * both factories with the runtime's one context; weak, so that a stopped runtime's server is not kept.
     */
    private final Map<PluginContext, Optional<WebSocketEventServer>> servers =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Called by {@link java.util.ServiceLoader}. */
    public WebSocketPlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return the WebSocket server, when enabled */
    @Override
    public List<ServiceFactory> serviceFactories() {
        return List.of(ServiceFactory.of(NAME, (config, context) -> server(config, context).map(server -> server)));
    }

    /** @return the decorator that subscribes the server to the manager, when enabled */
    @Override
    public List<ManagerDecoratorFactory> managerDecoratorFactories() {
        return List.of(ManagerDecoratorFactory.of(NAME, (config, context) -> server(config, context)
                .map(server -> manager -> new WebSocketEnhancedMemoryManager(manager, server))));
    }

    /**
     * @return this runtime's server, made (not started: it listens from {@code start()}) the first time either
     *         factory asks, or empty when {@code websocket.enabled} is false
     * @throws dev.memsnap.api.ConfigException when the section is wrong, whether or not it is enabled
     */
    private Optional<WebSocketEventServer> server(PluginConfig config, PluginContext context) {
        return servers.computeIfAbsent(context, c -> {
            WebSocketConfig webSocket = WebSocketConfig.from(config);
            if (!webSocket.enabled()) {
                log.info("WebSocket events are off ({}.enabled is false in {})", WebSocketConfig.SECTION,
                        config.source());
                return Optional.empty();
            }
            return Optional.of(new WebSocketEventServer(webSocket, context.format()));
        });
    }

    @Override
    public String toString() {
        return "WebSocketPlugin";
    }
}
