from django.db import migrations

from claims.migration_operations import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    """Name searches match the aliases' identity keys (romanization folded): the trigram index moves there."""

    dependencies = [("claims", "0008_ingest_jobs")]

    operations = [
        PostgreSQLOnlySQL(
            "CREATE INDEX claims_alias_match_key_trgm ON claims_alias USING gin (match_key gin_trgm_ops);",
            "DROP INDEX IF EXISTS claims_alias_match_key_trgm;",
        ),
        PostgreSQLOnlySQL(
            "DROP INDEX IF EXISTS claims_alias_normalized_trgm;",
            "CREATE INDEX claims_alias_normalized_trgm ON claims_alias USING gin (normalized gin_trgm_ops);",
        ),
    ]
