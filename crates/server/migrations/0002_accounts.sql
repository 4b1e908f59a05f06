-- Organizations, their users, and server-side sessions.
-- Emails are stored lower-cased (the application normalises them), so a plain UNIQUE works the
-- same on SQLite and PostgreSQL. Timestamps are RFC 3339 UTC text.
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('partner', 'customer', 'program_operator')),
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled_at TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX users_by_organization ON users (organization_id);

-- The cookie carries a random token; only its SHA-256 is stored, so a copy of the database
-- cannot be used to hijack sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);
