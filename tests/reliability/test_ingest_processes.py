"""Ingestion across processes: a killed batch leaves no half-written article and a rerun completes
it; two processes ingesting the same folder at once create each article exactly once.

These run `manage.py ingest` as real subprocesses against a database of their
own (a SQLite file, or a fresh PostgreSQL database when the suite runs there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

pytestmark = pytest.mark.slow


@pytest.fixture
def database_url(tmp_path):
    """A migrated database outside the test transaction."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        url = f"sqlite:///{tmp_path / 'ingest.sqlite3'}"
        drop = None
    else:
        name = f"ingest_{uuid.uuid4().hex[:10]}"
        params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
        with psycopg.connect(dbname="postgres", autocommit=True, password=db["PASSWORD"] or None, **params) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"

        def drop():
            with psycopg.connect(dbname="postgres", autocommit=True, password=db["PASSWORD"] or None, **params) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    manage("migrate", "-v0", url=url).check_returncode()
    yield url
    if drop:
        drop()


def env_for(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REQUIRE_POSTGRES")}
    env.update({"DATABASE_URL": url, "DJANGO_SECRET_KEY": "x" * 50, "PYTHONUNBUFFERED": "1"})
    return env


def manage(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(url), capture_output=True, text=True, timeout=600
    )


def start(*args: str, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def state(url: str) -> dict[str, tuple[int, int]]:
    """content hash -> (claims, predictions) for every stored article."""
    code = (
        "import json; from django.db.models import Count; from claims.models import Article; "
        "print(json.dumps({a.content_hash: [a.n, a.p] for a in Article.objects.annotate("
        "n=Count('claims', distinct=True), p=Count('claims__prediction', distinct=True))}))"
    )
    result = manage("shell", "-c", code, url=url)
    assert result.returncode == 0, result.stderr
    import json

    return {k: tuple(v) for k, v in json.loads(result.stdout.strip().splitlines()[-1]).items()}


@pytest.fixture
def many_articles(tmp_path) -> Path:
    """Thirty distinct articles made from the seeds (a different closing line each)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(30):
        seed = SEEDS[i % len(SEEDS)]
        text = (
            seed.read_text(encoding="utf-8").rstrip() + f"\n\nCorrection {i}: an earlier version misspelled a name.\n"
        )
        (folder / f"{i:02d}_{seed.name}").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.django_db
def test_a_killed_batch_leaves_no_half_written_article_and_a_rerun_completes_it(database_url, many_articles, tmp_path):
    process = start("ingest", str(many_articles), "--no-progress", url=database_url)
    lines = 0
    deadline = time.monotonic() + 120
    while lines < 5 and time.monotonic() < deadline:  # let a few articles land, then kill mid-batch
        if process.stdout.readline().startswith("new"):
            lines += 1
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    killed = state(database_url)
    assert 5 <= len(killed) < 30

    rerun = manage("ingest", str(many_articles), "--no-progress", url=database_url)
    assert rerun.returncode == 0, rerun.stderr
    assert "unchanged, 0 failed" in rerun.stdout
    completed = state(database_url)
    assert len(completed) == 30
    # What survived the kill is whole: a clean run into an empty database stores the same.
    reference_url = f"sqlite:///{tmp_path / 'reference.sqlite3'}"
    manage("migrate", "-v0", url=reference_url).check_returncode()
    assert manage("ingest", str(many_articles), "--no-progress", url=reference_url).returncode == 0
    reference = state(reference_url)
    assert completed == reference
    assert all(killed[h] == reference[h] for h in killed)


@pytest.mark.django_db
def test_two_processes_ingesting_one_folder_create_each_article_once(database_url, many_articles):
    first = start("ingest", str(many_articles), "--no-progress", "--json", url=database_url)
    second = start("ingest", str(many_articles), "--no-progress", "--json", url=database_url)
    outputs = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, [o[1][-2000:] for o in outputs]
    import json

    summaries = [json.loads(out) for out, _ in outputs]
    new = [s["articles"]["new"] for s in summaries]
    unchanged = [s["articles"]["unchanged"] for s in summaries]
    assert sum(new) == 30 and sum(unchanged) == 30, summaries
    stored = state(database_url)
    assert len(stored) == 30
    # ... and each person once: the processes took turns resolving names.
    code = (
        "from django.db.models import Count; from claims.models import Expert; "
        "print(Expert.objects.values('name').annotate(n=Count('id')).filter(n__gt=1).count())"
    )
    assert manage("shell", "-c", code, url=database_url).stdout.strip().splitlines()[-1] == "0"
