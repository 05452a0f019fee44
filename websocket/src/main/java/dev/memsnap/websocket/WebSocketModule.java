package dev.memsnap.websocket;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.memsnap.api.EnhancedMemoryManager;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.core.manager.ManagerModule;

import java.util.Objects;

/**
 * Streams snapshot events to WebSocket clients. Install it next to core's {@code MemorySnapshotModule} (core's
 * {@code Memsnap} does so through {@link WebSocketPlugin} when {@code websocket.enabled} is true). Bindings:
 * <ul>
 *   <li>{@link EnhancedMemoryManager}: a {@link WebSocketEnhancedMemoryManager} around core's manager
 *       ({@code ManagerModule.CORE_MANAGER}), through the manager's {@code OptionalBinder};</li>
 *   <li>{@link #EVENT_BACKEND}: where the decorator's events go; an {@code OptionalBinder} whose default is the
 *       WebSocket server. Another backend replaces it, the decorator unchanged:
 *       {@code OptionalBinder.newOptionalBinder(binder(), WebSocketModule.EVENT_BACKEND).setBinding().to(Mine.class)};</li>
 *   <li>a {@link SnapshotEventListener} added to core's set, which forwards the events of automatic snapshots to
 *       {@link #EVENT_BACKEND}, and starts and stops it;</li>
 *   <li>{@link WebSocketEndpoint}: the server's address and counters; {@link WebSocketConfig}: this module's.</li>
 * </ul>
 * Creating the injector opens no socket: the server listens from {@code start()}, which the runtime calls.
 */
public final class WebSocketModule extends AbstractModule {
    /** The name of {@link #EVENT_BACKEND}'s binding. */
    public static final String EVENT_BACKEND_NAME = "memsnap.websocket.event-backend";
    /** The event backend that {@link WebSocketEnhancedMemoryManager} emits to; by default the WebSocket server. */
    public static final Key<SnapshotEventListener> EVENT_BACKEND =
            Key.get(SnapshotEventListener.class, Names.named(EVENT_BACKEND_NAME));

    private final WebSocketConfig config;

    /** @param config the {@code websocket:} section */
    public WebSocketModule(WebSocketConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(WebSocketConfig.class).toInstance(config);
        bind(WebSocketEventServer.class).in(Singleton.class);
        bind(WebSocketEndpoint.class).to(WebSocketEventServer.class);
        OptionalBinder.newOptionalBinder(binder(), EVENT_BACKEND).setDefault().to(WebSocketEventServer.class);
        Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding()
                .to(AutomaticEventForwarder.class);
        OptionalBinder.newOptionalBinder(binder(), EnhancedMemoryManager.class).setBinding()
                .to(WebSocketEnhancedMemoryManager.class);
    }

    @Provides
    @Singleton
    WebSocketEnhancedMemoryManager decoratedManager(@Named(ManagerModule.CORE_MANAGER_NAME) EnhancedMemoryManager core,
                                                    @Named(EVENT_BACKEND_NAME) SnapshotEventListener backend) {
        return new WebSocketEnhancedMemoryManager(core, backend);
    }

    /** One instance, so that the listener core starts is the one that receives the events. */
    @Provides
    @Singleton
    AutomaticEventForwarder automaticEventForwarder(@Named(EVENT_BACKEND_NAME) SnapshotEventListener backend) {
        return new AutomaticEventForwarder(backend);
    }
}
