"""Recount the track records' stored aggregates from the predictions (after a bulk load or a raw SQL edit)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.services.track_records import track_records_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the stored per-expert (and per-topic) prediction counts the track records and the leaderboard "
        "read. The services keep them current; loaddata, raw SQL or a bulk COPY do not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Recount every expert's aggregates.")

    def handle(self, *args, rebuild: bool, **options):
        if not rebuild:
            raise CommandError("Nothing to do: pass --rebuild to recount every track record.")
        rows = track_records_rebuild()
        self.stdout.write(f"Track records recounted: {rows} aggregate rows.")
