/**
 * memsnap's optional WebSocket plugin: streams the seed's {@code memory_snapshot} events to dashboards, every
 * memory's, or one memory's to a client that connects with {@code ?memory=ID}. Compiles against {@code memsnap-api}
 * alone.
 * <ul>
 *   <li>{@link dev.memsnap.websocket.WebSocketPlugin} is the {@code dev.memsnap.api.plugin.MemsnapPlugin} memsnap
 *       finds with {@link java.util.ServiceLoader}: a service (the WebSocket server, a
 *       {@link dev.memsnap.websocket.WebSocketEndpoint}) and a manager decorator;</li>
 *   <li>{@link dev.memsnap.websocket.WebSocketEnhancedMemoryManager} decorates any
 *       {@link dev.memsnap.api.EnhancedMemoryManager}: it subscribes its event backend to a manager that is a
 *       {@link dev.memsnap.api.event.SnapshotEventSource} (core's is), and makes the events of any other;</li>
 *   <li>{@link dev.memsnap.websocket.WebSocketConfig} is the {@code websocket:} section of {@code config.yaml}.</li>
 * </ul>
 */
package dev.memsnap.websocket;
