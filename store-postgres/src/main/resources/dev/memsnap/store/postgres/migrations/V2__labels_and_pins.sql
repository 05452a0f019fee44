-- V2: labels and pins (issue 6's tooling), beside the snapshot so that they go with it when it is deleted.
-- Columns with constant defaults are added without rewriting the table (PostgreSQL 11 and later), and an instance
-- still on V1 keeps working: it never names these columns, and rows it saves get the defaults.
ALTER TABLE ${schema}.memsnap_snapshots
    ADD COLUMN labels text[] NOT NULL DEFAULT '{}',
    ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- Finds snapshots by label in SQL (WHERE labels @> ARRAY['before-upgrade']) without reading every row.
CREATE INDEX memsnap_snapshots_labels ON ${schema}.memsnap_snapshots USING gin (labels);
