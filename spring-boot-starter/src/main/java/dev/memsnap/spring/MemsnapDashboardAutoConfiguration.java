package dev.memsnap.spring;

import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.core.Memsnap;
import dev.memsnap.dashboard.DashboardEndpoint;
import dev.memsnap.websocket.WebSocketEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * memsnap's WebSocket event stream and snapshot dashboard in a Spring application. They are memsnap plugins: with
 * {@code memsnap-websocket} (and {@code memsnap-dashboard}) on the class path, the {@link Memsnap} runtime finds them
 * when it starts, and with {@code memsnap.websocket.enabled=true} ({@code memsnap.dashboard.enabled=true}) starts their
 * servers before its memories and stops them when the context closes it. Their settings are the
 * {@code memsnap.websocket.*} and {@code memsnap.dashboard.*} properties, checked by the plugins themselves (a wrong
 * one fails the start naming the property). This configuration exposes the running servers as beans, so that the
 * application can tell where they listen ({@code port()}, {@code uri()}, useful with port 0); the runtime, not the
 * context, starts and stops them.
 */
@AutoConfiguration(after = MemsnapAutoConfiguration.class)
@ConditionalOnClass(WebSocketEndpoint.class)
@ConditionalOnBean(Memsnap.class)
public class MemsnapDashboardAutoConfiguration {
    /** The event server, when enabled by the properties. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("memsnap.websocket.enabled")
    static class EventServer {
        /**
         * @param memsnap the runtime that started the server
         * @return where the event server listens
         */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        WebSocketEndpoint memsnapWebSocketEndpoint(Memsnap memsnap) {
            return service(memsnap, WebSocketEndpoint.class, "memsnap.websocket.enabled");
        }
    }

    /** The dashboard, when its jar is there and the properties enable it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DashboardEndpoint.class)
    @ConditionalOnBooleanProperty("memsnap.dashboard.enabled")
    static class Dashboard {
        /**
         * @param memsnap the runtime that started the dashboard
         * @return where the dashboard is served
         */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        DashboardEndpoint memsnapDashboardEndpoint(Memsnap memsnap) {
            return service(memsnap, DashboardEndpoint.class, "memsnap.dashboard.enabled");
        }
    }

    private static <T> T service(Memsnap memsnap, Class<T> type, String property) {
        return memsnap.injector().getInstance(PluginContext.class).runtime().service(type)
                .orElseThrow(() -> new IllegalStateException(property + " is true, but the memsnap runtime runs no "
                        + type.getSimpleName() + " (a Memsnap bean of the application's, or memsnap.config-file, "
                        + "decides otherwise)"));
    }
}
