-- Single sign-on with OpenID Connect (crates/server/src/routes/oidc.rs).
--
-- 0: the organization's users sign in only through the identity provider; the password
-- sign-in refuses them. Set by the organization's Global Admin.
ALTER TABLE organizations ADD COLUMN local_passwords_allowed INTEGER NOT NULL DEFAULT 1
    CHECK (local_passwords_allowed IN (0, 1));

-- A single sign-on under way: what the start sent to the provider and the callback checks
-- (state, nonce, PKCE verifier), found by the SHA-256 of the browser's short-lived cookie, used
-- once, for a few minutes. Kept here rather than in the cookie so that every instance sees it.
CREATE TABLE oidc_sign_ins (
    browser_hash TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    -- RFC 3339 UTC with milliseconds and a `Z`, so comparing the text compares the times.
    expires_at TEXT NOT NULL
) STRICT;
