package dev.memsnap.dashboard;

import dev.memsnap.api.plugin.MemsnapPlugin;
import dev.memsnap.api.plugin.ServiceFactory;
import dev.memsnap.websocket.WebSocketConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Serves the snapshot dashboard. Listed in {@code META-INF/services/dev.memsnap.api.plugin.MemsnapPlugin}, so that
 * with this jar on the class path and {@code dashboard.enabled: true}, {@code Memsnap.start} serves it on localhost; a
 * host with an injector of its own installs it with {@code new PluginModule(config, List.of(new WebSocketPlugin(),
 * new DashboardPlugin()))}. It contributes one service, {@value #NAME}: the {@link DashboardServer}, found by others
 * as a {@link DashboardEndpoint} ({@code runtime.service(DashboardEndpoint.class)}). With {@code dashboard.enabled:
 * false} (the default) it contributes nothing and opens no socket; a wrong {@code dashboard:} or {@code websocket:}
 * section stops start-up either way.
 */
public final class DashboardPlugin implements MemsnapPlugin {
    /** The plugin's name, and its service's. */
    public static final String NAME = "dashboard";
    private static final Logger log = LoggerFactory.getLogger(DashboardPlugin.class);

    /** Called by {@link java.util.ServiceLoader}. */
    public DashboardPlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return the dashboard's HTTP server, when enabled; it reads the {@code websocket:} section for the stream */
    @Override
    public List<ServiceFactory> serviceFactories() {
        return List.of(ServiceFactory.of(NAME, (config, context) -> {
            DashboardConfig dashboard = DashboardConfig.from(config);
            if (!dashboard.enabled()) {
                log.info("The snapshot dashboard is off ({}.enabled is false in {})", DashboardConfig.SECTION,
                        config.source());
                return Optional.empty();
            }
            return Optional.of(new DashboardServer(dashboard, StreamSettings.of(WebSocketConfig.from(config)),
                    context));
        }));
    }

    @Override
    public String toString() {
        return "DashboardPlugin";
    }
}
