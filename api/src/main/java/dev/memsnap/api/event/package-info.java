/** The event backend SPI: {@link dev.memsnap.api.event.SnapshotEventListener} receives {@link dev.memsnap.api.event.SnapshotEvent}s. */
package dev.memsnap.api.event;
