-- V3: memory ids (issue 13). Each snapshot belongs to one memory (a user, a conversation, an agent) and records the
-- snapshot its state descends from in that memory. Existing rows are the host's one memory, 'default', with no
-- parent. memory_id has a constant default and parent_snapshot_id none, so both are added without rewriting the
-- table (PostgreSQL 11 and later); checking the constraint and building the index read it once, holding off saves
-- meanwhile (about 2 s for 100,000 rows on a loaded 2-core machine: see the README). An instance still on V2 keeps
-- working: it never names these columns, and rows it saves are memory 'default', as every snapshot it can make is. It
-- does list every memory's snapshots as its own, though: see the README on upgrading before other memories are used.
ALTER TABLE ${schema}.memsnap_snapshots
    -- "C" collation, as for snapshot_id: memory ids sort by code point whatever the database's locale. A memory id
    -- is 1 to 200 characters, none a control character (MemoryManagers.isValidMemoryId).
    ADD COLUMN memory_id text COLLATE "C" NOT NULL DEFAULT 'default'
        CONSTRAINT memsnap_snapshots_memory_id_format
        CHECK (char_length(memory_id) BETWEEN 1 AND 200 AND memory_id !~ '[\u0001-\u001f\u007f-\u009f]'),
    -- null when none; not checked against the id pattern, since the body, which is the truth, does not check it.
    ADD COLUMN parent_snapshot_id text COLLATE "C";

-- One memory's listing, newest first, and its prune plan are a range of this index, whatever the other memories
-- hold. The V1 index stays for the listing of every memory; memoryIds() reads every row (see the README).
CREATE INDEX memsnap_snapshots_memory_newest_first
    ON ${schema}.memsnap_snapshots (memory_id, taken_at DESC, snapshot_id DESC);
