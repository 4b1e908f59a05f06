-- Customers' licensing enrollments with their day pools, vouchers, deliverables, the audit log
-- and the notification outbox (which is also each user's inbox).

CREATE TABLE enrollments (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    -- The licensing ID shown to customers.
    enrollment_number TEXT NOT NULL UNIQUE,
    ends_on TEXT NOT NULL,
    benefit_activated_on TEXT,
    remaining_days INTEGER NOT NULL CHECK (remaining_days >= 0),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX enrollments_by_organization ON enrollments (organization_id);

CREATE TABLE pool_changes (
    id INTEGER PRIMARY KEY,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
    change_days INTEGER NOT NULL,
    reason TEXT NOT NULL,
    voucher_id TEXT,
    on_date TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX pool_changes_by_enrollment ON pool_changes (enrollment_id, id);

-- The domain `Voucher` is stored whole in `body` (JSON); the columns beside it copy what lists
-- filter and sort on. `version` grows by one with every transition: a write names the version it
-- read, so of two concurrent transitions exactly one applies.
CREATE TABLE vouchers (
    voucher_id TEXT PRIMARY KEY,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
    customer_organization_id INTEGER NOT NULL REFERENCES organizations (id),
    partner_organization_id INTEGER REFERENCES organizations (id),
    offering TEXT NOT NULL,
    service_level_days INTEGER NOT NULL,
    assignee_email TEXT NOT NULL,
    status TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    redeemed_on TEXT,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX vouchers_by_customer ON vouchers (customer_organization_id, status, expires_on);
CREATE INDEX vouchers_by_partner ON vouchers (partner_organization_id, status, expires_on);
CREATE INDEX vouchers_by_assignee ON vouchers (assignee_email);
CREATE INDEX vouchers_by_status_expiry ON vouchers (status, expires_on);

-- Uploaded deliverables, stored under data/documents/<sha256>; one row per content.
CREATE TABLE documents (
    document_id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by_organization_id INTEGER NOT NULL REFERENCES organizations (id),
    uploaded_at TEXT NOT NULL
) STRICT;

-- Append-only: rows are inserted in the transaction of the change they record, never updated.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    actor_name TEXT NOT NULL,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    program_date TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_subject ON audit_log (subject_kind, subject_id, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    recipient_user_id INTEGER NOT NULL REFERENCES users (id),
    recipient_email TEXT NOT NULL,
    event TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    emailed_at TEXT
) STRICT;
CREATE INDEX outbox_by_recipient ON outbox (recipient_user_id, id);
CREATE INDEX outbox_unsent ON outbox (emailed_at, id);
