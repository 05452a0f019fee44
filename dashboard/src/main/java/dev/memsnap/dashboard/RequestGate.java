package dev.memsnap.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What stands between the network and the JDK's {@code HttpServer}, which reads a request's line and headers on a
 * worker thread with no time or size limit of its own (its {@code sun.net.httpserver.*} limits are JVM-wide system
 * properties, read once, and apply to every server in the process): a half-sent request would hold one of the
 * dashboard's few workers for ever.
 *
 * <p>The gate listens on the dashboard's address and reads each request's head itself, on one non-blocking thread,
 * within {@link Limits#maxHeadBytes()} and {@link Limits#headTimeout()} counted from the accept; only a complete,
 * well-formed head is passed to the {@code HttpServer}, which listens on an ephemeral loopback port, and the response
 * is relayed back. Each connection carries one request (the gate then ends its side to the server, which closes the
 * connection once it has answered), so a second, half-sent request can never reach a worker either. What the gate
 * refuses it answers itself, with the dashboard's security headers: a head too large (431), too slow (408), a request
 * line or header that is malformed, a target that is not a valid URI, a {@code Host} header missing, repeated or not
 * one plain {@code name[:port]} (400), a body without a Content-Length (411), a request, body included, larger than
 * the head's bound (413).
 */
final class RequestGate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestGate.class);
    private static final int RELAY_BUFFER_BYTES = 64 * 1024;
    private static final long CLOSE_JOIN_MILLIS = 5_000;
    private static final Pattern REQUEST_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) (/\\S*) HTTP/1\\.[01]");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * @param maxHeadBytes   the most a request's line and headers may take
     * @param headTimeout    how long a connection may take, from its accept, to send them
     * @param maxConnections connections at once; one more is closed on accept
     */
    record Limits(int maxHeadBytes, Duration headTimeout, int maxConnections) {
        /** 32 KiB of head, 10 s to send it, 256 connections. */
        static final Limits DEFAULT = new Limits(32 << 10, Duration.ofSeconds(10), 256);
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final InetSocketAddress upstream;
    private final Limits limits;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Where refused clients' further input is read and dropped; the gate's thread only. */
    private final ByteBuffer scratch = ByteBuffer.allocate(8192);
    /** Touched only by the gate's thread. */
    private final Set<Relay> relays = new HashSet<>();
    private volatile boolean closing;

    private RequestGate(ServerSocketChannel listener, Selector selector, InetSocketAddress upstream, Limits limits) {
        this.listener = listener;
        this.selector = selector;
        this.upstream = upstream;
        this.limits = limits;
        this.thread = new Thread(this::run, "memsnap-dashboard-gate");
        thread.setDaemon(true);
    }

    /**
     * Listens on {@code address} and relays complete requests to {@code upstream}.
     *
     * @throws IOException when the address cannot be bound
     */
    static RequestGate open(InetSocketAddress address, int backlog, InetSocketAddress upstream, Limits limits)
            throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        Selector selector = null;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, backlog);
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        RequestGate gate = new RequestGate(listener, selector, upstream, limits);
        gate.thread.start();
        return gate;
    }

    /** @return the port the gate listens on */
    int port() {
        return listener.socket().getLocalPort();
    }

    /** Stops accepting, closes every connection and ends the gate's thread. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            if (!stopped.await(CLOSE_JOIN_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("The dashboard's request gate did not stop within {} ms", CLOSE_JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closing) {
                long now = System.nanoTime();
                long wait = expire(now);
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.attachment() == null) {
                        accept();
                    } else {
                        ((Relay) key.attachment()).ready(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                log.warn("The dashboard's request gate failed; the dashboard no longer answers", e);
            }
        } finally {
            for (Relay relay : new ArrayList<>(relays)) {
                relay.close();
            }
            quietly(listener);
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            stopped.countDown();
        }
    }

    /** Answers every head that is late; @return how long to wait for the next deadline, 0 for none */
    private long expire(long now) {
        long next = Long.MAX_VALUE;
        for (Relay relay : new ArrayList<>(relays)) {
            if (relay.deadline == 0) {
                continue;
            }
            if (now - relay.deadline >= 0) {
                if (relay.state == State.HEAD) {
                    relay.refuse(408, "request head not complete within " + limits.headTimeout().toMillis()
                            + " ms", "the request was not complete in time");
                } else {
                    relay.close(); // a refusal the client does not read
                }
                if (relay.deadline == 0) {
                    continue;
                }
            }
            next = Math.min(next, relay.deadline - now);
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void accept() throws IOException {
        SocketChannel client;
        while ((client = listener.accept()) != null) {
            if (relays.size() >= limits.maxConnections()) {
                log.warn("Dashboard: {} connections open, the most allowed; closed a new one", relays.size());
                quietly(client);
                continue;
            }
            try {
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Relay relay = new Relay(client);
                relay.clientKey = client.register(selector, SelectionKey.OP_READ, relay);
                relays.add(relay);
            } catch (IOException e) {
                quietly(client);
            }
        }
    }

    private enum State { HEAD, CONNECTING, RELAYING, REFUSING }

    /** One client connection, and the connection to the server its request is passed on. */
    private final class Relay {
        final SocketChannel client;
        SelectionKey clientKey;
        SocketChannel server;
        SelectionKey serverKey;
        State state = State.HEAD;
        /** System.nanoTime() by which the head must be read (or a refusal written); 0 once it no longer applies. */
        long deadline;
        ByteBuffer head = ByteBuffer.allocate(limits.maxHeadBytes());
        /** Where the request, head and body, ends in {@link #head}; -1 until the head is read. */
        int requestEnd = -1;
        /** Bytes from the server, or the gate's own refusal, on their way to the client. */
        ByteBuffer toClient;
        boolean serverDone;

        Relay(SocketChannel client) {
            this.client = client;
            this.deadline = System.nanoTime() + limits.headTimeout().toNanos();
            if (deadline == 0) {
                deadline = 1;
            }
        }

        void ready(SelectionKey key) {
            try {
                if (key == clientKey) {
                    if (key.isReadable() && state == State.HEAD) {
                        readHead();
                    } else if (key.isReadable() && state == State.REFUSING) {
                        drain();
                    }
                    if (key.isValid() && key.isWritable()) {
                        writeToClient();
                    }
                } else if (key == serverKey) {
                    if (key.isConnectable()) {
                        server.finishConnect();
                        state = State.RELAYING;
                        serverKey.interestOps(SelectionKey.OP_WRITE);
                    } else if (key.isWritable()) {
                        writeHead();
                    } else if (key.isReadable()) {
                        readFromServer();
                    }
                }
            } catch (IOException e) {
                log.debug("Dashboard connection from {} ended: {}", remote(), e.toString());
                close();
            }
        }

        private void readHead() throws IOException {
            int before = head.position();
            int read = client.read(head);
            if (read < 0) {
                close();
                return;
            }
            if (requestEnd < 0) {
                int end = headEnd(head, Math.max(0, before - 3));
                if (end < 0) {
                    if (!head.hasRemaining()) {
                        refuse(431, "request head larger than " + limits.maxHeadBytes() + " bytes",
                                "the request's headers are too large");
                    }
                    return;
                }
                String text = new String(head.array(), 0, end, StandardCharsets.ISO_8859_1);
                Optional<String> problem = problem(text);
                if (problem.isPresent()) {
                    refuse(Integer.parseInt(problem.get().substring(0, 3)), problem.get(),
                            problem.get().substring(4));
                    return;
                }
                long total = end + contentLength(text);
                if (total > head.capacity()) {
                    refuse(413, "request larger than " + limits.maxHeadBytes() + " bytes",
                            "the request is too large");
                    return;
                }
                requestEnd = (int) total;
            }
            if (head.position() < requestEnd) {
                return; // the body is still coming, within the same deadline
            }
            // Only the request goes on: anything after it (a pipelined request) is not read.
            head.limit(requestEnd).position(0);
            deadline = 0;
            clientKey.interestOps(0);
            state = State.CONNECTING;
            server = SocketChannel.open();
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            serverKey = server.register(selector, SelectionKey.OP_CONNECT, this);
            if (server.connect(upstream)) {
                state = State.RELAYING;
                serverKey.interestOps(SelectionKey.OP_WRITE);
            }
        }

        private void writeHead() throws IOException {
            server.write(head);
            if (!head.hasRemaining()) {
                head = null;
                // The one request this connection carries is passed on: the server answers it, then closes.
                server.shutdownOutput();
                toClient = ByteBuffer.allocate(RELAY_BUFFER_BYTES);
                serverKey.interestOps(SelectionKey.OP_READ);
            }
        }

        private void readFromServer() throws IOException {
            int read = server.read(toClient);
            if (read < 0) {
                serverDone = true;
                serverKey.interestOps(0);
            }
            toClient.flip();
            if (toClient.hasRemaining()) {
                serverKey.interestOps(0);
                clientKey.interestOps(SelectionKey.OP_WRITE);
                writeToClient();
            } else {
                toClient.clear();
                if (serverDone) {
                    close();
                }
            }
        }

        private void writeToClient() throws IOException {
            client.write(toClient);
            if (toClient.hasRemaining()) {
                return;
            }
            if (state == State.REFUSING) {
                // Closing with unread input would reset the connection, and the client might lose the answer:
                // end our side, and read what it still sends until it closes (or the deadline passes).
                client.shutdownOutput();
                clientKey.interestOps(SelectionKey.OP_READ);
                return;
            }
            toClient.clear();
            clientKey.interestOps(0);
            if (serverDone) {
                close();
            } else {
                serverKey.interestOps(SelectionKey.OP_READ);
            }
        }

        private void drain() throws IOException {
            // A bounded amount per turn, so that a client that never stops sending cannot hold the gate's thread.
            for (int i = 0; i < 16; i++) {
                scratch.clear();
                int read = client.read(scratch);
                if (read < 0) {
                    close();
                    return;
                }
                if (read == 0) {
                    return;
                }
            }
        }

        /** Answers the client with {@code status} itself, and closes once that is written (and read by it). */
        void refuse(int status, String why, String message) {
            log.info("Refused dashboard request from {}: {}", remote(), why);
            state = State.REFUSING;
            head = null;
            toClient = ByteBuffer.wrap(refusal(status, message));
            // A client that does not read even this much is closed at the deadline.
            deadline = System.nanoTime() + limits.headTimeout().toNanos();
            if (deadline == 0) {
                deadline = 1;
            }
            try {
                clientKey.interestOps(SelectionKey.OP_WRITE);
                writeToClient();
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        void close() {
            if (!relays.remove(this)) {
                return;
            }
            deadline = 0;
            quietly(client);
            if (server != null) {
                quietly(server);
            }
        }

        private String remote() {
            try {
                return String.valueOf(client.getRemoteAddress());
            } catch (IOException e) {
                return "(closed)";
            }
        }
    }

    /** @return the index just past the empty line ending the head in {@code buffer}'s content, or -1 */
    private static int headEnd(ByteBuffer buffer, int from) {
        byte[] bytes = buffer.array();
        int length = buffer.position();
        for (int i = from; i < length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i + 1 < length && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /**
     * @param head a request's line and headers, up to and including the empty line
     * @return what makes it unacceptable, prefixed by the status to answer ({@code "400 "} or {@code "411 "}), or
     *         empty when it may be passed on
     */
    static Optional<String> problem(String head) {
        List<String> lines = new ArrayList<>();
        for (String line : head.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        var requestLine = REQUEST_LINE.matcher(lines.get(0));
        if (!requestLine.matches()) {
            return Optional.of("400 malformed request line");
        }
        try {
            new URI(requestLine.group(2));
        } catch (URISyntaxException e) {
            return Optional.of("400 malformed request target");
        }
        int hosts = 0;
        String host = null;
        long contentLength = -1;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !HEADER_NAME.matcher(line.substring(0, colon)).matches()) {
                return Optional.of("400 malformed header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "host" -> {
                    hosts++;
                    host = value;
                }
                case "transfer-encoding" -> {
                    return Optional.of("411 a request body needs a Content-Length");
                }
                case "content-length" -> {
                    if (contentLength >= 0 || !value.matches("[0-9]{1,9}")) {
                        return Optional.of("400 malformed Content-Length");
                    }
                    contentLength = Long.parseLong(value);
                }
                default -> {
                    // passed on as it is
                }
            }
        }
        if (hosts != 1) {
            return Optional.of(hosts == 0 ? "400 missing Host header" : "400 more than one Host header");
        }
        if (RequestGuard.hostName(host) == null) {
            return Optional.of("400 malformed Host header");
        }
        return Optional.empty();
    }

    /** @return the Content-Length of a head {@link #problem} accepted, 0 when it has none */
    private static long contentLength(String head) {
        for (String line : head.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
                return Long.parseLong(line.substring(colon + 1).strip());
            }
        }
        return 0;
    }

    /** The gate's own answer: JSON, with the headers every dashboard response carries, and the end of the connection. */
    private static byte[] refusal(int status, String message) {
        String reason = switch (status) {
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Bad Request";
        };
        byte[] body = ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder response = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\n");
        for (String[] header : DashboardHandler.fixedSecurityHeaders()) {
            response.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        response.append("Content-Security-Policy: ").append(DashboardHandler.contentSecurityPolicy(""))
                .append("\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ").append(body.length)
                .append("\r\nConnection: close\r\n\r\n");
        byte[] headBytes = response.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private static void quietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }
}
