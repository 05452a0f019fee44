package dev.memsnap.websocket;

import dev.memsnap.api.SnapshotException;
import dev.memsnap.api.event.SnapshotEvent;
import dev.memsnap.api.event.SnapshotEventListener;
import dev.memsnap.api.format.SnapshotFormat;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default event backend: a WebSocket server (Java-WebSocket) that sends every event to every connected client as
 * the seed's {@code memory_snapshot} JSON ({@link SnapshotFormat#eventJson}, memsnap's one event shape), and replays
 * the most recent events to a client that connects. A client that connects with {@code ?memory=ID} gets only that
 * memory's events, live and replayed ({@link MemorySubscription}). {@link WebSocketPlugin} makes one per runtime,
 * as a service that memsnap starts before the managers and stops after them, and subscribes it to core's manager
 * through {@link WebSocketEnhancedMemoryManager}.
 *
 * <p>Sending never blocks the caller: an event is encoded once, then queued for each client under a short lock, and
 * Java-WebSocket's selector thread writes it out. Java-WebSocket's own per-connection queue has no bound, so a client
 * whose queue already holds {@code client_buffer} messages gets no more until it drains: those events are dropped for
 * it alone, counted and logged; so is an event that would take the bytes queued for it past
 * {@link Limits#maxQueuedBytes()} (unless nothing is queued for it). What a client provokes itself, pongs answering
 * its pings, is bounded too: a client that sends a ping while {@code client_buffer} plus
 * {@link Limits#maxQueuedControlFrames()} frames, or more than {@link Limits#maxQueuedBytes()} bytes, are queued for
 * it is not reading what it asks for, and is disconnected. A client that has vanished without closing stops answering
 * pings and is closed by Java-WebSocket's lost-connection check (pings every 60 s, closed after 90 s without a pong).
 *
 * <p>A connection must finish its handshake within {@link Limits#handshakeTimeout()} and
 * {@link Limits#maxHandshakeBytes()} bytes, or it is closed: Java-WebSocket buffers an unfinished handshake without
 * limit, re-copying and re-parsing all of it on every read, on the one decoder thread every client's handshake needs.
 *
 * <p>Every client receives every event once, in one order: a client is registered, and handed the history, under the
 * same lock that broadcasts take, before its handshake response is sent. Events published while the handshake
 * completes wait in the client's own short queue.
 *
 * <p>A Java-WebSocket server starts only once, so each {@link #start()} makes a new one; the port is bound with
 * reuse-address so that a restart on the same port does not wait for old connections' TIME_WAIT. {@link #stop()}
 * closes every client, releases the port and ends the server's threads before it returns.
 */
final class WebSocketEventServer implements SnapshotEventListener, WebSocketEndpoint {
    private static final Logger log = LoggerFactory.getLogger(WebSocketEventServer.class);
    private static final long START_TIMEOUT_SECONDS = 10;
    /** How long stop() lets clients answer the close handshake before their sockets are closed regardless. */
    private static final int CLOSE_TIMEOUT_MILLIS = 1_000;
    private static final long THREAD_JOIN_TIMEOUT_MILLIS = 5_000;
    /** Clients only listen; a larger frame from one is refused rather than buffered. */
    private static final int MAX_INCOMING_FRAME_BYTES = 64 * 1024;
    /** Incoming traffic is handshakes and pongs: one decoder thread is plenty. */
    private static final int DECODER_THREADS = 1;
    /** How often connections whose write demand Java-WebSocket lost are re-armed (see {@code rearmLostWrites}). */
    private static final long REARM_MILLIS = 20;
    /** A client that keeps dropping is reported at most this often; its total is logged when it leaves. */
    private static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A pong's largest frame: 2 header bytes and a ping's payload of at most 125 bytes (RFC 6455, 5.5). */
    private static final int MAX_PONG_BYTES = 127;

    /**
     * What one connection may cost the server.
     *
     * @param maxQueuedBytes         outgoing bytes queued for one client (events, pongs, everything)
     * @param maxQueuedControlFrames frames beyond {@code client_buffer} queued for one client when it pings
     * @param maxHandshakeBytes      bytes of an unfinished handshake, request line and headers
     * @param handshakeTimeout       how long a connection may take to finish its handshake
     */
    record Limits(long maxQueuedBytes, int maxQueuedControlFrames, int maxHandshakeBytes,
                  Duration handshakeTimeout) {
        /** 16 MiB queued, 64 control frames, 32 KiB of handshake (nginx's default limit), 10 s to finish it. */
        static final Limits DEFAULT = new Limits(16L << 20, 64, 32 << 10, Duration.ofSeconds(10));
    }

    private final WebSocketConfig config;
    private final SnapshotFormat format;
    private final HandshakePolicy policy;
    private final Limits limits;

    /** Guards history, clients and every client's state; held only for non-blocking work. */
    private final Object lock = new Object();
    private final Deque<MemorySubscription.Recent> history = new ArrayDeque<>();
    private final Set<WebSocket> clients = new LinkedHashSet<>();
    private final AtomicLong dropped = new AtomicLong();

    /** Written under this object's monitor, by start and stop. */
    private volatile Listener listener;

    /**
     * @param config the {@code websocket:} section
     * @param format what writes each event's JSON
     */
    WebSocketEventServer(WebSocketConfig config, SnapshotFormat format) {
        this(config, format, Limits.DEFAULT);
    }

    WebSocketEventServer(WebSocketConfig config, SnapshotFormat format, Limits limits) {
        this.config = config;
        this.format = format;
        this.policy = new HandshakePolicy(config);
        this.limits = limits;
    }

    @Override
    public synchronized void start() {
        if (listener != null) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (address.isUnresolved()) {
            throw new SnapshotException("cannot start the WebSocket server: websocket.host \"" + config.host()
                    + "\" does not resolve");
        }
        Listener candidate = new Listener(address);
        candidate.start();
        Exception failure = candidate.awaitStart();
        if (failure != null) {
            candidate.shutdown();
            throw new SnapshotException("cannot start the WebSocket server on " + config.host() + ":"
                    + config.port() + ": " + failure.getMessage(), failure);
        }
        listener = candidate;
        if (!address.getAddress().isLoopbackAddress() && !config.requiresToken()) {
            log.warn("The WebSocket server listens on {} without a token: whoever reaches that port can watch "
                    + "snapshot events. Set websocket.token.", config.host());
        }
        log.info("Streaming snapshot events to WebSocket clients at {} ({}, browser origins allowed: {})", uri(),
                config.requiresToken() ? "token required" : "no token", config.allowedOrigins());
    }

    @Override
    public synchronized void stop() {
        Listener stopping = listener;
        if (stopping == null) {
            return;
        }
        URI where = uri();
        listener = null;
        stopping.shutdown();
        synchronized (lock) {
            clients.clear();
        }
        log.info("Stopped the WebSocket server at {}", where);
    }

    @Override
    public void allowOrigins(java.util.Collection<String> origins) {
        policy.allow(origins);
        log.info("WebSocket events also accept pages from {}", origins);
    }

    @Override
    public boolean allowsOrigin(String origin) {
        return policy.allowsOrigin(origin);
    }

    @Override
    public void onEvent(SnapshotEvent event) {
        String json = format.eventJson(event);
        // What one text frame of it costs in a client's queue, near enough: its UTF-8 bytes.
        long bytes = json.getBytes(StandardCharsets.UTF_8).length;
        synchronized (lock) {
            if (config.historySize() > 0) {
                if (history.size() == config.historySize()) {
                    history.removeFirst();
                }
                history.addLast(new MemorySubscription.Recent(event.memoryId(), json));
            }
            Listener owner = null;
            List<WebSocket> ready = new ArrayList<>(clients.size());
            for (WebSocket client : clients) {
                ClientState state = client.getAttachment();
                if (!state.subscription.wants(event.memoryId())) {
                    continue;
                }
                if (state.pending != null) {
                    state.enqueuePending(json);
                } else if (state.admits(client, bytes)) {
                    ready.add(client);
                    owner = state.owner;
                }
            }
            if (owner != null) {
                // Encodes the frame once for all of them; each send only queues, it never waits for the network.
                owner.broadcast(json, ready);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return listener != null;
    }

    @Override
    public int port() {
        return running().getPort();
    }

    @Override
    public URI uri() {
        return uriOf(running());
    }

    @Override
    public int clientCount() {
        synchronized (lock) {
            return (int) clients.stream().filter(c -> ((ClientState) c.getAttachment()).pending == null).count();
        }
    }

    @Override
    public long droppedMessages() {
        return dropped.get();
    }

    @Override
    public String toString() {
        Listener current = listener;
        return "WebSocketEventServer[" + (current == null ? "stopped" : uriOf(current)) + "]";
    }

    private URI uriOf(Listener running) {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("ws://" + host + ":" + running.getPort() + config.path());
    }

    /** @return how many write demands Java-WebSocket lost have been re-armed since the server started */
    long rearmedWrites() {
        return running().rearmedWrites.get();
    }

    private Listener running() {
        Listener current = listener;
        if (current == null) {
            throw new IllegalStateException("the WebSocket server is not running");
        }
        return current;
    }

    /** Called from the handshake, before the response is sent: from here on the client misses no event. */
    private void register(WebSocket conn, Listener owner, MemorySubscription subscription) {
        synchronized (lock) {
            conn.setAttachment(new ClientState(describe(conn), owner, subscription, subscription.replay(history)));
            clients.add(conn);
        }
    }

    /** Called once the handshake response is queued: what waited is sent, history first. */
    private void opened(WebSocket conn) {
        int replayed;
        synchronized (lock) {
            ClientState state = conn.getAttachment();
            if (state == null || state.pending == null || !clients.contains(conn)) {
                return;
            }
            Deque<String> waiting = state.pending;
            state.pending = null;
            replayed = waiting.size();
            for (String json : waiting) {
                if (state.admits(conn, json.getBytes(StandardCharsets.UTF_8).length)) {
                    try {
                        conn.send(json);
                    } catch (WebsocketNotConnectedException e) {
                        return; // closed meanwhile: removeConnection cleans up
                    }
                }
            }
        }
        log.debug("WebSocket client {} connected; {} recent events sent on joining", describe(conn), replayed);
    }

    private void unregister(WebSocket conn) {
        ClientState state;
        synchronized (lock) {
            if (!clients.remove(conn)) {
                return;
            }
            state = conn.getAttachment();
        }
        if (state.dropped > 0) {
            log.info("WebSocket client {} disconnected; {} events were dropped for it", state.name, state.dropped);
        } else {
            log.debug("WebSocket client {} disconnected", state.name);
        }
    }

    private static String describe(WebSocket conn) {
        try {
            InetSocketAddress remote = conn.getRemoteSocketAddress();
            return remote == null ? "(unknown)" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
        } catch (RuntimeException e) {
            return "(closed)"; // Java-WebSocket looks the address up through a selection key a closed socket lacks
        }
    }

    /** The bytes queued for a connection and not yet written; the queue's length is bounded, so is the walk. */
    private static long queuedBytes(WebSocketImpl conn) {
        long total = 0;
        for (ByteBuffer buffer : conn.outQueue) {
            total += buffer.remaining();
        }
        return total;
    }

    private static String header(ClientHandshake request, String name) {
        return request.hasFieldValue(name) ? request.getFieldValue(name) : null;
    }

    /** One client's bookkeeping; every field is guarded by the server's lock. */
    private final class ClientState {
        final String name;
        final Listener owner;
        /** Which memory's events it gets. */
        final MemorySubscription subscription;
        /** Events for a client whose handshake is not finished yet; {@code null} once it is open. */
        Deque<String> pending;
        long dropped;
        /** Drops not yet reported, and when the last report was, so that a client stuck at its bound cannot flood
         *  the log with a line per event. */
        long unreported;
        long lastReportNanos;
        boolean reported;

        ClientState(String name, Listener owner, MemorySubscription subscription, Deque<String> history) {
            this.name = name;
            this.owner = owner;
            this.subscription = subscription;
            this.pending = history;
        }

        void enqueuePending(String json) {
            if (pending.size() < config.clientBuffer()) {
                pending.addLast(json);
            } else {
                drop();
            }
        }

        /**
         * Whether one more message may be queued, counting the ones Java-WebSocket still holds for this client (a
         * server-side connection is always a {@link WebSocketImpl}, whose queue is public), in number and in bytes;
         * when not, the message is counted as dropped. A message larger than the byte bound on its own still goes to
         * a client with nothing queued.
         */
        boolean admits(WebSocket conn, long bytes) {
            if (!(conn instanceof WebSocketImpl impl)) {
                return true;
            }
            int queued = impl.outQueue.size();
            if (queued >= config.clientBuffer()
                    || queued > 0 && queuedBytes(impl) + bytes > limits.maxQueuedBytes()) {
                drop();
                return false;
            }
            return true;
        }

        private void drop() {
            dropped++;
            unreported++;
            WebSocketEventServer.this.dropped.incrementAndGet();
            long now = System.nanoTime();
            if (!reported || now - lastReportNanos >= DROP_REPORT_INTERVAL_NANOS) {
                log.warn("WebSocket client {} is not keeping up: {} events already queued for it, so {} more were "
                                + "dropped for it ({} in all)", name, config.clientBuffer(), unreported, dropped);
                reported = true;
                lastReportNanos = now;
                unreported = 0;
            }
        }
    }

    /** One run of the Java-WebSocket server: started once, then shut down. */
    private final class Listener extends WebSocketServer {
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile Exception startFailure;
        private volatile Thread selectorThread;
        /** Every accepted connection not yet closed, handshake done or not, so that shutdown can close them all. */
        private final Set<WebSocket> sockets = ConcurrentHashMap.newKeySet();
        /** Closes connections whose handshake takes too long. */
        private final ScheduledThreadPoolExecutor handshakeTimer;
        /** How many lost write demands were re-armed (see {@link #rearmLostWrites}). */
        final AtomicLong rearmedWrites = new AtomicLong();

        Listener(InetSocketAddress address) {
            super(address, DECODER_THREADS, List.of(new Draft_6455(List.of(),
                    List.of(new Protocol(WebSocketEndpoint.SUBPROTOCOL), new Protocol("")),
                    MAX_INCOMING_FRAME_BYTES)));
            setReuseAddr(true);
            setTcpNoDelay(true);
            // The runtime stops the server; daemon threads only matter when a host forgets to, and then must not
            // keep its JVM alive.
            setDaemon(true);
            handshakeTimer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = Executors.defaultThreadFactory().newThread(runnable);
                thread.setName("memsnap-websocket-handshake-timer");
                thread.setDaemon(true);
                return thread;
            });
            handshakeTimer.setRemoveOnCancelPolicy(true);
            setWebSocketFactory(new DefaultWebSocketServerFactory() {
                @Override
                public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
                    BoundedSocket socket = new BoundedSocket(adapter, drafts);
                    sockets.add(socket);
                    socket.deadline = handshakeTimer.schedule(socket::handshakeTimedOut,
                            limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    return socket;
                }
            });
        }

        /**
         * A connection whose handshake is bounded in size (counted before Java-WebSocket buffers it) and in time.
         * Only the decoder thread calls {@link #decode}, one buffer at a time per connection.
         */
        private final class BoundedSocket extends WebSocketImpl {
            private long handshakeBytes;
            volatile ScheduledFuture<?> deadline;

            BoundedSocket(WebSocketAdapter adapter, List<Draft> drafts) {
                super(adapter, drafts);
            }

            @Override
            public void decode(ByteBuffer buffer) {
                if (getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                    handshakeBytes += buffer.remaining();
                    if (handshakeBytes > limits.maxHandshakeBytes()) {
                        buffer.position(buffer.limit());
                        log.info("Closed a WebSocket connection from {}: handshake longer than {} bytes",
                                describe(this), limits.maxHandshakeBytes());
                        closeConnection(CloseFrame.TOOBIG, "handshake too large", false);
                        return;
                    }
                }
                super.decode(buffer);
            }

            void handshakeTimedOut() {
                if (getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                    log.info("Closed a WebSocket connection from {}: handshake not finished within {} ms",
                            describe(this), limits.handshakeTimeout().toMillis());
                    closeConnection(CloseFrame.NEVER_CONNECTED, "handshake timed out", false);
                }
            }

            void forget() {
                ScheduledFuture<?> pending = deadline;
                if (pending != null) {
                    pending.cancel(false);
                }
            }
        }

        /** @return why the server could not start, or {@code null} when it listens */
        Exception awaitStart() {
            try {
                if (!started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    return new IllegalStateException("not listening after " + START_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            }
            return startFailure;
        }

        void shutdown() {
            try {
                stop(CLOSE_TIMEOUT_MILLIS, "memsnap is stopping");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Thread> threads = new ArrayList<>(decoders);
            if (selectorThread != null) {
                threads.add(selectorThread);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_JOIN_TIMEOUT_MILLIS);
            for (Thread thread : threads) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (thread.isAlive()) {
                    log.warn("WebSocket server thread {} still running after stop", thread.getName());
                }
            }
            // A client that never read its close frame still has an open socket, and the selector that would have
            // closed it has stopped: close what is left.
            for (WebSocket socket : sockets) {
                socket.closeConnection(CloseFrame.GOING_AWAY, "server stopped");
            }
            sockets.clear();
            handshakeTimer.shutdownNow();
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                                                                           ClientHandshake request)
                throws InvalidDataException {
            Optional<String> refusal = policy.refusal(request.getResourceDescriptor(), header(request, "Origin"),
                    header(request, "Sec-WebSocket-Protocol"));
            if (refusal.isPresent()) {
                // The reason never includes what was presented: the request line may carry a token.
                log.info("Refused a WebSocket connection from {}: {}", describe(conn), refusal.get());
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, refusal.get());
            }
            MemorySubscription subscription;
            try {
                subscription = MemorySubscription.of(request.getResourceDescriptor());
            } catch (IllegalArgumentException e) {
                log.info("Refused a WebSocket connection from {}: {}", describe(conn), e.getMessage());
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, e.getMessage());
            }
            ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
            register(conn, this, subscription);
            return response;
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            if (conn instanceof BoundedSocket bounded) {
                bounded.forget();
            }
            opened(conn);
        }

        /**
         * Answers a ping unless the client is not reading: then what it asks for would only pile up in its queue
         * (Java-WebSocket's answer queues a pong, without bound), so it is disconnected.
         */
        @Override
        public void onWebsocketPing(WebSocket conn, Framedata ping) {
            if (!conn.isOpen()) {
                return;
            }
            if (conn instanceof WebSocketImpl impl) {
                int queued = impl.outQueue.size();
                if (queued >= config.clientBuffer() + limits.maxQueuedControlFrames()
                        || queuedBytes(impl) + MAX_PONG_BYTES > limits.maxQueuedBytes()) {
                    log.info("Closed WebSocket client {}: it sends pings but does not read their answers ({} frames "
                            + "queued for it)", describe(conn), queued);
                    impl.closeConnection(CloseFrame.POLICY_VALIDATION, "not reading", false);
                    return;
                }
            }
            super.onWebsocketPing(conn, ping);
        }

        @Override
        protected boolean removeConnection(WebSocket conn) {
            // Called on every close, including connections whose handshake never finished (then onClose is not).
            boolean removed = super.removeConnection(conn);
            sockets.remove(conn);
            if (conn instanceof BoundedSocket bounded) {
                bounded.forget();
            }
            unregister(conn);
            return removed;
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            // removeConnection has done the bookkeeping.
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            // Dashboards only listen; what they send is ignored.
        }

        @Override
        public void onError(WebSocket conn, Exception e) {
            if (conn == null && started.getCount() > 0) {
                selectorThread = Thread.currentThread();
                startFailure = e;
                started.countDown();
            } else if (conn == null) {
                log.warn("WebSocket server error", e);
            } else {
                log.debug("WebSocket client {} failed", describe(conn), e);
            }
        }

        @Override
        public void onStart() {
            selectorThread = Thread.currentThread();
            handshakeTimer.scheduleWithFixedDelay(this::rearmLostWrites, REARM_MILLIS, REARM_MILLIS,
                    TimeUnit.MILLISECONDS);
            started.countDown();
        }

        /**
         * Java-WebSocket 1.6.0 can lose a write demand: its selector thread, having found a connection's queue empty,
         * sets the connection back to reading only ({@code doWrite}: the check and {@code interestOps(OP_READ)} are
         * not atomic), and a frame a decoder thread queued in between (a pong) or an event queued by a publisher
         * then waits for the next demand, which may never come. Re-arms every connection that has frames queued but
         * is not waiting to write.
         */
        private void rearmLostWrites() {
            try {
                rearmEach();
            } catch (RuntimeException e) {
                // a scheduled task that throws is never run again: log and go on
                log.warn("Could not re-arm WebSocket writes", e);
            }
        }

        private void rearmEach() {
            for (WebSocket socket : sockets) {
                if (socket instanceof WebSocketImpl impl && !impl.outQueue.isEmpty()) {
                    java.nio.channels.SelectionKey key = impl.getSelectionKey();
                    try {
                        if (key != null && key.isValid()
                                && (key.interestOps() & java.nio.channels.SelectionKey.OP_WRITE) == 0) {
                            rearmedWrites.incrementAndGet();
                            onWriteDemand(impl);
                        }
                    } catch (java.nio.channels.CancelledKeyException closing) {
                        // closed meanwhile
                    }
                }
            }
        }
    }
}
