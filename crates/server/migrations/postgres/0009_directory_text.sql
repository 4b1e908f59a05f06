-- The directory's searchable text, one row per business profile: the partner's name and its
-- tags, lower-cased (SQL `lower` on "C" text, ASCII only, as on SQLite) and separated by
-- newlines, which no search word contains, so a word found in the text is found in the name or
-- in one tag. Written by the store with the profile (`store::sql::partners`).
CREATE TABLE directory_text (
    organization_id BIGINT PRIMARY KEY REFERENCES business_profiles (organization_id) ON DELETE CASCADE,
    text TEXT COLLATE "C" NOT NULL
);

-- Its trigram index: `text LIKE '%word%'` is found by the index for words of three or more
-- characters instead of a scan of every profile. pg_trgm ships with PostgreSQL and is a trusted
-- extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX directory_text_trigrams ON directory_text USING gin (text gin_trgm_ops);

INSERT INTO directory_text (organization_id, text)
SELECT b.organization_id, lower(o.name) || '
' || coalesce((SELECT string_agg(lower(t.tag), '
') FROM business_profile_tags t WHERE t.organization_id = b.organization_id), '')
FROM business_profiles b JOIN organizations o ON o.id = b.organization_id;
