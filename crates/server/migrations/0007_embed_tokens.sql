-- Embed tokens of the embeddable widget (crates/server/src/routes/embed.rs): read-only access to
-- one voucher's card or one partner organization's eligibility badge, from the listed origins,
-- until `expires_at` or revocation. Only the SHA-256 of the secret is stored. Exactly one of
-- `voucher_id` and `partner_organization_id` is set. Rows are kept after revocation or expiry,
-- so their owner still sees them in the list.
CREATE TABLE embed_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    owner_user_id INTEGER NOT NULL REFERENCES users (id),
    voucher_id TEXT REFERENCES vouchers (voucher_id),
    partner_organization_id INTEGER REFERENCES organizations (id),
    -- JSON array of normalised origins (`planning_domain::embed::AllowedOrigin`).
    allowed_origins TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- RFC 3339 UTC with milliseconds and a `Z`, so comparing the text compares the times.
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    CHECK ((voucher_id IS NULL) <> (partner_organization_id IS NULL))
) STRICT;
CREATE INDEX embed_tokens_by_owner ON embed_tokens (owner_user_id, id);

-- One row per (token, origin), for the preflight's question "does any live token allow this
-- origin?", which is asked before the token is known (browsers send no Authorization header
-- with a preflight).
CREATE TABLE embed_token_origins (
    token_id INTEGER NOT NULL REFERENCES embed_tokens (id),
    origin TEXT NOT NULL,
    PRIMARY KEY (origin, token_id)
) STRICT;
