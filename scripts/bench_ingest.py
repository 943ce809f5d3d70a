#!/usr/bin/env python3
"""Benchmark ingestion into an empty PostgreSQL database three ways: in-process, Celery with 1 and 2 workers.

    make bench-ingest                                   # the 840 PolNeAR train texts
    .venv/bin/python scripts/bench_ingest.py --folder seeds --json

Each way starts from a new, migrated database (``--db-name`` on ``--pg``):

  in-process   ``manage.py ingest FOLDER`` (one process: read, extract, store)
  celery-1     a worker with 1 process (``celery -A project worker -c 1``); ``ingest --queue --wait``
  celery-2     the same with 2 worker processes

It prints articles/s (wall time from the command's start to the last job's end), the peak RSS of
every worker process (VmHWM), and the speed-ups; then the CPU one article costs in extraction and
in storing (measured in this process over ``--split`` articles, into another empty database).
The broker is Redis (``--broker``). A benchmark, not a test: nothing is asserted.

While each way runs, a thread samples the database's backends every 50 ms (``pg_stat_activity``, and
``/proc`` when PostgreSQL runs on this machine): PostgreSQL's own CPU per article, and the time its
backends spent waiting, by what they waited for (``Lock/advisory``: the expert-matching locks of
``claims.services.ingestion._serialize_on``; ``IO/WALSync``: commits). CPU per article is the figure
to compare on a loaded machine: wall times there say little.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _psql(pg: str, *commands: str) -> None:
    for command in commands:
        subprocess.run(["psql", pg, "-v", "ON_ERROR_STOP=1", "-q", "-c", command], check=True)


def fresh_database(pg: str, name: str) -> str:
    _psql(pg, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    url = pg.rsplit("/", 1)[0] + f"/{name}"
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment(url), check=True)
    return url


def environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(DJANGO_ENV_FILE="", DJANGO_SECRET_KEY="bench-ingest-only", DATABASE_URL=database_url)
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env.update(extra)
    return env


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def peak_rss_mb(pid: int) -> float | None:
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return round(int(match.group(1)) / 1024, 1) if match else None


class DatabaseSampler:
    """Samples the backends of one database (a thread, its own connection): CPU and what they wait for."""

    def __init__(self, url: str, interval: float = 0.05):
        import threading

        self.url, self.interval = url, interval
        self.cpu: dict[int, float] = {}
        self.waits: dict[str, int] = {}
        self.active = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> DatabaseSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        import psycopg

        query = (
            "SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._stop.wait(self.interval):
                for pid, state, wait_type, wait_event in connection.execute(query).fetchall():
                    if (cpu := _cpu_seconds(pid)) > 0:
                        self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu)
                    if state == "active":
                        self.active += 1
                        if wait_type and wait_type not in ("Client", "Activity"):
                            name = f"{wait_type}/{wait_event}"
                            self.waits[name] = self.waits.get(name, 0) + 1

    def report(self, articles: int) -> dict:
        per = max(1, articles)
        return {
            "pg_cpu_ms_per_article": round(1000 * sum(self.cpu.values()) / per, 1) if self.cpu else None,
            "pg_active_ms_per_article": round(1000 * self.active * self.interval / per, 1),
            "pg_wait_ms_per_article": {
                name: round(1000 * count * self.interval / per, 2)
                for name, count in sorted(self.waits.items(), key=lambda item: -item[1])
            },
        }


def job_counts(url: str) -> dict:
    """Retries the jobs needed (a deadlock, a lock timeout are retried) and the jobs that failed."""
    import psycopg

    with psycopg.connect(url) as connection:
        retries, retried, failed = connection.execute(
            "SELECT coalesce(sum(retries), 0), count(*) FILTER (WHERE retries > 0), "
            "count(*) FILTER (WHERE state = 'failed') FROM claims_ingestjob"
        ).fetchone()
    return {"retries": int(retries), "jobs_retried": retried, "jobs_failed": failed}


def run_in_process(url: str, folder: Path) -> dict:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with DatabaseSampler(url) as database:
        done = subprocess.run(
            [PYTHON, "manage.py", "ingest", "--no-progress", "--json", str(folder)],
            cwd=ROOT,
            env=environment(url),
            capture_output=True,
            text=True,
        )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads(done.stdout[done.stdout.index("{") :])
    articles = sum(summary["articles"].values())
    startup = startup_cpu(url)
    return {
        "way": "in-process",
        "articles": articles,
        "new": summary["articles"]["new"],
        "failed": summary["articles"]["failed"],
        "seconds": round(seconds, 1),
        "articles_per_second": round(articles / seconds, 2),
        "cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        "work_cpu_seconds": round(_rusage_cpu(after) - _rusage_cpu(before) - startup, 2),
        "peak_rss_mb": [summary["peak_memory_mb"]],
        "database": database.report(articles),
    }


def run_celery(url: str, folder: Path, processes: int, broker: str, log_dir: Path, prefetch: int = 1) -> dict:
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = environment(
        url, CELERY_BROKER_URL=broker, CELERY_QUEUE=queue, CELERY_WORKER_PREFETCH_MULTIPLIER=str(prefetch)
    )
    log = log_dir / f"celery-{processes}.log"
    command = [PYTHON, "-m", "celery", "-A", "project", "worker", "-Q", queue, "-c", str(processes)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING", "-n", f"{queue}@%h"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        # Ready when every pool process has loaded the pipeline (worker_process_init): wait for their RSS to settle.
        deadline = time.monotonic() + 120
        while len(children_of(worker.pid)) < processes or any(
            (peak_rss_mb(child) or 0) < 150 for child in children_of(worker.pid)
        ):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        time.sleep(2)
        main_before = _cpu_seconds(worker.pid)
        pool_before = sum(_cpu_seconds(pid) for pid in children_of(worker.pid))  # start-up: spaCy loaded
        command_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        with DatabaseSampler(url) as database:
            done = subprocess.run(
                [PYTHON, "manage.py", "ingest", "--queue", "--wait", "7200", str(folder)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
        seconds = time.perf_counter() - started
        command_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        pool = children_of(worker.pid)
        rss = [peak_rss_mb(pid) for pid in pool]
        cpu = sum(_cpu_seconds(pid) for pid in pool)
        main_cpu = _cpu_seconds(worker.pid) - main_before
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    line = re.search(r"Jobs: (\d+) done \((\d+) new articles\), (\d+) failed", done.stdout)
    finished, new, failed = (int(x) for x in line.groups()) if line else (0, 0, 0)
    return {
        "way": f"celery-{processes}",
        "articles": finished + failed,
        "new": new,
        "failed": failed,
        "seconds": round(seconds, 1),
        "articles_per_second": round((finished + failed) / seconds, 2),
        "cpu_seconds": round(cpu, 1),
        "work_cpu_seconds": round(cpu - pool_before, 2),
        "worker_main_cpu_seconds": round(main_cpu, 2),
        "command_cpu_seconds": round(_rusage_cpu(command_after) - _rusage_cpu(command_before), 2),
        "peak_rss_mb": rss,
        "database": database.report(finished + failed),
        "jobs": job_counts(url),
    }


def _rusage_cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def startup_cpu(url: str) -> float:
    """CPU seconds a command spends before its first article: Django, and loading the spaCy pipeline."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    script = "from django.conf import settings; from claims.services import ingest_worker; "
    script += "ingest_worker.init(settings.SPACY_MODEL)"
    subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=environment(url), check=True)
    return _rusage_cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _rusage_cpu(before)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_split(url: str, folder: Path, count: int) -> dict:
    """CPU per article spent extracting and storing, in this process, for the first ``count`` texts."""
    os.environ.update(environment(url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from claims.domain.textfiles import NotAnArticle, decode_article
    from claims.extraction import extract_article, load_nlp
    from claims.services.ingestion import article_ingest

    nlp = load_nlp(settings.SPACY_MODEL)
    extracting = storing = 0.0
    measured = 0
    for path in sorted(folder.glob("*.txt"))[:count]:
        try:
            text = decode_article(path.read_bytes())
        except NotAnArticle:
            continue
        t0 = time.process_time()
        extraction = extract_article(text, nlp=nlp)
        t1 = time.process_time()
        article_ingest(text=text, source=path.name, extraction=extraction)
        t2 = time.process_time()
        extracting += t1 - t0
        storing += t2 - t1
        measured += 1
    from django.db import connections

    connections.close_all()
    return {
        "articles": measured,
        "extraction_ms": round(1000 * extracting / measured, 1),
        "storing_ms": round(1000 * storing / measured, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", default="/work/shared/data/polnear/train/text")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--db-name", default="claims_bench_ingest")
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--ways", default="in-process,celery-1,celery-2")
    parser.add_argument("--limit", type=int, default=0, help="Only the first N texts of the folder (0: all).")
    parser.add_argument("--split", type=int, default=100, help="Articles for the CPU split (0: skip).")
    parser.add_argument(
        "--prefetch-multiplier", type=int, default=1, help="The workers' CELERY_WORKER_PREFETCH_MULTIPLIER."
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(args.folder).resolve()
    if args.limit:
        subset = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
        for path in sorted(folder.glob("*.txt"))[: args.limit]:
            shutil.copy(path, subset / path.name)
        folder = subset
    log_dir = ROOT / "bench-results"
    log_dir.mkdir(exist_ok=True)
    results = []
    for way in args.ways.split(","):
        url = fresh_database(args.pg, args.db_name)
        if way == "in-process":
            results.append(run_in_process(url, folder))
        else:
            results.append(
                run_celery(url, folder, int(way.split("-")[1]), args.broker, log_dir, args.prefetch_multiplier)
            )
        print(json.dumps(results[-1]), file=sys.stderr)
    rate = {r["way"]: r["articles_per_second"] for r in results}
    speedups = {}
    if "celery-1" in rate and "celery-2" in rate:
        speedups["celery-2 / celery-1"] = round(rate["celery-2"] / rate["celery-1"], 2)
    if "celery-1" in rate and "in-process" in rate:
        speedups["celery-1 / in-process"] = round(rate["celery-1"] / rate["in-process"], 2)
    split = cpu_split(fresh_database(args.pg, args.db_name), folder, args.split) if args.split else None
    _psql(args.pg, f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
    if args.limit:
        shutil.rmtree(folder)
    label = f"{args.folder} (first {args.limit})" if args.limit else str(folder)
    report = {"folder": label, "cpus": os.cpu_count(), "results": results, "speedups": speedups, "split": split}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['folder']} on {os.cpu_count()} CPUs (load average at the end: {os.getloadavg()[0]:.1f})")
    print(f"{'way':<12}{'articles':>9}{'failed':>8}{'seconds':>9}{'art/s':>8}{'CPU s':>8}  peak RSS per process (MB)")
    for r in results:
        print(
            f"{r['way']:<12}{r['articles']:>9}{r['failed']:>8}{r['seconds']:>9}{r['articles_per_second']:>8}"
            f"{r['cpu_seconds']:>8}  {r['peak_rss_mb']}"
        )
    print("CPU per article (start-up and the spaCy load left out), ms:")
    for r in results:
        db, n = r["database"], max(1, r["articles"])
        parts = {"command" if r["way"] == "in-process" else "pool": r["work_cpu_seconds"]}
        if "worker_main_cpu_seconds" in r:
            parts |= {"worker main": r["worker_main_cpu_seconds"], "ingest --queue": r["command_cpu_seconds"]}
        cpu = ", ".join(f"{name} {round(1000 * value / n, 1)}" for name, value in parts.items())
        waits = ", ".join(f"{name} {ms}" for name, ms in list(db["pg_wait_ms_per_article"].items())[:4]) or "none"
        print(
            f"  {r['way']:<12}{cpu}, PostgreSQL {db['pg_cpu_ms_per_article']} ({db['pg_active_ms_per_article']} "
            f"active); PostgreSQL waits: {waits}" + (f"; jobs {r['jobs']}" if "jobs" in r else "")
        )
    for name, value in speedups.items():
        print(f"speed-up {name}: {value}x")
    if split:
        print(
            f"CPU per article over {split['articles']} articles: extraction {split['extraction_ms']} ms, "
            f"storing {split['storing_ms']} ms"
        )


if __name__ == "__main__":
    main()
