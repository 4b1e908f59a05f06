-- SAVB payments (DOMAIN.md §11): registrations per (partner organization, program), payment
-- requests with their vouchers, the payment notification outbox, and idempotency records.

-- One row per program a partner organization registered for payments (each offering is a program).
CREATE TABLE savb_registrations (
    partner_organization_id INTEGER NOT NULL REFERENCES organizations (id),
    program TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    registered_by_user_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (partner_organization_id, program)
) STRICT;

-- The domain `PaymentRequest` is stored whole in `body` (JSON); the columns beside it copy what
-- lists filter and sort on. `id` is also the sequence of the reference number given on
-- submission. `version` grows by one with every change, as for vouchers.
CREATE TABLE payment_requests (
    id INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    partner_organization_id INTEGER NOT NULL REFERENCES organizations (id),
    program TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Set on submission; unique when set (NULLs do not collide).
    reference_number TEXT UNIQUE,
    currency TEXT NOT NULL,
    total_minor_units INTEGER NOT NULL CHECK (total_minor_units >= 0),
    reject_reason TEXT,
    created_on TEXT NOT NULL,
    submitted_on TEXT,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX payment_requests_by_partner ON payment_requests (partner_organization_id, id);
CREATE INDEX payment_requests_by_status ON payment_requests (status, submitted_on);

-- The vouchers of each request (replaced while it is a draft).
CREATE TABLE payment_request_vouchers (
    payment_request_id INTEGER NOT NULL REFERENCES payment_requests (id),
    voucher_id TEXT NOT NULL REFERENCES vouchers (voucher_id),
    amount_minor_units INTEGER NOT NULL,
    PRIMARY KEY (payment_request_id, voucher_id)
) STRICT;
CREATE INDEX payment_request_vouchers_by_voucher ON payment_request_vouchers (voucher_id);

-- The first response to each (user, Idempotency-Key): claimed with INSERT … ON CONFLICT DO
-- NOTHING in the transaction of the change it records, so a retry with the same request gets
-- these bytes again and one with another request (another fingerprint) is refused.
CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
) STRICT;
