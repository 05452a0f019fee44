package dev.memsnap.dashboard;

import java.net.URI;

/**
 * The dashboard's HTTP server, as a host sees it: where to open the page. A service of {@link DashboardPlugin}, found
 * through the runtime when {@code dashboard.enabled} is true; the server itself is started and stopped by the runtime
 * ({@code Memsnap}), never through this view.
 * <pre>
 * DashboardEndpoint dashboard = context.runtime().service(DashboardEndpoint.class).orElseThrow();
 * System.out.println("open " + dashboard.uri() + "?token=...");
 * </pre>
 */
public interface DashboardEndpoint {

    /** @return whether the server is listening now */
    boolean isRunning();

    /**
     * @return the port actually bound, which differs from the configured one when that is 0
     * @throws IllegalStateException when the server is not running
     */
    int port();

    /**
     * @return the page's address, such as {@code http://127.0.0.1:8770/}; never contains the token (append
     *         {@code ?token=<token>} when one is configured)
     * @throws IllegalStateException when the server is not running
     */
    URI uri();
}
