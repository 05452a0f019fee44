-- V4: content-addressed chunks (issue 17). A snapshot saved from V4 on is a manifest in memsnap_snapshots.body
-- (it starts with the bytes MSPGCHK1; format says 'chunks', then the codec's layers) naming chunk rows here: a
-- header, leaves of turns and of memories, and a base list of leaf names. Chunks are shared by every snapshot that
-- names them, so storage grows with what changed. Rows saved before V4 keep their whole body and still read.
-- Older code would read a manifest as a damaged snapshot, so this migration says it needs version 4 to start.
CREATE TABLE ${schema}.memsnap_chunks (
    -- SHA-256 of the part's JSON, or its HMAC-SHA-256 under memsnap_chunk_key when encrypted; for a base list, the
    -- SHA-256 of the list's bytes
    hash       bytea PRIMARY KEY CHECK (octet_length(hash) = 32),
    -- the part as the codec encodes it (compressed, encrypted as configured); a base list as it is
    body       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- A chunk is a few kilobytes: compress it in the row (pglz, when that helps) rather than move it to TOAST, which
-- would add a TOAST row and index entry per chunk.
ALTER TABLE ${schema}.memsnap_chunks ALTER COLUMN body SET STORAGE MAIN;
ALTER TABLE ${schema}.memsnap_chunks SET (toast_tuple_target = 128);

-- Bumped by every garbage collection that deleted chunks, in its transaction: a save that finds it unchanged knows
-- the chunks it saw stored are still there.
CREATE TABLE ${schema}.memsnap_gc_epoch (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    epoch bigint NOT NULL
);
INSERT INTO ${schema}.memsnap_gc_epoch (epoch) VALUES (0);

-- The key chunk names are keyed with when snapshots are encrypted, itself encrypted by the codec: only who holds
-- the encryption key can tell which chunk holds what.
CREATE TABLE ${schema}.memsnap_chunk_key (
    one    boolean PRIMARY KEY DEFAULT true CHECK (one),
    sealed bytea NOT NULL
);
