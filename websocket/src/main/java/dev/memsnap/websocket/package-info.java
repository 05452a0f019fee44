/**
 * memsnap's optional WebSocket module: streams the seed's {@code memory_snapshot} events to dashboards.
 * <ul>
 *   <li>{@link dev.memsnap.websocket.WebSocketEnhancedMemoryManager} decorates any
 *       {@link dev.memsnap.api.EnhancedMemoryManager} and hands an event to an event backend after each snapshot
 *       operation succeeds;</li>
 *   <li>{@link dev.memsnap.websocket.WebSocketModule} binds the decorator over core's manager, the WebSocket server as
 *       the default event backend, and a listener that forwards automatic snapshots' events;</li>
 *   <li>{@link dev.memsnap.websocket.WebSocketPlugin} is how core finds the module with {@link java.util.ServiceLoader};
 *       {@link dev.memsnap.websocket.WebSocketConfig} is the {@code websocket:} section of {@code config.yaml}.</li>
 * </ul>
 */
package dev.memsnap.websocket;
