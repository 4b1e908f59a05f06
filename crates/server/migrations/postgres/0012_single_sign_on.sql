-- PostgreSQL twin of ../0012_single_sign_on.sql: the same tables and columns (BIGINT for
-- INTEGER; TEXT COLLATE "C" so text sorts and compares bytewise as on SQLite).
-- Single sign-on with OpenID Connect (crates/server/src/routes/oidc.rs).
--
-- 0: the organization's users sign in only through the identity provider; the password
-- sign-in refuses them. Set by the organization's Global Admin.
ALTER TABLE organizations ADD COLUMN local_passwords_allowed BIGINT NOT NULL DEFAULT 1
    CHECK (local_passwords_allowed IN (0, 1));

-- A single sign-on under way: what the start sent to the provider and the callback checks
-- (state, nonce, PKCE verifier), found by the SHA-256 of the browser's short-lived cookie, used
-- once, for a few minutes. Kept here rather than in the cookie so that every instance sees it.
CREATE TABLE oidc_sign_ins (
    browser_hash TEXT COLLATE "C" PRIMARY KEY,
    state TEXT COLLATE "C" NOT NULL,
    nonce TEXT COLLATE "C" NOT NULL,
    pkce_verifier TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);
