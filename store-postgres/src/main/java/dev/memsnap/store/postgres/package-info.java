/**
 * A snapshot store on PostgreSQL, shared by every instance of an assistant: {@link
 * dev.memsnap.store.postgres.PostgresStorePlugin} offers it to memsnap as the store named {@code postgres}, which
 * {@code memory.store: postgres} selects, configured by {@link dev.memsnap.store.postgres.PostgresStoreConfig}. The
 * schema migrates itself on start, with Flyway. The module depends on {@code memsnap-api} only.
 */
package dev.memsnap.store.postgres;
