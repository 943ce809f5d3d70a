#!/usr/bin/env python
"""API vs hand-written SQL, in one run on one machine.

Starts the API under gunicorn on loopback in the served configuration (DEBUG
off, persistent database connections), drives it from this process with a
bounded closed-loop load (a fixed number of seconds, capped in requests, at
concurrency 8 and 32, 127.0.0.1 only), and in the same run measures the
hand-written SQL of each page (scripts/bench/queries.py) through psycopg at
the same concurrency. Each (scenario, concurrency) alternates API and SQL
``--repeat`` times; the table shows medians. Prints, per scenario,
requests/s, p50/p99 latency and the API/SQL throughput ratio, the peak RSS
of the gunicorn workers, and writes everything to
bench-results/bench-<timestamp>.json.

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/claims_bench,
created if missing). It is migrated, and filled by ``generate_synthetic`` with
--claims/--articles/--experts/--organizations (default the full size: 1,000,000
claims) if it holds no claims.

--ci: migrate the given database, generate ~10,000 claims, run every scenario
for about a second at low request counts, print the table and exit 0 unless a
request failed or something raised (no timing assertions).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import load, queries  # noqa: E402

HOST = "127.0.0.1"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/claims_bench"
PAGE = 50


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ci", action="store_true", help="Small data, short runs, no timing assertions.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--claims", type=int, default=None, help="Claims to generate if the database is empty.")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--experts", type=int, default=None)
    parser.add_argument("--organizations", type=int, default=None)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=None, help="Length of each measured run (default 6, CI 1).")
    parser.add_argument("--max-requests", type=int, default=None, help="Cap per run (default 20000, CI 300).")
    parser.add_argument("--repeat", type=int, default=None, help="Runs per side and concurrency (default 3, CI 1).")
    parser.add_argument("--concurrency", default="8,32", help="Comma-separated client counts (default 8,32).")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default gunicorn.conf.py).")
    parser.add_argument("--scenarios", default="", help="Comma-separated scenario names to run (default all).")
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="Folder for the JSON results.")
    parser.add_argument("--no-csv", action="store_true", help="Skip the CSV streaming memory step.")
    args = parser.parse_args(argv)
    ci = args.ci
    args.seconds = args.seconds if args.seconds is not None else (1.0 if ci else 6.0)
    args.max_requests = args.max_requests if args.max_requests is not None else (300 if ci else 20000)
    args.repeat = args.repeat if args.repeat is not None else 1 if ci else 3
    sizes = (
        {"claims": 10_000, "articles": 2_000, "experts": 500, "organizations": 100}
        if ci
        else {"claims": 1_000_000, "articles": 200_000, "experts": 20_000, "organizations": 2_000}
    )
    for name, default in sizes.items():
        if getattr(args, name) is None:
            setattr(args, name, default)
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# Database --------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    log(f"created database {name}")


def django_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(40),
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="project.settings",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)


def scalar(url: str, sql: str, params=None):
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


def prepare_data(args, env) -> dict:
    ensure_database(args.database_url)
    log("migrate")
    manage(env, "migrate", "--noinput", "-v0")
    claims = scalar(args.database_url, "SELECT count(*) FROM claims_claim")
    if args.ci or not claims:
        log(f"generate_synthetic: {args.claims} claims, {args.articles} articles, {args.experts} experts")
        manage(
            env,
            "generate_synthetic",
            f"--claims={args.claims}",
            f"--articles={args.articles}",
            f"--experts={args.experts}",
            f"--organizations={args.organizations}",
            f"--seed={args.seed}",
        )
    else:
        log(f"database holds {claims} claims; not generating")
    import psycopg

    # Fresh bulk-loaded tables have no visibility map yet; autovacuum would get there later.
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        for table in ("claims_claim", "claims_alias", "claims_expert", "claims_article", "claims_claim_topics"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    return {
        "claims": scalar(args.database_url, "SELECT count(*) FROM claims_claim"),
        "articles": scalar(args.database_url, "SELECT count(*) FROM claims_article"),
        "experts": scalar(args.database_url, "SELECT count(*) FROM claims_expert"),
    }


# Server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int | None) -> subprocess.Popen:
    env = dict(env)
    # Served configuration: no DEBUG, persistent connections; the anonymous
    # throttle would answer 429 to a load test, so it is lifted here.
    env.setdefault("DJANGO_CONN_MAX_AGE", "600")
    env["API_ANON_RATE"] = "1000000/s"  # a one-second window keeps the history short
    # The lifted throttle still counts every request of the one benchmarking address; in the shared
    # database cache (the served default) that is one row all workers rewrite, so the count is kept
    # per worker here, as it was when these figures were first measured.
    env.setdefault("CACHE_URL", "locmemcache://")
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", f"{HOST}:{port}", "--error-logfile", "-", "--log-level", "warning"]
    if workers:
        command += ["--workers", str(workers)]
    process = subprocess.Popen([*command, "project.wsgi:application"], cwd=ROOT, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            asyncio.run(load.http_get(HOST, port, "/api/topics"))
            return process
        except (OSError, load.HTTPError):
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            pids.append(int(entry))
    return sorted(pids)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RSSMonitor(threading.Thread):
    """Samples the RSS of every gunicorn worker; keeps each one's peak."""

    def __init__(self, master: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.peak: dict[int, float] = {}
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.sample()
            self.stopped.wait(self.interval)

    def sample(self):
        for pid in worker_pids(self.master):
            self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))

    def current(self) -> dict[int, float]:
        return {pid: rss_mb(pid) for pid in worker_pids(self.master)}


# Scenarios ---------------------------------------------------------------------------------------


def get_json(port: int, path: str) -> dict:
    return json.loads(asyncio.run(load.http_get(HOST, port, path)))


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def build_scenarios(args, port: int) -> tuple[list[dict], list[str]]:
    url = args.database_url
    notes = []
    popular = scalar(
        url,
        "SELECT e.id FROM claims_expert e JOIN claims_alias a ON a.expert_id = e.id "
        "WHERE a.match_key LIKE '%%lankov%%' ORDER BY e.id LIMIT 1",
    )
    scenarios = [
        {
            "name": "expert=Lankov",
            "path": "/api/claims?expert=Lankov",
            "sql": queries.EXPERT_CLAIMS_FIRST,
            "params": {"pattern": "%lankov%"},
        },
        {
            "name": "expert=<rare>",
            "path": "/api/claims?expert=Quorrington",
            "sql": queries.EXPERT_CLAIMS_FIRST,
            "params": {"pattern": "%quorrington%"},
        },
    ]
    # The 100th page of Lankov's claims (or the last there is): follow the API's cursors,
    # and give the SQL side the key of the last row of the page before.
    path, page = "/api/claims?expert=Lankov", 1
    while page < 100:
        body = get_json(port, path)
        if not body.get("next"):
            break
        path, page = local_path(body["next"]), page + 1
    if page > 1:
        last = None
        import psycopg

        with psycopg.connect(url) as conn:
            rows = conn.execute(
                queries.EXPERT_CLAIMS_FIRST.replace("LIMIT 51", f"LIMIT {(page - 1) * PAGE}"),
                {"pattern": "%lankov%"},
            ).fetchall()
            last = rows[-1]
            date = conn.execute("SELECT sort_date FROM claims_claim WHERE id = %s", (last[0],)).fetchone()[0]
        api_first = get_json(port, path)["results"][0]["id"]
        sql_params = {"pattern": "%lankov%", "date": date, "id": last[0]}
        with psycopg.connect(url) as conn:
            sql_first = conn.execute(queries.EXPERT_CLAIMS_AFTER, sql_params).fetchone()[0]
        if api_first != sql_first:
            raise RuntimeError(f"page {page}: the API starts at claim {api_first}, the SQL at {sql_first}")
        scenarios.append(
            {
                "name": f"expert=Lankov page {page}",
                "path": path,
                "sql": queries.EXPERT_CLAIMS_AFTER,
                "params": sql_params,
            }
        )
    else:
        notes.append("Lankov has a single page: the deep-page scenario was skipped")
    scenarios += [
        {"name": "no filter", "path": "/api/claims", "sql": queries.ALL_CLAIMS, "params": {}},
        {
            "name": "q=sanctions",
            "path": "/api/claims?q=sanctions",
            "sql": queries.SEARCH_CLAIMS,
            "params": {"q": "sanctions"},
        },
        {
            "name": "experts?name=kim",
            "path": "/api/experts?name=kim",
            "sql": queries.EXPERTS_BY_NAME,
            "params": {"pattern": "%kim%"},
        },
    ]
    track = f"/api/experts/{popular}/track-record"
    try:
        asyncio.run(load.http_get(HOST, port, track))
    except load.HTTPError as exc:
        notes.append(f"track record not measured: {track} answered {str(exc)[len(track) + 6 :][:60]}")
    else:
        if hasattr(queries, "TRACK_RECORD"):
            scenarios.append(
                {"name": "track record", "path": track, "sql": queries.TRACK_RECORD, "params": {"expert": popular}}
            )
        else:
            notes.append("track record: the route exists but no hand-written SQL is defined for it yet")
    # The public pages (HTML), each against the hand-written SQL of what it shows.
    slug = scalar(url, "SELECT slug FROM claims_expert WHERE id = %s", (popular,))
    scenarios += [
        {"name": "page: home", "path": "/", "sql": queries.HOME, "params": {}, "html": True},
        {
            "name": "page: claims q=sanctions",
            "path": "/claims/?q=sanctions",
            "sql": queries.SEARCH_PAGE,
            "params": {"q": "sanctions"},
            "html": True,
        },
        {
            "name": "page: expert Lankov",
            "path": f"/experts/{slug}/",
            "sql": queries.EXPERT_PAGE,
            "params": {"slug": slug},
            "html": True,
        },
    ]
    if args.scenarios:
        wanted = {s.strip() for s in args.scenarios.split(",")}
        scenarios = [s for s in scenarios if s["name"] in wanted or s["name"].split(" page")[0] in wanted]
    return scenarios, notes


# Measuring ---------------------------------------------------------------------------------------


def measure(args, scenarios: list[dict], port: int) -> list[dict]:
    rows = []
    for scenario in scenarios:
        for concurrency in args.concurrency:
            runs = {"api": [], "sql": []}
            for _ in range(args.repeat):
                api = load.http_run(
                    HOST,
                    port,
                    scenario["path"],
                    concurrency=concurrency,
                    seconds=args.seconds,
                    max_requests=args.max_requests,
                    check_json=not scenario.get("html"),
                )
                sql = load.sql_run(
                    args.database_url,
                    scenario["sql"],
                    scenario["params"],
                    concurrency=concurrency,
                    seconds=args.seconds,
                    max_requests=args.max_requests,
                )
                runs["api"].append(api.summary())
                runs["sql"].append(sql.summary())
            row = {"scenario": scenario["name"], "path": scenario["path"], "concurrency": concurrency}
            for side in ("api", "sql"):
                for key in ("rps", "p50_ms", "p99_ms"):
                    row[f"{side}_{key}"] = round(statistics.median(r[key] for r in runs[side]), 2)
                row[f"{side}_errors"] = sum(r["errors"] for r in runs[side])
                row[f"{side}_requests"] = sum(r["requests"] for r in runs[side])
                errors = [r["first_error"] for r in runs[side] if r["first_error"]]
                row[f"{side}_first_error"] = errors[0] if errors else ""
            row["ratio"] = round(row["api_rps"] / row["sql_rps"], 2) if row["sql_rps"] else None
            row["runs"] = runs
            rows.append(row)
            log(
                f"{scenario['name']:<26} c={concurrency:<3} API {row['api_rps']:7.1f}/s p50 {row['api_p50_ms']:6.1f} "
                f"p99 {row['api_p99_ms']:6.1f} | SQL {row['sql_rps']:7.1f}/s p50 {row['sql_p50_ms']:6.1f} "
                f"p99 {row['sql_p99_ms']:6.1f} | ratio {row['ratio']}"
                + (
                    f" | ERRORS api={row['api_errors']} sql={row['sql_errors']}"
                    if row["api_errors"] or row["sql_errors"]
                    else ""
                )
            )
    return rows


def csv_memory(port: int, monitor: RSSMonitor, url: str, ci: bool) -> dict:
    """Stream CSV exports of growing size through one worker; RSS must not grow with rows."""
    total = scalar(url, "SELECT count(*) FROM claims_claim WHERE status = 'approved'")
    targets = [1_000, 10_000] if ci else [10_000, 100_000]
    results = []
    for target in targets:
        if target > total:
            target = total
        # The date from which on about ``target`` approved claims were published.
        day = scalar(
            url,
            "SELECT sort_date FROM claims_claim WHERE status = 'approved' ORDER BY sort_date DESC, id DESC "
            "OFFSET %s LIMIT 1",
            (max(0, target - 1),),
        )
        path = f"/api/claims?format=csv&published_after={day.isoformat()}"
        before = monitor.current()
        started = time.perf_counter()
        body = asyncio.run(load.http_get(HOST, port, path, check_json=False))
        seconds = time.perf_counter() - started
        after = monitor.current()
        rows = body.count(b"\n") - 1
        grown = max((after.get(pid, 0) - before.get(pid, 0) for pid in after), default=0.0)
        results.append(
            {
                "rows": rows,
                "seconds": round(seconds, 2),
                "rows_per_second": round(rows / seconds) if seconds else None,
                "max_worker_rss_mb_after": round(max(after.values(), default=0), 1),
                "max_worker_rss_growth_mb": round(grown, 1),
            }
        )
        log(f"CSV {rows} rows in {seconds:.1f} s; worker RSS now {max(after.values(), default=0):.0f} MB")
    return {"exports": results}


# Report ---------------------------------------------------------------------------------------------


def table(rows: list[dict]) -> str:
    header = (
        f"{'scenario':<26} {'c':>3} | {'API req/s':>9} {'p50 ms':>7} {'p99 ms':>7} | "
        f"{'SQL req/s':>9} {'p50 ms':>7} {'p99 ms':>7} | {'API/SQL':>7}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['scenario']:<26} {r['concurrency']:>3} | {r['api_rps']:>9.1f} {r['api_p50_ms']:>7.1f} "
            f"{r['api_p99_ms']:>7.1f} | {r['sql_rps']:>9.1f} {r['sql_p50_ms']:>7.1f} {r['sql_p99_ms']:>7.1f} | "
            f"{(r['ratio'] if r['ratio'] is not None else float('nan')):>7.2f}"
        )
    return "\n".join(lines)


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # runs the finally blocks: the server is stopped too


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    args = parse_args(argv)
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql"):
        print("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    env = django_env(args.database_url)
    data = prepare_data(args, env)
    log(f"data: {data}")
    port = free_port()
    server = start_server(env, port, args.workers)
    monitor = RSSMonitor(server.pid)
    monitor.start()
    failed = False
    try:
        scenarios, notes = build_scenarios(args, port)
        for note in notes:
            log(note)
        rows = measure(args, scenarios, port)
        csv = None
        if not args.no_csv:
            try:
                csv = csv_memory(port, monitor, args.database_url, args.ci)
            except Exception as exc:  # noqa: BLE001 - reported, and the run fails, after the results are written
                csv = {"error": f"{type(exc).__name__}: {exc}"[:500]}
                log(f"CSV step failed: {csv['error']}")
        monitor.sample()
    finally:
        monitor.stopped.set()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    errors = sum(r["api_errors"] + r["sql_errors"] for r in rows) + (1 if csv and "error" in csv else 0)
    peak = max(monitor.peak.values(), default=0.0)
    print()
    print(table(rows))
    print()
    print(f"gunicorn workers: {len(monitor.peak)}, peak RSS per worker {peak:.0f} MB")
    for note in notes:
        print(f"note: {note}")
    result = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "ci": args.ci,
        "database": urlsplit(args.database_url)._replace(netloc=urlsplit(args.database_url).hostname or "").geturl(),
        "data": data,
        "seconds_per_run": args.seconds,
        "max_requests_per_run": args.max_requests,
        "repeat": args.repeat,
        "cpu_count": os.cpu_count(),
        "gunicorn_workers": len(monitor.peak),
        "worker_peak_rss_mb": {str(pid): round(mb, 1) for pid, mb in monitor.peak.items()},
        "csv": csv,
        "notes": notes,
        "results": rows,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}{'-ci' if args.ci else ''}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"results: {path}")
    if errors:
        for r in rows:
            for side in ("api", "sql"):
                if r[f"{side}_errors"]:
                    print(
                        f"ERROR {r['scenario']} c={r['concurrency']} {side}: {r[f'{side}_first_error']}",
                        file=sys.stderr,
                    )
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
