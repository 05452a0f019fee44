package dev.memsnap.dashboard;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.websocket.WebSocketEndpoint;

import java.util.Objects;

/**
 * Serves the snapshot dashboard. Installed by {@link DashboardPlugin} when {@code dashboard.enabled} is true.
 * Bindings:
 * <ul>
 *   <li>{@link DashboardServer}, one instance, added to core's {@link SnapshotEventListener} set: core starts its
 *       listeners with the store and stops them at close, which starts and stops the HTTP server; as a listener it
 *       also notes the snapshots created and loaded ({@link SessionSnapshots});</li>
 *   <li>{@link DashboardEndpoint}: the server's address;</li>
 *   <li>an optional {@link WebSocketEndpoint}: present when the websocket module is enabled (it binds the key), so
 *       that the page learns where the event stream is;</li>
 *   <li>{@link DashboardConfig} and {@link StreamSettings}: this module's configuration.</li>
 * </ul>
 * Creating the injector opens no socket and reads no file: that happens in {@link DashboardServer#start()}.
 */
final class DashboardModule extends AbstractModule {
    private final DashboardConfig config;
    private final StreamSettings stream;

    DashboardModule(DashboardConfig config, StreamSettings stream) {
        this.config = Objects.requireNonNull(config, "config");
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    protected void configure() {
        bind(DashboardConfig.class).toInstance(config);
        bind(StreamSettings.class).toInstance(stream);
        bind(SessionSnapshots.class).in(Singleton.class);
        bind(DashboardServer.class).in(Singleton.class);
        bind(DashboardEndpoint.class).to(DashboardServer.class);
        Multibinder.newSetBinder(binder(), SnapshotEventListener.class).addBinding().to(DashboardServer.class);
        // No default: the websocket module's own bind() of the key makes it present.
        OptionalBinder.newOptionalBinder(binder(), WebSocketEndpoint.class);
    }
}
