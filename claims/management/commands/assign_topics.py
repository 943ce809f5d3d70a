"""File existing claims under the topics whose cue phrases occur in them (or in their sentence).

    python manage.py assign_topics [--status extracted|approved|rejected] [--article ID] [--dry-run]

What ingestion does for every new claim, for the claims stored before the cues were written or
changed (claims.services.claims.claims_topics_assign). It only adds topics: a topic a curator set
stays, and none is ever removed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims.choices import ReviewStatus
from claims.models import Claim
from claims.services.claims import claims_topics_assign


class Command(BaseCommand):
    help = "Add the topics whose cue phrases occur in existing claims (never removes a topic)."

    def add_arguments(self, parser):
        parser.add_argument("--status", choices=ReviewStatus.values, help="only the claims in this review status")
        parser.add_argument("--article", type=int, metavar="ID", help="only the claims of this article")
        parser.add_argument("--dry-run", action="store_true", help="count what would be added; change nothing")

    def handle(self, *args, **options):
        claims = Claim.objects.all()
        if options["status"]:
            claims = claims.filter(status=options["status"])
        if options["article"] is not None:
            claims = claims.filter(article_id=options["article"])
        counts = claims_topics_assign(claims=claims, dry_run=options["dry_run"])
        verb = "would gain" if options["dry_run"] else "gained"
        self.stdout.write(
            f"{counts['claims']} claims examined; {counts['claims_changed']} {verb} {counts['links']} topic link(s)."
        )
