/** The storage backend SPI: {@link dev.memsnap.api.store.SnapshotStore}. */
package dev.memsnap.api.store;
