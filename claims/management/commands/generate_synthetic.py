"""Fill the database with realistic synthetic data at scale (benchmarks, performance tests)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.services.synthetic import CuratedDataError, SyntheticSpec, synthetic_generate


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic experts, organizations, articles, claims and predictions by bulk insert "
        "(COPY on PostgreSQL). Refuses a database holding curated data unless --force; replaces earlier synthetic data."
    )

    def add_arguments(self, parser):
        defaults = SyntheticSpec()
        parser.add_argument("--experts", type=int, default=defaults.experts)
        parser.add_argument("--organizations", type=int, default=defaults.organizations)
        parser.add_argument("--articles", type=int, default=defaults.articles)
        parser.add_argument("--claims", type=int, default=defaults.claims)
        parser.add_argument("--outlets", type=int, default=defaults.outlets)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--force", action="store_true", help="Add synthetic rows even though the database holds curated data."
        )

    def handle(self, *args, **options):
        for name in ("experts", "organizations", "articles", "claims", "outlets"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["claims"] and (not options["articles"] or not options["experts"]):
            raise CommandError("Claims need at least one article and one expert.")
        spec = SyntheticSpec(
            experts=options["experts"],
            organizations=options["organizations"],
            articles=options["articles"],
            claims=options["claims"],
            outlets=options["outlets"],
            seed=options["seed"],
        )
        verbose = options["verbosity"] > 1
        try:
            result = synthetic_generate(spec=spec, force=options["force"], log=self.stdout.write if verbose else None)
        except CuratedDataError as exc:
            raise CommandError(f"Refusing to generate: {exc}") from None
        summary = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        replaced = " (replaced earlier synthetic data)" if result.replaced else ""
        self.stdout.write(f"Generated {summary} in {result.seconds} s{replaced}.")
