from django.db import migrations

from claims.migration_operations import PostgreSQLOnlySQL

# The table, its index and the triggers that keep it (PostgreSQL only; SQLite searches claims_claim itself).
# claims.selectors.search.PUBLIC_SEARCH_TABLE names the table; docs/performance.md, "Full-text search".
FORWARD = [
    """
    CREATE TABLE claims_public_claim_search (
        id bigint PRIMARY KEY,
        text_search tsvector NOT NULL
    );
    """,
    "CREATE INDEX claims_public_claim_search_vector ON claims_public_claim_search USING gin (text_search);",
    # One function for every row event of claims_claim: a claim is in the table exactly while it is approved,
    # with the vector of its current text (claims_claim.text_search is generated from the text, and an AFTER
    # trigger sees the generated value).
    """
    CREATE FUNCTION claims_public_claim_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
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
    """
    CREATE FUNCTION claims_public_claim_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE claims_public_claim_search;
        RETURN NULL;
    END
    $$;
    """,
    """
    CREATE TRIGGER claims_public_claim_search_insert AFTER INSERT ON claims_claim
    FOR EACH ROW WHEN (NEW.status = 'approved') EXECUTE FUNCTION claims_public_claim_search_sync();
    """,
    # Django's save() writes every column: the WHEN clause skips the rows whose status and text did not change.
    """
    CREATE TRIGGER claims_public_claim_search_update AFTER UPDATE OF status, text, id ON claims_claim
    FOR EACH ROW WHEN (
        (OLD.status = 'approved' OR NEW.status = 'approved')
        AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.text IS DISTINCT FROM NEW.text OR OLD.id <> NEW.id)
    ) EXECUTE FUNCTION claims_public_claim_search_sync();
    """,
    """
    CREATE TRIGGER claims_public_claim_search_delete AFTER DELETE ON claims_claim
    FOR EACH ROW WHEN (OLD.status = 'approved') EXECUTE FUNCTION claims_public_claim_search_sync();
    """,
    """
    CREATE TRIGGER claims_public_claim_search_truncate AFTER TRUNCATE ON claims_claim
    FOR EACH STATEMENT EXECUTE FUNCTION claims_public_claim_search_truncate();
    """,
    # The claims already approved (about 15 s at 1,000,000 claims on a loaded machine, the GIN index included).
    """
    INSERT INTO claims_public_claim_search (id, text_search)
    SELECT id, text_search FROM claims_claim WHERE status = 'approved' ORDER BY id;
    """,
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_public_claim_search_truncate ON claims_claim;",
    "DROP TRIGGER IF EXISTS claims_public_claim_search_delete ON claims_claim;",
    "DROP TRIGGER IF EXISTS claims_public_claim_search_update ON claims_claim;",
    "DROP TRIGGER IF EXISTS claims_public_claim_search_insert ON claims_claim;",
    "DROP FUNCTION IF EXISTS claims_public_claim_search_truncate();",
    "DROP FUNCTION IF EXISTS claims_public_claim_search_sync();",
    "DROP TABLE IF EXISTS claims_public_claim_search;",
]


class Migration(migrations.Migration):
    """The public's full-text search table (PostgreSQL only): approved claims' ids and vectors, nothing else.

    A public search ranks every approved match by ts_rank over its stored vector. On claims_claim the
    matches' vectors are spread over the whole table (rows of ~450 bytes): "sanctions" read 17,613 heap
    blocks for 18,758 approved matches at 1,000,000 claims. This table holds only the approved claims'
    (id, vector), about 200 bytes a row, so the same search reads about 12,700 blocks of a table small
    enough to stay in shared buffers, and no status filter throws rows away. Triggers on claims_claim keep
    it current in the transaction of every write (services, admin, ingestion's bulk inserts, COPY, merges,
    deletes and cascades, TRUNCATE), whoever writes.
    """

    dependencies = [("claims", "0015_topic_removals")]

    operations = [PostgreSQLOnlySQL(FORWARD, BACKWARD)]
