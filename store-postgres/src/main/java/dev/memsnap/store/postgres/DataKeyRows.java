package dev.memsnap.store.postgres;

import dev.memsnap.api.format.DataKeyStorage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The memories' wrapped data keys as rows of {@code memsnap_data_keys} (V5), shared by every instance on the schema:
 * what the store hands {@link dev.memsnap.api.format.SnapshotEncoding#withDataKeys}. Each statement runs on the
 * connection of the operation in progress (a save's or a read's transaction), else on a pooled one, and a row is
 * read once per operation (a read decodes a dozen chunks under one key).
 *
 * <p>A new key is {@code INSERT ... ON CONFLICT DO NOTHING}, then read back: when two instances make one memory's
 * key at once, the second waits for the first's transaction and both use the key that won. A key is destroyed by a
 * {@code DELETE} committed with {@code synchronous_commit} on, so it is durable before the call returns. The deleted
 * row's bytes stay in the table's dead tuples until VACUUM and in the WAL (and in any dump or base backup taken
 * before): those hold the key wrapped under the master key, which is why such backups are the operator's to exclude
 * or expire.
 */
final class DataKeyRows implements DataKeyStorage {
    private final PostgresSnapshotStore store;
    private final String table;

    /**
     * @param store  the store whose connections the statements use
     * @param schema the quoted schema
     */
    DataKeyRows(PostgresSnapshotStore store, String schema) {
        this.store = store;
        this.table = schema + ".memsnap_data_keys";
    }

    @Override
    public Optional<byte[]> read(String name) {
        return store.withConnection("read data key " + name, c -> {
            Optional<byte[]> known = store.keyRowsRead().get(name);
            if (known == null) {
                known = Optional.ofNullable(wrappedOf(c, name));
                store.keyRowsRead().put(name, known);
            }
            return known;
        });
    }

    @Override
    public byte[] createIfAbsent(String name, byte[] wrapped) {
        return store.withConnection("make data key " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (name, wrapped) VALUES (?, ?) "
                    + "ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, name);
                s.setBytes(2, wrapped);
                s.executeUpdate();
            }
            byte[] stored = wrappedOf(c, name); // ours, or the one another instance committed first
            store.keyRowsRead().put(name, Optional.of(stored));
            return stored;
        });
    }

    @Override
    public void replace(String name, byte[] wrapped) throws IOException {
        boolean replaced = store.withConnection("re-wrap data key " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET wrapped = ?, rewrapped_at = now() "
                    + "WHERE name = ?")) {
                s.setBytes(1, wrapped);
                s.setString(2, name);
                store.keyRowsRead().remove(name);
                return s.executeUpdate() > 0;
            }
        });
        if (!replaced) {
            // never make it again: that would bring a shredded key back
            throw new IOException("data key " + name + " was destroyed meanwhile (shredded)");
        }
    }

    @Override
    public boolean destroy(String name) {
        return store.withConnection("destroy data key " + name, c -> {
            if (!c.getAutoCommit()) {
                // joined to another operation's transaction, the deletion would not be durable when this returns
                throw new dev.memsnap.api.SnapshotStoreException("cannot destroy data key " + name + " inside another "
                        + "operation's transaction: a key is destroyed, and the deletion committed, on its own", null);
            }
            return PostgresSnapshotStore.inTransaction(c, Connection.TRANSACTION_READ_COMMITTED, () -> {
                try (Statement durable = c.createStatement()) {
                    durable.execute("SET LOCAL synchronous_commit TO on");
                }
                store.keyRowsRead().remove(name);
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE name = ?")) {
                    s.setString(1, name);
                    return s.executeUpdate() > 0;
                }
            });
        });
    }

    @Override
    public List<String> names() {
        return store.withConnection("list data keys", c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM " + table + " ORDER BY name")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    @Override
    public String describe() {
        return "table memsnap_data_keys of " + store;
    }

    private byte[] wrappedOf(Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT wrapped FROM " + table + " WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
