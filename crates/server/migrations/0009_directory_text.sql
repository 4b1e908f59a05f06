-- The directory's searchable text, one row per business profile: the partner's name and its
-- tags, lower-cased (SQL `lower`, ASCII only, as the search has always matched) and separated by
-- newlines, which no search word contains, so a word found in the text is found in the name or
-- in one tag. Written by the store with the profile (`store::sql::partners`).
CREATE TABLE directory_text (
    organization_id INTEGER PRIMARY KEY REFERENCES business_profiles (organization_id) ON DELETE CASCADE,
    text TEXT NOT NULL
) STRICT;

-- Its trigram index (FTS5, external content): a word of three or more characters is found by
-- the index instead of a scan of every profile. Kept in step with the table by the triggers.
CREATE VIRTUAL TABLE directory_text_index USING fts5(
    text, content = 'directory_text', content_rowid = 'organization_id', tokenize = 'trigram case_sensitive 1'
);
CREATE TRIGGER directory_text_inserted AFTER INSERT ON directory_text BEGIN
    INSERT INTO directory_text_index (rowid, text) VALUES (new.organization_id, new.text);
END;
CREATE TRIGGER directory_text_deleted AFTER DELETE ON directory_text BEGIN
    INSERT INTO directory_text_index (directory_text_index, rowid, text) VALUES ('delete', old.organization_id, old.text);
END;
CREATE TRIGGER directory_text_updated AFTER UPDATE ON directory_text BEGIN
    INSERT INTO directory_text_index (directory_text_index, rowid, text) VALUES ('delete', old.organization_id, old.text);
    INSERT INTO directory_text_index (rowid, text) VALUES (new.organization_id, new.text);
END;

INSERT INTO directory_text (organization_id, text)
SELECT b.organization_id, lower(o.name) || '
' || coalesce((SELECT string_agg(lower(t.tag), '
') FROM business_profile_tags t WHERE t.organization_id = b.organization_id), '')
FROM business_profiles b JOIN organizations o ON o.id = b.organization_id;
