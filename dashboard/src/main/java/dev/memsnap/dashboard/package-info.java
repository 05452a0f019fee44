/**
 * The snapshot dashboard: a page served by the host on localhost that shows snapshot events live (from the websocket
 * module's stream), each snapshot's statistics, turns and memories, the difference between two snapshots, and the
 * history tree, for one memory id at a time, picked on the page. {@link dev.memsnap.dashboard.DashboardPlugin}
 * contributes it as a service when {@code dashboard.enabled} is true (it compiles against {@code memsnap-api} and the
 * websocket plugin alone); {@link dev.memsnap.dashboard.DashboardEndpoint} says where it is.
 */
package dev.memsnap.dashboard;
