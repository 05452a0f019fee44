package dev.memsnap.dashboard;

import com.google.inject.Module;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemsnapPlugin;
import dev.memsnap.websocket.WebSocketConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How core finds the dashboard: listed in {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}, so that with this
 * jar on the class path and {@code dashboard.enabled: true}, {@code Memsnap.start} serves the snapshot dashboard on
 * localhost. With {@code dashboard.enabled: false} (the default) the plugin contributes no bindings and opens no
 * socket.
 */
public final class DashboardPlugin implements MemsnapPlugin {
    /** The plugin's name. */
    public static final String NAME = "dashboard";
    private static final Logger log = LoggerFactory.getLogger(DashboardPlugin.class);

    /** Called by {@link java.util.ServiceLoader}. */
    public DashboardPlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param config the host's configuration; this plugin reads its {@code dashboard:} section, and the
     *               {@code websocket:} section for the event stream the page connects to
     * @return the dashboard's bindings when enabled, otherwise a module that binds nothing
     * @throws dev.memsnap.core.ConfigException when the section is wrong, whether or not it is enabled
     */
    @Override
    public Module module(ConfigFile config) {
        WebSocketConfig webSocket = WebSocketConfig.from(config);
        DashboardConfig dashboard = DashboardConfig.from(config.section(DashboardConfig.SECTION), webSocket);
        if (!dashboard.enabled()) {
            log.info("The snapshot dashboard is off ({}.enabled is false in {})", DashboardConfig.SECTION,
                    config.source());
            return binder -> { };
        }
        return new DashboardModule(dashboard, StreamSettings.of(webSocket));
    }

    @Override
    public String toString() {
        return "DashboardPlugin";
    }
}
