from django.db import migrations

from claims.migration_operations import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    """An index for what anonymous clients read most: an expert's approved claims, newest first (PostgreSQL only).

    Partial on status = 'approved', so a page of an expert's claims reads 51
    entries and no row of another status, and the number of an expert's
    approved claims is an index-only count. Built CONCURRENTLY: writes go on
    while it builds on a large table.
    """

    atomic = False

    dependencies = [("claims", "0003_curators_group")]

    operations = [
        PostgreSQLOnlySQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_claim_approved_expert_date ON claims_claim "
            "(expert_id, sort_date DESC, id DESC) WHERE status = 'approved';",
            "DROP INDEX CONCURRENTLY IF EXISTS claims_claim_approved_expert_date;",
        ),
    ]
