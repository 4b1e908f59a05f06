-- Facts about this database itself: schema owner and when demo data was seeded.
CREATE TABLE app_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
