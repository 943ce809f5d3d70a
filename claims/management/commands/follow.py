"""Follow RSS/Atom feeds: ``ingest --feeds`` polls them (--list shows them, --stop stops following)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.models import FollowedFeed
from claims.services.feeds import feed_follow, feed_unfollow


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("feeds", nargs="*", metavar="FEED", help="Feed addresses (http(s)://...).")
        parser.add_argument("--stop", action="store_true", help="Stop following the FEEDs given.")
        parser.add_argument("--list", action="store_true", help="List the followed feeds.")

    def handle(self, *args, **options):
        if not options["feeds"] and not options["list"]:
            raise CommandError("give feed addresses, or --list")
        for url in options["feeds"]:
            if options["stop"]:
                stopped = feed_unfollow(url=url)
                self.stdout.write(f"{'stopped   ' if stopped else 'not followed'} {url}")
                continue
            try:
                _feed, created = feed_follow(url=url)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(f"{'following ' if created else 'already    '} {url}")
        if options["list"]:
            for feed in FollowedFeed.objects.all():
                state = "active" if feed.active else "stopped"
                polled = feed.last_polled_at.isoformat(timespec="seconds") if feed.last_polled_at else "never polled"
                self.stdout.write(f"{state:<8} {feed.url}  ({polled}; {feed.last_result or '-'})")
