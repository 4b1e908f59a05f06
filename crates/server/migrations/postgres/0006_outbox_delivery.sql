-- PostgreSQL twin of ../0006_outbox_delivery.sql: the same tables and columns (BIGINT for INTEGER, BYTEA for
-- BLOB, identity keys; TEXT COLLATE "C" so text sorts and compares bytewise as on SQLite).
-- Email delivery of the outbox (crates/server/src/mailer.rs): each notification is emailed once
-- when SMTP is configured. A failed send keeps the row unsent with the last error (never the
-- message) and a time before which it is not tried again; failures the SMTP server blames on
-- the message count as attempts, and after `mailer::MAX_ATTEMPTS` the row is given up (it stays
-- in the recipient's in-app inbox). `email_retry_at` also leases rows to the job sending them.

ALTER TABLE outbox ADD COLUMN email_attempts BIGINT NOT NULL DEFAULT 0 CHECK (email_attempts >= 0);
ALTER TABLE outbox ADD COLUMN email_error TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN email_retry_at TEXT COLLATE "C";
