package dev.memsnap.websocket;

import java.net.URI;

/**
 * The WebSocket server that streams snapshot events, as a host sees it: where it listens and how its clients fare.
 * A service of {@link WebSocketPlugin}, found through the runtime when {@code websocket.enabled} is true; the server
 * itself is started and stopped by the runtime ({@code Memsnap}), never by the host through this view.
 * <pre>
 * WebSocketEndpoint endpoint = context.runtime().service(WebSocketEndpoint.class).orElseThrow();
 * System.out.println("dashboards connect to " + endpoint.uri());
 * </pre>
 */
public interface WebSocketEndpoint {
    /** The {@code Sec-WebSocket-Protocol} the server selects, so that a browser can offer a token beside it. */
    String SUBPROTOCOL = "memsnap";
    /** A browser, which cannot set headers, offers its token as the subprotocol {@code memsnap.token.<token>}. */
    String TOKEN_SUBPROTOCOL_PREFIX = "memsnap.token.";


    /** @return whether the server is listening now */
    boolean isRunning();

    /**
     * @return the port actually bound, which differs from the configured one when that is 0
     * @throws IllegalStateException when the server is not running
     */
    int port();

    /**
     * @return the address clients connect to, such as {@code ws://127.0.0.1:8765/memsnap}; never contains the token
     * @throws IllegalStateException when the server is not running
     */
    URI uri();

    /** @return clients connected now */
    int clientCount();

    /**
     * @return events not sent to some client since this server was created, because that client's buffer was full;
     *         one event dropped for three clients counts three
     */
    long droppedMessages();

    /**
     * Lets browser pages of these origins connect, besides {@code websocket.allowed_origins}: how the dashboard,
     * which knows the port it actually bound, allows its own page without the user listing it.
     *
     * @param origins origins such as {@code http://127.0.0.1:8770}
     */
    void allowOrigins(java.util.Collection<String> origins);

    /**
     * @param origin a page's origin, such as {@code http://localhost:8770}
     * @return whether a page of that origin may connect
     */
    boolean allowsOrigin(String origin);
}
