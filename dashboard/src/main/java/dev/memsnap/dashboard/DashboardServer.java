package dev.memsnap.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.memsnap.api.Lifecycle;
import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.event.SnapshotEventSource;
import dev.memsnap.api.plugin.PluginContext;
import dev.memsnap.websocket.WebSocketEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's HTTP server, on the JDK's {@link HttpServer}: the service {@link DashboardPlugin} contributes, which
 * {@code Memsnap.start} starts after the store and {@code close()} stops. It reaches the manager, the store and the
 * WebSocket's endpoint through the plugin runtime from {@link #start()} on, and subscribes to the manager's events
 * only to learn which snapshots were automatic; the page gets the events themselves from the WebSocket.
 *
 * <p>Requests run on a small bounded pool; when it and its queue are full, the server's dispatcher thread runs the
 * request itself, which stops it accepting more until one finishes. The {@code HttpServer} reads a request's head on
 * that pool with no bound of its own, so it listens on an ephemeral loopback port behind a {@link RequestGate}, which
 * listens on the configured address and passes on only complete heads, read within bounds of size and time.
 */
final class DashboardServer implements Lifecycle, DashboardEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    static final int THREADS = 4;
    static final int QUEUE = 64;

    private final DashboardConfig config;
    private final StreamSettings stream;
    private final PluginContext context;
    private final AutomaticSnapshots automatic = new AutomaticSnapshots();
    private final AtomicInteger threadNumber = new AtomicInteger();

    private HttpServer server;
    private RequestGate gate;
    private ExecutorService executor;
    private AutoCloseable subscription;

    /**
     * @param config  the {@code dashboard:} section
     * @param stream  the {@code websocket:} section, as the page needs it
     * @param context the plugins' context, whose runtime is used from {@link #start()} on
     */
    DashboardServer(DashboardConfig config, StreamSettings stream, PluginContext context) {
        this.config = config;
        this.stream = stream;
        this.context = context;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        StaticAssets assets = StaticAssets.load();
        DashboardApi api = new DashboardApi(context, automatic, stream, config);
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (address.isUnresolved()) {
            throw new SnapshotException("cannot start the dashboard: dashboard.host " + config.host()
                    + " does not resolve");
        }
        boolean loopback = address.getAddress().isLoopbackAddress();
        HttpServer created;
        try {
            created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new SnapshotException("cannot start the dashboard's server on loopback: " + e.getMessage(), e);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "memsnap-dashboard-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        created.setExecutor(pool);
        created.createContext("/", new DashboardHandler(api, assets, new RequestGuard(config.token(), loopback)));
        subscribe();
        created.start();
        try {
            gate = RequestGate.open(address, 50, created.getAddress(), RequestGate.Limits.DEFAULT);
        } catch (IOException e) {
            created.stop(0);
            pool.shutdownNow();
            throw new SnapshotException("cannot start the dashboard on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        server = created;
        executor = pool;

        URI page = uri();
        if (!loopback && !config.requiresToken()) {
            log.warn("The dashboard listens on {} without a token: whoever reaches that port can read every "
                    + "snapshot. Set dashboard.token or websocket.token.", config.host());
        }
        if (config.requiresToken() && stream.enabled() && !stream.requiresToken()) {
            log.warn("The dashboard requires a token but the WebSocket does not: events stream to anyone who can "
                    + "connect. Set websocket.token (dashboard.token then defaults to it).");
        }
        allowOwnOrigins(page);
        log.info("Snapshot dashboard at {} ({}; live events {})", page,
                config.requiresToken() ? "open it with ?token=<token>" : "no token",
                stream.enabled() ? "from the WebSocket" : "off: websocket.enabled is false");
    }

    /**
     * The page's own origins (127.0.0.1, localhost and [::1] on the port actually bound, and the configured host)
     * may always reach the event stream: a user who opens the dashboard by any of these names gets live events
     * without listing it in {@code websocket.allowed_origins}.
     */
    private void allowOwnOrigins(URI page) {
        java.util.Set<String> own = new java.util.LinkedHashSet<>();
        int port = page.getPort();
        for (String host : new String[] {"127.0.0.1", "localhost", "[::1]", page.getHost()}) {
            own.add("http://" + host + ":" + port);
        }
        context.runtime().service(WebSocketEndpoint.class).ifPresent(endpoint -> endpoint.allowOrigins(own));
    }

    @Override
    public synchronized void stop() {
        HttpServer stopping = server;
        if (stopping == null) {
            return;
        }
        URI where = uri();
        server = null;
        gate.close();
        gate = null;
        stopping.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Dashboard requests still running after 5 s; leaving them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
        unsubscribe();
        log.info("Stopped the snapshot dashboard at {}", where);
    }

    /** Snapshot metadata does not say which snapshots were automatic; the memories' events do. */
    private void subscribe() {
        Optional<SnapshotEventSource> events = AutomaticSnapshots.eventsOf(context.runtime());
        if (events.isPresent()) {
            subscription = events.get().subscribe(automatic);
        } else {
            log.info("The memory manager reports no events to subscribe to: the dashboard cannot mark automatic "
                    + "snapshots in its listing (the page still marks those it sees on the event stream)");
        }
    }

    private void unsubscribe() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("Could not end the dashboard's subscription to the manager's events", e);
            }
            subscription = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized int port() {
        running();
        return gate.port();
    }

    @Override
    public synchronized URI uri() {
        running();
        return DashboardHandler.pageUri(config.host(), gate.port());
    }

    private HttpServer running() {
        if (server == null) {
            throw new IllegalStateException("the dashboard is not running");
        }
        return server;
    }

    @Override
    public synchronized String toString() {
        return "DashboardServer[" + (server == null ? "stopped" : uri()) + "]";
    }
}
