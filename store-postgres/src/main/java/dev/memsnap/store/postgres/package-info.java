/**
 * A snapshot store on PostgreSQL, shared by every instance of an assistant: {@link
 * dev.memsnap.store.postgres.PostgresStorePlugin} selects it from {@code memory.store: postgres}, or a host installs
 * {@link dev.memsnap.store.postgres.PostgresStoreModule}; {@link dev.memsnap.store.postgres.PostgresStores} opens one
 * outside Guice. The schema migrates itself on start.
 */
package dev.memsnap.store.postgres;
