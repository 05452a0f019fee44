package dev.memsnap.api;

/**
 * A part that holds resources (files, sockets, threads). The runtime calls {@link #start()} before first use and
 * {@link #stop()} at shutdown, each once; constructors never do I/O.
 */
public interface Lifecycle {
    /** Acquires what the part needs: creates directories, opens sockets, starts threads. */
    default void start() {
    }

    /** Releases everything {@link #start()} acquired. Never throws for a part that was not started. */
    default void stop() {
    }
}
