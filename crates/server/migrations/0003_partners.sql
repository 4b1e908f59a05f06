-- Partner program data (DOMAIN.md §5): agreement, renewal, training, competencies, MPN
-- locations, consultants and their exams, enrolled offerings; and business profiles (§12).
-- Every table hangs off a partner organization. Dates are YYYY-MM-DD text, timestamps RFC 3339
-- UTC text, flags 0/1 integers, enum values their snake_case (or upper-case offering) wire names,
-- so the same statements run on SQLite and PostgreSQL.

-- One row per partner organization that has program data.
CREATE TABLE partner_programs (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    agreement_version INTEGER,
    agreement_signed_on TEXT,
    renewal_due_on TEXT,
    compliance_training_completed INTEGER NOT NULL DEFAULT 0 CHECK (compliance_training_completed IN (0, 1)),
    updated_at TEXT NOT NULL,
    CHECK ((agreement_version IS NULL) = (agreement_signed_on IS NULL))
) STRICT;

-- A company holds a competency at one level at a time.
CREATE TABLE partner_competencies (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    competency TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('silver', 'gold')),
    expires_on TEXT NOT NULL,
    PRIMARY KEY (organization_id, competency)
) STRICT;

-- MPN location ids are unique across all partners: reservations and invoices name one.
CREATE TABLE partner_locations (
    location_id TEXT PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    country TEXT NOT NULL,
    city TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX partner_locations_by_organization ON partner_locations (organization_id);

-- A consultant may be linked to the portal user (role consultant) they sign in as.
CREATE TABLE consultants (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    user_id INTEGER UNIQUE REFERENCES users (id),
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organization_id, email)
) STRICT;

CREATE TABLE consultant_exams (
    consultant_id INTEGER NOT NULL REFERENCES consultants (id) ON DELETE CASCADE,
    exam TEXT NOT NULL,
    counts_toward TEXT NOT NULL,
    PRIMARY KEY (consultant_id, exam)
) STRICT;

CREATE TABLE partner_enrollments (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    offering TEXT NOT NULL,
    enrolled_on TEXT NOT NULL,
    PRIMARY KEY (organization_id, offering)
) STRICT;

-- One business profile per partner, for one country where it has a location.
CREATE TABLE business_profiles (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    country TEXT NOT NULL,
    description TEXT NOT NULL,
    website TEXT NOT NULL,
    linkedin_page TEXT,
    target_customer_size TEXT NOT NULL CHECK (target_customer_size IN ('small', 'medium', 'large', 'enterprise')),
    allow_endorsement INTEGER NOT NULL CHECK (allow_endorsement IN (0, 1)),
    published INTEGER NOT NULL CHECK (published IN (0, 1)),
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX business_profiles_by_country ON business_profiles (country, published);

-- Expertise tags in their own rows, so the directory searches them with plain SQL.
CREATE TABLE business_profile_tags (
    organization_id INTEGER NOT NULL REFERENCES business_profiles (organization_id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('industry', 'product', 'service_type')),
    position INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (organization_id, kind, position)
) STRICT;
