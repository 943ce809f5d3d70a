from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from claims.migration_operations import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    """Trigram indexes for name lookups and GIN full-text indexes (PostgreSQL only)."""

    dependencies = [("claims", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        PostgreSQLOnlySQL(
            "CREATE INDEX claims_alias_normalized_trgm ON claims_alias USING gin (normalized gin_trgm_ops);",
            "DROP INDEX IF EXISTS claims_alias_normalized_trgm;",
        ),
        PostgreSQLOnlySQL(
            "CREATE INDEX claims_organization_name_trgm ON claims_organization USING gin (upper(name) gin_trgm_ops);",
            "DROP INDEX IF EXISTS claims_organization_name_trgm;",
        ),
        PostgreSQLOnlySQL(
            "CREATE INDEX claims_claim_text_fts ON claims_claim USING gin (to_tsvector('english'::regconfig, text));",
            "DROP INDEX IF EXISTS claims_claim_text_fts;",
        ),
        PostgreSQLOnlySQL(
            "CREATE INDEX claims_article_fts ON claims_article USING gin "
            "(to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, '')));",
            "DROP INDEX IF EXISTS claims_article_fts;",
        ),
    ]
