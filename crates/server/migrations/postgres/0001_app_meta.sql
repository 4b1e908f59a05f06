-- PostgreSQL twin of ../0001_app_meta.sql: the same tables and columns (BIGINT for INTEGER, BYTEA for
-- BLOB, identity keys; TEXT COLLATE "C" so text sorts and compares bytewise as on SQLite).
-- Facts about this database itself: schema owner and when demo data was seeded.
CREATE TABLE app_meta (
    key TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    value TEXT COLLATE "C" NOT NULL
);

-- The PostgreSQL stand-in for SQLite's `PRAGMA application_id` (0x50535650, "PSVP"): recorded in
-- the transaction that creates the table, so a schema with tables but without this row is not ours.
INSERT INTO app_meta (key, value) VALUES ('application_id', '1347638864');
