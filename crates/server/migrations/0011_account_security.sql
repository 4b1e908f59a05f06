-- Password change and reset, two-step sign-in (crates/server/src/routes/account.rs).
--
-- A reset request is written with its notification; its link's token is made by the mail job
-- when it sends the email, and only the token's SHA-256 is stored (`token_hash`, NULL until
-- then; a resend replaces it). A request is used once, until `expires_at` (30 minutes).
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT UNIQUE,
    created_at TEXT NOT NULL,
    -- RFC 3339 UTC with milliseconds and a `Z`, so comparing the text compares the times.
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT;
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- A user's TOTP authenticator (RFC 6238). The secret must be readable to check codes, so it is
-- stored as it is (base32); `confirmed_at` NULL is an enrolment waiting for its first code.
-- `last_step` is the time step of the last code accepted: a code is accepted only for a later
-- step, so none is accepted twice, on any instance.
CREATE TABLE totp_factors (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Single-use recovery codes: their SHA-256 (80 random bits each), `used_at` once used.
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- A sign-in whose password was right and which waits for its second step: the cookie's token
-- (its SHA-256 here), a few minutes, a few wrong codes.
CREATE TABLE sign_in_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sign_in_challenges_by_user ON sign_in_challenges (user_id);

-- 1: the deployment requires a second factor of this user, who had none at sign-in; the session
-- may only enrol until they have.
ALTER TABLE sessions ADD COLUMN must_enrol INTEGER NOT NULL DEFAULT 0 CHECK (must_enrol IN (0, 1));
