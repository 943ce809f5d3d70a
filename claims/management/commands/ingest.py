"""Ingest articles: text files, saved web pages, addresses, RSS/Atom feeds and web archives (WARC).

Arguments are files, folders (every file inside, recursively), http(s):// addresses (a page or a
feed) or - for standard input; ``--urls FILE`` adds the addresses listed in FILE (one a line),
``--feeds`` polls the followed feeds (``manage.py follow``; a feed another worker is polling at
that moment is skipped, and said so). Everything goes through ``claims.services.inputs.inputs_ingest``.

With --queue, every file (each file of a folder), standard input and address becomes an ingestion
job sent to the Celery workers (CELERY_BROKER_URL), and --feeds a poll job per followed feed; a
job whose input holds several articles (a web archive, a feed) queues one job per article. Without
a broker the jobs run here, one after the other, through the same entry point.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from claims.choices import IngestInputKind, IngestJobState
from claims.domain.textfiles import read_bounded
from claims.models import IngestJob
from claims.services import ingest_worker
from claims.services.feeds import feeds_poll
from claims.services.ingest_jobs import feed_polls_create, ingest_jobs_create, input_spec
from claims.services.ingestion import IngestResult
from claims.services.inputs import ExplicitMeta, Input, default_fetcher, folder_files, inputs_ingest
from claims.tasks import ingest_jobs_dispatch


def collect(paths: list[str], meta: ExplicitMeta) -> list[Input]:
    """One ``Input`` per argument: an address, standard input (-), or a file or folder."""
    inputs = []
    for raw in paths:
        if raw == "-":
            inputs.append(Input.for_bytes("<stdin>", read_bounded(sys.stdin.buffer), meta))
        elif raw.startswith(("http://", "https://")):
            inputs.append(Input.for_url(raw, meta))
        else:
            inputs.append(Input.for_path(raw, meta))
    return inputs


def read_urls(path: str) -> list[str]:
    """The addresses of a file, one a line; blank lines and lines starting with # are left out."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"--urls {path}: cannot read it ({exc})") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def peak_memory_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="Files, folders, http(s):// addresses (pages or feeds), or - for standard input."
        )
        parser.add_argument("--urls", metavar="FILE", help="A file of addresses, one a line.")
        parser.add_argument("--feeds", action="store_true", help="Poll the followed feeds (manage.py follow).")
        meta = parser.add_argument_group("metadata", "Stated for every input; beats what pages say and guesses.")
        meta.add_argument("--title")
        meta.add_argument("--outlet")
        meta.add_argument("--date", help="2024-11-28, 2024-11 or 2024.")
        meta.add_argument("--url", help="Where the article was published.")
        meta.add_argument("--author", action="append", default=[], help="A byline (repeat for several).")
        meta.add_argument("--language", help="A language code: en, ko, ...")
        parser.add_argument("--json", action="store_true", help="Print the summary (with every result) as JSON.")
        parser.add_argument("--dry-run", action="store_true", help="Extract and check everything, store nothing.")
        parser.add_argument("--workers", type=int, default=1, help="Extraction processes (default 1).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar even on a terminal.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="One job per input (each file of a folder, http(s) URLs, each followed feed with --feeds) for the "
            "Celery workers; without a broker, here. A job is one article: a web archive or a feed becomes one job "
            "per record or entry.",
        )
        parser.add_argument(
            "--wait", type=float, default=0, metavar="SECONDS", help="With --queue: wait this long for the jobs to end."
        )

    def handle(self, *args, **options):
        try:
            meta = ExplicitMeta(
                title=options["title"],
                outlet=options["outlet"],
                date=options["date"],
                url=options["url"],
                authors=tuple(options["author"]),
                language=options["language"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        inputs = collect(options["paths"], meta)
        if options["urls"]:
            inputs += [Input.for_url(url, meta) for url in read_urls(options["urls"])]
        if not inputs and not options["feeds"]:
            raise CommandError("nothing to ingest: give files, folders, addresses, --urls FILE or --feeds")
        if options["queue"]:
            if options["dry_run"] or options["json"] or options["workers"] != 1:
                raise CommandError("--queue takes none of --dry-run, --json, --workers (the workers run the jobs)")
            self._queue(inputs, meta, options)
            return
        workers = max(1, options["workers"])
        started = time.perf_counter()
        results: list[IngestResult] = []
        progress = self._progress(len(inputs), options)
        fetcher = default_fetcher()
        # Texts already stored are answered without extraction: the pipeline loads only if one is new.
        with ingest_worker.Extractor(settings.SPACY_MODEL, workers=workers if len(inputs) > 1 else 1) as extract:
            found = inputs_ingest(inputs=inputs, extract=extract, fetcher=fetcher, dry_run=options["dry_run"])
            if options["feeds"]:
                found = _chain(found, feeds_poll(extract=extract, fetcher=fetcher, dry_run=options["dry_run"]))
            for result in found:
                results.append(result)
                if not options["json"]:
                    self._line(result, progress)
                if progress is not None:
                    progress.update(1)
        if progress is not None:
            progress.close()
        summary = self._summary(results, time.perf_counter() - started, workers, options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps({**summary, "results": [r.as_dict() for r in results]}, indent=2))
        else:
            self.stdout.write(self._summary_text(summary))
        if summary["articles"]["failed"]:
            raise CommandError(f"{summary['articles']['failed']} of {len(results)} inputs failed", returncode=1)

    def _queue(self, inputs: list[Input], meta: ExplicitMeta, options) -> None:
        metadata = {key: value for key, value in dataclasses.asdict(meta).items() if value not in (None, ())}
        specs = []
        for item in inputs:
            if item.url:
                specs.append(input_spec(kind="url", url=item.url, metadata=metadata))
            elif item.path is None:
                text = (item.data or b"").decode("utf-8", "replace")
                specs.append(input_spec(kind="text", label=item.label, text=text, metadata=metadata))
            else:
                path = Path(item.path)
                for file in folder_files(path) if path.is_dir() else [path]:
                    specs.append(
                        input_spec(kind="file", label=str(file), path=os.path.abspath(file), metadata=metadata)
                    )
        with transaction.atomic():
            jobs = ingest_jobs_create(specs=specs)
            if options["feeds"]:
                jobs += feed_polls_create()
            ingest_jobs_dispatch(jobs)
        ids = [job.pk for job in jobs]
        where = "in this process (no broker configured)" if settings.CELERY_TASK_ALWAYS_EAGER else "to the workers"
        span = f"{min(ids)}..{max(ids)}" if ids else "none"
        self.stdout.write(f"Queued {len(ids)} ingestion jobs {where}: ids {span}.")
        if not settings.CELERY_TASK_ALWAYS_EAGER and not options["wait"]:
            return
        deadline = time.monotonic() + options["wait"]
        # The jobs queued here and the ones they expanded into (a web archive's records, a feed's entries).
        family = IngestJob.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
        while _pending(ids):
            if time.monotonic() > deadline:
                raise CommandError(f"jobs still queued or running after {options['wait']} s", returncode=2)
            time.sleep(0.5)
        jobs = list(family.order_by("pk"))
        expanded = {job.parent_id for job in jobs if job.parent_id}
        for job in jobs:
            if job.state == IngestJobState.FAILED:
                self.stdout.write(self.style.ERROR(f"failed     {job.label}: {job.reason}"))
            elif job.pk in expanded or job.kind == IngestInputKind.FEED:
                self.stdout.write(f"{'expanded':<10} {job.label}: {job.reason}")
            else:
                status = "new" if job.created_article else "unchanged"
                self.stdout.write(f"{status:<10} {job.label}: article {job.article_id}")
        articles = [job for job in jobs if job.pk not in expanded and job.kind != IngestInputKind.FEED]
        failed = sum(job.state == IngestJobState.FAILED for job in jobs)
        done = sum(job.state == IngestJobState.DONE for job in articles)
        created = sum(job.created_article for job in jobs)
        self.stdout.write(f"Jobs: {done} done ({created} new articles), {failed} failed.")
        if failed:
            raise CommandError(f"{failed} of {len(jobs)} jobs failed", returncode=1)

    def _progress(self, total, options):
        if total < 2 or options["json"] or options["no_progress"] or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="article", file=sys.stderr, leave=False)

    def _line(self, result: IngestResult, progress) -> None:
        if result.status == "failed":
            line = self.style.ERROR(f"failed     {result.source}: {result.error}")
        elif result.status == "skipped":
            line = self.style.WARNING(f"skipped    {result.source}: {result.error.removeprefix('skipped: ')}")
        elif result.status == "unchanged":
            added = f" (recorded {result.sources_added} more source)" if result.sources_added else ""
            line = f"unchanged  {result.source}: already stored as article {result.article_id}{added}"
        else:
            duplicates = f", {result.possible_duplicates} possible duplicates" if result.possible_duplicates else ""
            line = (
                f"{result.status:<10} {result.source}: {result.title[:60]!r}, {result.claims} claims, "
                f"experts {result.experts_new} new / {result.experts_matched} matched{duplicates}"
            )
        if progress is not None:
            progress.write(line, file=self.stdout)
        else:
            self.stdout.write(line)

    @staticmethod
    def _summary(results, seconds, workers, dry_run) -> dict:
        def count(status):
            return sum(1 for r in results if r.status == status)

        stored = [r for r in results if r.status in ("new", "would-add")]
        articles = len(results) - count("skipped")
        return {
            "dry_run": dry_run,
            "articles": {
                "new": count("new") + count("would-add"),
                "unchanged": count("unchanged"),
                "failed": count("failed"),
            },
            "claims": sum(r.claims for r in stored),
            "experts": {
                "new": sum(r.experts_new for r in stored),
                "matched": sum(r.experts_matched for r in stored),
                "possible_duplicates": sum(r.possible_duplicates for r in stored),
            },
            "seconds": round(seconds, 2),
            "feeds_skipped": count("skipped"),
            "articles_per_second": round(articles / seconds, 2) if seconds else None,
            "workers": workers,
            "peak_memory_mb": peak_memory_mb(),
        }

    @staticmethod
    def _summary_text(s) -> str:
        a, e = s["articles"], s["experts"]
        prefix = "Dry run, nothing stored. " if s["dry_run"] else ""
        if s["feeds_skipped"]:
            prefix += f"Feeds skipped (being polled by another worker, or unfollowed): {s['feeds_skipped']}. "
        return (
            f"{prefix}Articles: {a['new']} new, {a['unchanged']} unchanged, {a['failed']} failed. "
            f"Claims: {s['claims']}. Experts: {e['new']} new, {e['matched']} matched"
            f" ({e['possible_duplicates']} possible duplicates flagged). "
            f"{s['seconds']} s, {s['articles_per_second']} articles/s with {s['workers']} worker(s), "
            f"peak memory {s['peak_memory_mb']} MB."
        )


def _pending(ids: list[int]) -> bool:
    """Whether a job of ``ids``, or one they expanded into, is still queued or running.

    Asked twice a second while the workers run, so it reads only the unfinished jobs (the state index) from the
    first of ``ids`` on (children come after their parent) and matches them here: the cost follows the jobs
    still pending, not the number queued (an ``IN`` list of every id, matched against every row, cost the
    database and this process as much CPU per article as a worker's storing).
    """
    if not ids:
        return False
    wanted = set(ids)
    unfinished = IngestJob.objects.filter(
        state__in=(IngestJobState.QUEUED, IngestJobState.RUNNING), pk__gte=min(ids)
    ).values_list("pk", "parent_id")
    return any(pk in wanted or parent in wanted for pk, parent in unfinished)


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable
