"""The database cache table: the API throttle's counters, shared by every worker (no-op for other caches)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_claim_stored_search_vector")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
