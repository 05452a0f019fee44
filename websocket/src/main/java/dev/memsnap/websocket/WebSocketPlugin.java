package dev.memsnap.websocket;

import com.google.inject.Module;
import dev.memsnap.core.ConfigFile;
import dev.memsnap.core.MemsnapPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How core finds this module: listed in {@code META-INF/services/dev.memsnap.core.MemsnapPlugin}, so that with this
 * jar on the class path {@code Memsnap.start} installs {@link WebSocketModule} and the manager a host gets streams its
 * events. With {@code websocket.enabled: false} (the default) the plugin contributes no bindings at all: the manager
 * stays core's own and no socket is opened.
 */
public final class WebSocketPlugin implements MemsnapPlugin {
    /** The plugin's name. */
    public static final String NAME = "websocket";
    private static final Logger log = LoggerFactory.getLogger(WebSocketPlugin.class);

    /** Called by {@link java.util.ServiceLoader}. */
    public WebSocketPlugin() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param config the host's configuration; this plugin reads its {@code websocket:} section
     * @return {@link WebSocketModule} when enabled, otherwise a module that binds nothing
     * @throws dev.memsnap.api.ConfigException when the section is wrong, whether or not it is enabled
     */
    @Override
    public Module module(ConfigFile config) {
        WebSocketConfig webSocket = WebSocketConfig.from(config);
        if (!webSocket.enabled()) {
            log.info("WebSocket events are off ({}.enabled is false in {})", WebSocketConfig.SECTION,
                    config.source());
            return binder -> { };
        }
        return new WebSocketModule(webSocket);
    }

    @Override
    public String toString() {
        return "WebSocketPlugin";
    }
}
