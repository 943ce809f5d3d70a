from django.db import migrations

from claims.migration_operations import PostgreSQLOnlySQL

# The public search table gains each claim's sort_date (PostgreSQL only; docs/performance.md, "Full-text search"):
# the claims page lists a visitor's search by words newest first, and with the date beside the vector it orders the
# matches of a rarer search (5,000 at most) from this table alone, instead of walking every claim by date.

# The table is refilled (the column is NOT NULL, and its rows then lie in date order); the GIN index is built once,
# after the rows, rather than row by row.
FORWARD = [
    "DROP INDEX claims_public_claim_search_vector;",
    "TRUNCATE claims_public_claim_search;",
    "ALTER TABLE claims_public_claim_search ADD COLUMN sort_date date NOT NULL;",
    # The same rule as migration 0016's, the date kept with the vector.
    """
    CREATE OR REPLACE FUNCTION claims_public_claim_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'approved'
           AND (TG_OP = 'DELETE' OR NEW.status <> 'approved' OR NEW.id <> OLD.id) THEN
            DELETE FROM claims_public_claim_search WHERE id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'approved' THEN
            INSERT INTO claims_public_claim_search (id, text_search, sort_date)
            VALUES (NEW.id, NEW.text_search, NEW.sort_date)
            ON CONFLICT (id) DO UPDATE SET text_search = EXCLUDED.text_search, sort_date = EXCLUDED.sort_date;
        END IF;
        RETURN NULL;
    END
    $$;
    """,
    # An article's new date moves its claims' sort_date (claims.services.articles): that update concerns the table too.
    "DROP TRIGGER claims_public_claim_search_update ON claims_claim;",
    """
    CREATE TRIGGER claims_public_claim_search_update AFTER UPDATE OF status, text, sort_date, id ON claims_claim
    FOR EACH ROW WHEN (
        (OLD.status = 'approved' OR NEW.status = 'approved')
        AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.text IS DISTINCT FROM NEW.text
             OR OLD.sort_date IS DISTINCT FROM NEW.sort_date OR OLD.id <> NEW.id)
    ) EXECUTE FUNCTION claims_public_claim_search_sync();
    """,
    """
    INSERT INTO claims_public_claim_search (id, text_search, sort_date)
    SELECT id, text_search, sort_date FROM claims_claim WHERE status = 'approved' ORDER BY sort_date, id;
    """,
    "CREATE INDEX claims_public_claim_search_vector ON claims_public_claim_search USING gin (text_search);",
]

BACKWARD = [
    "DROP TRIGGER claims_public_claim_search_update ON claims_claim;",
    """
    CREATE TRIGGER claims_public_claim_search_update AFTER UPDATE OF status, text, id ON claims_claim
    FOR EACH ROW WHEN (
        (OLD.status = 'approved' OR NEW.status = 'approved')
        AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.text IS DISTINCT FROM NEW.text OR OLD.id <> NEW.id)
    ) EXECUTE FUNCTION claims_public_claim_search_sync();
    """,
    """
    CREATE OR REPLACE FUNCTION claims_public_claim_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'approved'
           AND (TG_OP = 'DELETE' OR NEW.status <> 'approved' OR NEW.id <> OLD.id) THEN
            DELETE FROM claims_public_claim_search WHERE id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'approved' THEN
            INSERT INTO claims_public_claim_search (id, text_search) VALUES (NEW.id, NEW.text_search)
            ON CONFLICT (id) DO UPDATE SET text_search = EXCLUDED.text_search;
        END IF;
        RETURN NULL;
    END
    $$;
    """,
    "ALTER TABLE claims_public_claim_search DROP COLUMN sort_date;",
]


class Migration(migrations.Migration):
    """Each approved claim's sort_date in the public search table, kept by the same triggers as its vector.

    The claims page lists a visitor's search by words newest first. It walked claims_claim's date index and
    tested each claim's vector until 21 matched: quick for a common word, the whole index for a word that
    matches nothing (0.9-1.6 s at 1,000,000 claims). The page already reads the ids of up to 5,001 matches
    from this table to count them; with the date beside the vector they come newest first, and when there
    are at most 5,000 the page's claims are read by id.
    """

    dependencies = [("claims", "0016_public_claim_search")]

    operations = [PostgreSQLOnlySQL(FORWARD, BACKWARD)]
