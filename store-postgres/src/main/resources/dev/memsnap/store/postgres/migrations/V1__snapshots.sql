-- V1: one row per snapshot. What a listing needs is in columns, so that listing, filtering by time and planning a
-- prune read no body; the body is the snapshot as the codec encodes it (plain JSON, gzip or zstd, optionally
-- encrypted), kept out of line by TOAST, with the SHA-256 of exactly those bytes.
-- ${schema} is replaced by the configured schema, quoted.
CREATE TABLE ${schema}.memsnap_snapshots (
    -- "C" collation: ids sort by their bytes, as Java's String order does, whatever the database's locale.
    snapshot_id        text COLLATE "C" PRIMARY KEY
                       CONSTRAINT memsnap_snapshots_id_format
                       CHECK (snapshot_id ~ '^snapshot_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$'),
    taken_at           timestamp NOT NULL,
    short_term_turns   integer NOT NULL CHECK (short_term_turns >= 0),
    long_term_memories integer NOT NULL CHECK (long_term_memories >= 0),
    topics             integer NOT NULL CHECK (topics >= 0),
    -- the codec's layers as the file store names them: json, json.gz, json.zst, json.gz.enc, ...
    format             text NOT NULL,
    -- the fingerprint of the encryption key, or null when not encrypted: finds what a rekey must still rewrite
    key_id             text,
    stored_bytes       bigint NOT NULL CHECK (stored_bytes >= 0),
    body_sha256        bytea NOT NULL CHECK (octet_length(body_sha256) = 32),
    body               bytea NOT NULL,
    saved_at           timestamptz NOT NULL DEFAULT now()
)
-- Rows wider than 128 bytes have their body moved out of line (compressed first when that helps), so the heap that
-- a listing scans holds little more than the listing columns, however small the snapshots.
WITH (toast_tuple_target = 128);

-- Listings are newest first, ties broken by id.
CREATE INDEX memsnap_snapshots_newest_first ON ${schema}.memsnap_snapshots (taken_at DESC, snapshot_id DESC);
