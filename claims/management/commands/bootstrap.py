"""Prepare a local database: migrate, load the curated fixtures, ingest seeds, create the curator account."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from claims.choices import ReviewStatus
from claims.models import Article, Claim, Expert, Prediction
from claims.services.accounts import curator_ensure
from claims.services.track_records import track_records_rebuild


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default="seeds", help="Folder of article texts to ingest (default: seeds).")
        parser.add_argument("--no-seeds", action="store_true", help="Do not ingest the seed folder.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")

        fixtures = sorted(str(p) for d in settings.FIXTURE_DIRS for p in Path(d).glob("*.json"))
        if not Article.objects.exists() and fixtures:
            call_command("loaddata", *fixtures, verbosity=0)
            track_records_rebuild()  # loaddata writes rows, not through the services
            self.stdout.write(f"Loaded fixtures: {', '.join(Path(f).name for f in fixtures)}: {self._holdings()}.")
            self.stdout.write("  (the curated data of the seed articles: the seeds are already in it)")
        else:
            self.stdout.write(f"Fixtures already loaded; the database holds {self._holdings()}.")

        seeds = Path(options["seeds"])
        if not options["no_seeds"] and seeds.is_dir():
            self.stdout.write(
                f"Ingesting {seeds}/: articles already stored (the seeds, from the fixtures) are reported "
                "unchanged and left as they are; only new files add articles."
            )
            call_command("ingest", str(seeds), "--no-progress", stdout=self.stdout, stderr=self.stderr)

        user, password = curator_ensure()
        if password:
            self.stdout.write(self.style.SUCCESS(f"Created the curator account: {user.username} / {password}"))
            self.stdout.write("  (shown once; change it with: python manage.py changepassword curator)")
        else:
            self.stdout.write(f"Curator account: {user.username} (exists; password unchanged).")

        queue = Claim.objects.filter(status=ReviewStatus.EXTRACTED).count()
        self.stdout.write(
            f"Review queue: {queue} claims awaiting review"
            + ("" if queue else " (make demo adds four fictional sample articles to it)")
            + "."
        )

        base = options["base_url"].rstrip("/")
        self.stdout.write("")
        self.stdout.write(f"  API root: {base}/api/")
        self.stdout.write(f"  API docs: {base}/api/docs/")
        self.stdout.write(f"  Admin:    {base}/admin/")
        self.stdout.write(f"  Predictions: {base}/predictions/")

    @staticmethod
    def _holdings() -> str:
        claims = Claim.objects.count()
        approved = Claim.objects.filter(status=ReviewStatus.APPROVED).count()
        return (
            f"{Article.objects.count()} articles, {claims} claims ({approved} approved), "
            f"{Expert.objects.count()} experts, {Prediction.objects.count()} predictions"
        )
