-- V5: a data key per memory (issue 18, crypto-shredding). With encryption on, each memory's snapshots (their chunks,
-- and rows saved whole) are encrypted under a random data key of that memory, kept here wrapped (AES-256-GCM) under
-- the master key; memsnap forget --memory ID --shred deletes the memory's row, after which no copy of its snapshots
-- (a dump of memsnap_snapshots and memsnap_chunks, a backup) can be decrypted. Chunks of such snapshots are named
-- per memory (manifest hash kind 2), so no chunk is shared between two memories' keys. Rows encrypted under the
-- master key before V5 still read. Older code would read a kind-2 manifest as damaged, so this needs version 5.
CREATE TABLE ${schema}.memsnap_data_keys (
    -- the memory's key name: 32 hex digits of a SHA-256 of its memory id (never the id itself)
    name       text COLLATE "C" PRIMARY KEY CHECK (name ~ '^[0-9a-f]{32}$'),
    -- the wrapped data key (104 bytes today), opaque to the database
    wrapped    bytea NOT NULL CHECK (octet_length(wrapped) BETWEEN 1 AND 4096),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- set when the key was re-wrapped under a rotated master key
    rewrapped_at timestamptz
);
