#!/usr/bin/env python
"""Where an API request's CPU goes: the per-component split, per scenario, independent of the machine's load.

Calls the WSGI application in this process (no HTTP, no server) ``--requests`` times per scenario against
DATABASE_URL (default the benchmark database, claims_bench) in the served configuration (DEBUG off,
persistent connections, prepared statements), after a warm-up, and prints per request:

- the total CPU time of the application (``time.thread_time``, uninstrumented run);
- the same run instrumented: each component's *exclusive* CPU time (its own code, not what it calls
  that belongs to another component), measured by wrapping the entry points of each component with a
  timer stack (a few hundred nanoseconds per wrapped call);
- with ``--server`` (not with ``--instructions``), the CPU a gunicorn worker (gunicorn.conf.py, one
  worker; ``--worker-class gthread`` to compare) spends per request over HTTP on loopback
  (``/proc/<pid>/stat`` user + system time over the requests), so that the WSGI server's own share is
  the difference from the in-process total.

CPU time counts only what this process computes, so the figures hold on a loaded machine; the wall
time of the SQL (waiting on PostgreSQL) is shown beside it for information only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claims_bench .venv/bin/python scripts/profile_request.py
    make profile PROFILE_ARGS="--requests 500 --server"

``--cache-url`` picks where the throttle counts (default ``locmemcache://``, as ``make bench``;
``redis://127.0.0.1:6379/1`` or ``db`` for the database cache table, the served default).
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/claims_bench"
SCENARIOS = {
    "no filter": "/api/claims",
    "expert=Lankov": "/api/claims?expert=Lankov",
    "experts?name=kim": "/api/experts?name=kim",
}
# Measured only when named in --scenarios (the benchmark's other scenarios; expert 1 is Andrei Lankov, the most
# quoted). Pages are asked for as the benchmark asks (Accept: */*).
MORE_SCENARIOS = {
    "q=sanctions": "/api/claims?q=sanctions",
    "track record": "/api/experts/1/track-record",
    "page: home": "/",
    "page: claims q=sanctions": "/claims/?q=sanctions",
    "page: expert Lankov": "/experts/andrei-lankov/",
}

# Components in the order they are printed; the keys are what the timers record.
COMPONENTS = [
    ("wsgi", "WSGI handler, request/response objects, signals"),
    ("fast path", "fast path: its checks (claims.api.fastpath)"),
    ("routing", "URL resolving"),
    ("middleware", "middleware (all, own code)"),
    ("drf", "DRF dispatch, view, Request wrapper"),
    ("authentication", "authentication"),
    ("permissions", "permissions"),
    ("throttling", "throttling (own code)"),
    ("sql:throttling", "throttling: cache queries"),
    ("negotiation", "content negotiation"),
    ("filters", "filter validation, FilterSet, queryset"),
    ("pagination", "pagination (keys, cursors, links)"),
    ("orm", "ORM: SQL compiling, row iteration"),
    ("sql", "SQL + psycopg (execute, fetch)"),
    ("shaping", "row shaping (selector, records)"),
    ("json", "JSON rendering"),
    ("response", "response (finalize, headers, render)"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--cache-url", default="locmemcache://", help="Throttle cache; 'db' for the database table.")
    parser.add_argument("--requests", type=int, default=300, help="Measured requests per scenario.")
    parser.add_argument("--warmup", type=int, default=30, help="Unmeasured requests first (statements get prepared).")
    parser.add_argument("--scenarios", default="", help="Comma-separated scenario names (default all).")
    parser.add_argument("--server", action="store_true", help="Also measure a gunicorn worker's CPU per request.")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class for --server (default the config's).")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="Instead: count the application's instructions per request under valgrind (callgrind); slow, exact.",
    )
    parser.add_argument("--callgrind-child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--detail", action="store_true", help="Also print each middleware's own CPU.")
    parser.add_argument(
        "--django-path",
        action="store_true",
        help="Call Django's WSGI handler alone, without the fast path of the hot list reads (claims.api.fastpath).",
    )
    return parser.parse_args(argv)


def configure(args) -> None:
    # WhiteNoise warns when collectstatic has not run; the API does not serve static files.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")
    os.environ["API_ANON_RATE"] = "1000000/s"
    if args.cache_url == "db":
        os.environ.pop("CACHE_URL", None)
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["CACHE_URL"] = args.cache_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    sys.path.insert(0, str(ROOT))


# Timers --------------------------------------------------------------------------------------------


class Timers:
    """Exclusive CPU (and wall) time per component: the component on top of the stack is charged."""

    def __init__(self):
        self.cpu = defaultdict(int)
        self.wall = defaultdict(int)
        self.stack = ["wsgi"]
        self.mark_cpu = time.thread_time_ns()
        self.mark_wall = time.perf_counter_ns()

    def _charge(self):
        cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
        top = self.stack[-1]
        self.cpu[top] += cpu - self.mark_cpu
        self.wall[top] += wall - self.mark_wall
        self.mark_cpu, self.mark_wall = cpu, wall

    def push(self, name: str):
        self._charge()
        if name == "sql" and self.stack[-1] in ("throttling", "sql:throttling"):
            name = "sql:throttling"
        self.stack.append(name)

    def pop(self):
        self._charge()
        self.stack.pop()

    def reset(self):
        self.cpu.clear()
        self.wall.clear()
        self.stack = ["wsgi"]
        self.mark_cpu, self.mark_wall = time.thread_time_ns(), time.perf_counter_ns()


TIMERS = Timers()


def timed(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        TIMERS.push(name)
        try:
            return function(*args, **kwargs)
        finally:
            TIMERS.pop()

    wrapper.__profile_wrapped__ = True
    return wrapper


def wrap(owner, attribute: str, name: str) -> None:
    function = owner.__dict__.get(attribute) if isinstance(owner, type) else getattr(owner, attribute, None)
    if function is None:
        function = getattr(owner, attribute, None)
    if function is None or getattr(function, "__profile_wrapped__", False):
        return
    if isinstance(function, (staticmethod, classmethod)):
        kind = type(function)
        setattr(owner, attribute, kind(timed(name, function.__func__)))
    else:
        setattr(owner, attribute, timed(name, function))


def timed_factory(make, name: str, get_response):
    return timed(name, make(get_response))


def instrument() -> None:
    """Wrap each component's entry points (before the WSGI handler loads its middleware)."""
    import psycopg
    from django.conf import settings
    from django.core.handlers.base import BaseHandler
    from django.db.backends.utils import CursorWrapper
    from django.db.models import query
    from django.db.models.sql.compiler import SQLCompiler
    from django.template.response import SimpleTemplateResponse
    from django.urls.resolvers import URLResolver
    from django.utils.module_loading import import_string
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request
    from rest_framework.views import APIView

    from claims.api.fastpath import FastListReads
    from claims.api.pagination import KeysetPagination
    from claims.api.renderers import FastJSONRenderer
    from claims.api.serializers.representations import ShapeRepresentation
    from claims.api.throttling import AnonRateThrottle
    from claims.api.views.base import BulkListMixin
    from claims.selectors import claims as claim_selectors
    from claims.selectors import people as people_selectors

    wrap(BaseHandler, "get_response", "wsgi")
    wrap(BaseHandler, "_get_response", "wsgi")
    wrap(URLResolver, "resolve", "routing")
    for path in settings.MIDDLEWARE:
        middleware = import_string(path)
        name = f"middleware:{middleware.__name__}"
        if not isinstance(middleware, type):  # a function middleware: time the function it returns
            module, _, attribute = path.rpartition(".")
            factory = functools.partial(
                lambda make, name, get_response: timed(name, make(get_response)), middleware, name
            )
            setattr(sys.modules[module], attribute, factory)
            continue
        for method in ("__call__", "process_request", "process_view", "process_response", "process_exception"):
            if hasattr(middleware, method):
                wrap(middleware, method, name)
    wrap(APIView, "dispatch", "drf")
    wrap(APIView, "initialize_request", "drf")
    wrap(APIView, "perform_authentication", "authentication")
    wrap(APIView, "check_permissions", "permissions")
    wrap(APIView, "check_throttles", "throttling")
    wrap(DefaultContentNegotiation, "select_renderer", "negotiation")
    wrap(APIView, "perform_content_negotiation", "negotiation")
    for path in settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]:
        wrap(import_string(path), "filter_queryset", "filters")
    for method in ("paginate_keys", "plan_keys", "paginate_planned", "get_paginated_response"):
        wrap(KeysetPagination, method, "pagination")
    # The fast path (claims.api.fastpath): its own checks, and the throttle it calls without DRF's check_throttles.
    for method in ("_candidate", "_gate"):
        wrap(FastListReads, method, "fast path")
    wrap(AnonRateThrottle, "allow_request", "throttling")
    wrap(APIView, "finalize_response", "response")
    wrap(SimpleTemplateResponse, "render", "response")
    wrap(FastJSONRenderer, "render", "json")
    wrap(BulkListMixin, "bulk_rows", "shaping")
    wrap(BulkListMixin, "bulk_representation", "shaping")
    wrap(BulkListMixin, "json_records", "shaping")
    wrap(ShapeRepresentation, "many", "shaping")
    wrap(SQLCompiler, "as_sql", "orm")
    wrap(SQLCompiler, "results_iter", "orm")
    wrap(query.QuerySet, "_fetch_all", "orm")
    wrap(SQLCompiler, "execute_sql", "sql")
    wrap(CursorWrapper, "execute", "sql")
    for method in ("execute", "fetchall", "fetchmany", "fetchone"):
        wrap(psycopg.Cursor, method, "sql")
    # Request.user is a property: authentication runs when a view first reads it.
    user = Request.__dict__["user"]
    Request.user = property(timed("authentication", user.fget), user.fset)
    del claim_selectors, people_selectors


# Driving the application ---------------------------------------------------------------------------


def environ_for(path: str) -> dict:
    route, _, query_string = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": route,
        "QUERY_STRING": query_string,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json" if path.startswith("/api/") else "*/*",
        "HTTP_CONNECTION": "close",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(application, path: str) -> bytes:
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    result = application(environ_for(path), start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if not status[0].startswith("200"):
        raise RuntimeError(f"GET {path}: {status[0]} {body[:300]!r}")
    return body


def per_request_cpu(application, path: str, requests: int) -> tuple[float, list[float]]:
    """Mean CPU ms per request and the per-request samples."""
    samples = []
    for _ in range(requests):
        started = time.thread_time_ns()
        call(application, path)
        samples.append((time.thread_time_ns() - started) / 1e6)
    return statistics.fmean(samples), samples


# The WSGI server -------------------------------------------------------------------------------------


def worker_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gunicorn_command(port: int, worker_class: str) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--log-level", "warning", "--timeout", "600"]
    if worker_class:
        command += ["--worker-class", worker_class]
    return [*command, "project.wsgi:application"]


def start_worker(command: list[str]) -> tuple[subprocess.Popen, int, int]:
    """(gunicorn master, its one worker's pid, the port) once the worker answers."""
    port = int(command[command.index("--bind") + 1].rsplit(":", 1)[1])
    process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ))
    deadline = time.time() + 600
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            http_get(port, "/api/topics")
        except OSError:
            time.sleep(0.5)
            continue
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        if children:
            return process, int(children[0]), port
    process.terminate()
    raise RuntimeError("gunicorn did not answer in time")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_cpu(paths: dict[str, str], requests: int, warmup: int, worker_class: str = "") -> dict[str, float]:
    """CPU ms per request of one gunicorn worker (gunicorn.conf.py), over fresh loopback connections."""
    process, worker, port = start_worker(gunicorn_command(free_port(), worker_class))
    try:
        results = {}
        for name, path in paths.items():
            for _ in range(warmup):
                http_get(port, path)
            before = worker_cpu_seconds(worker)
            for _ in range(requests):
                http_get(port, path)
            results[name] = (worker_cpu_seconds(worker) - before) * 1000 / requests
        return results
    finally:
        process.terminate()
        process.wait(30)


def http_get(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\n\r\n".encode()
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    if not data.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET {path}: {data[:200]!r}")
    return data


# Instruction counts ----------------------------------------------------------------------------------


def callgrind_control(*options: str) -> None:
    subprocess.run(["callgrind_control", *options, str(os.getpid())], check=True, capture_output=True)


def make_application(args):
    """The application as project/wsgi.py serves it (the fast path in front of Django), or Django's alone."""
    from django.core.handlers.wsgi import WSGIHandler

    from claims.api.fastpath import FastListReads

    return WSGIHandler() if args.django_path else FastListReads(WSGIHandler())


def callgrind_child(args, paths: dict[str, str]) -> None:
    """Run under valgrind: per scenario, dump the instructions of an empty phase and of ``--requests`` requests."""
    application = make_application(args)
    for index, path in enumerate(paths.values()):
        for _ in range(args.warmup):
            call(application, path)
        for phase, count in (("empty", 0), ("requests", args.requests)):
            callgrind_control("--zero")
            callgrind_control("--instr=on")
            for _ in range(count):
                call(application, path)
            callgrind_control("--instr=off")
            callgrind_control(f"--dump={index}:{phase}")


def read_dumps(folder: Path) -> dict[str, int]:
    """{"<scenario index>:<phase>": instructions} from the callgrind dumps in ``folder``."""
    import re

    counts = {}
    for dump in folder.glob("c*"):
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: dump (\S+)$", text, re.MULTILINE)
        total = re.search(r"^totals: (\d+)$", text, re.MULTILINE)
        if label and total:
            counts[label.group(1)] = int(total.group(1))
    return counts


def per_request(counts: dict[str, int], paths: dict[str, str], requests: int) -> dict[str, float]:
    return {
        name: (counts[f"{i}:requests"] - counts[f"{i}:empty"]) / requests
        for i, name in enumerate(paths)
        if f"{i}:requests" in counts and f"{i}:empty" in counts
    }


def instructions(args, paths: dict[str, str]) -> dict[str, float]:
    """Instructions per request of each scenario, in-process (no server), counted by callgrind."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]
        command += [sys.executable, __file__, "--callgrind-child", "1", "--requests", str(args.requests)]
        command += ["--warmup", str(args.warmup), "--database-url", args.database_url, "--cache-url", args.cache_url]
        command += ["--scenarios", ",".join(paths)]
        if args.django_path:
            command.append("--django-path")
        done = subprocess.run(command, env=dict(os.environ), capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"valgrind run failed:\n{done.stderr[-3000:]}")
        return per_request(read_dumps(Path(folder)), paths, args.requests)


# Main --------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    configure(args)
    import django

    django.setup()

    paths = dict(SCENARIOS)
    if args.scenarios:
        wanted = {name.strip() for name in args.scenarios.split(",")}
        paths = {name: path for name, path in {**SCENARIOS, **MORE_SCENARIOS}.items() if name in wanted}

    if args.callgrind_child:
        callgrind_child(args, paths)
        return 0
    if args.instructions:
        counts = instructions(args, paths)
        print(f"Instructions per request, millions (callgrind, in-process, {args.requests} requests):")
        print("| scenario | instructions |")
        print("| --- | ---: |")
        for name, value in counts.items():
            print(f"| {name} | {value / 1e6:.2f} M |")
        return 0

    plain = make_application(args)
    totals = {}
    for name, path in paths.items():
        for _ in range(args.warmup):
            call(plain, path)
        totals[name] = per_request_cpu(plain, path, args.requests)

    instrument()
    handler = make_application(args)
    splits = {}
    for name, path in paths.items():
        for _ in range(args.warmup):
            call(handler, path)
        TIMERS.reset()
        for _ in range(args.requests):
            call(handler, path)
        TIMERS._charge()
        splits[name] = (
            {key: value / 1e6 / args.requests for key, value in TIMERS.cpu.items()},
            {key: value / 1e6 / args.requests for key, value in TIMERS.wall.items()},
        )

    server = server_cpu(paths, args.requests, args.warmup, args.worker_class) if args.server else {}

    cache = args.cache_url if args.cache_url != "db" else "database cache table"
    print(f"CPU ms per request, {args.requests} requests per scenario after {args.warmup} warm-up; throttle: {cache}")
    names = list(paths)
    print(f"| component | {' | '.join(names)} |")
    print("| --- |" + " ---: |" * len(names))
    rows = []
    for key, label in COMPONENTS:
        if key == "middleware":
            values = [sum(v for k, v in splits[n][0].items() if k.startswith("middleware:")) for n in names]
        else:
            values = [splits[n][0].get(key, 0.0) for n in names]
        rows.append((label, values))
        if key == "middleware" and args.detail:
            for middleware in sorted({k for n in names for k in splits[n][0] if k.startswith("middleware:")}):
                rows.append((f"  {middleware.split(':', 1)[1]}", [splits[n][0].get(middleware, 0.0) for n in names]))
    for label, values in rows:
        print(f"| {label} | " + " | ".join(f"{value:.3f}" for value in values) + " |")
    instrumented = [sum(splits[n][0].values()) for n in names]
    print("| **sum, instrumented** | " + " | ".join(f"{value:.3f}" for value in instrumented) + " |")
    print("| **application, uninstrumented** | " + " | ".join(f"**{totals[n][0]:.3f}**" for n in names) + " |")
    if server:
        print("| gunicorn worker, whole request | " + " | ".join(f"{server[n]:.3f}" for n in names) + " |")
        print(
            "| WSGI server (worker minus application) | "
            + " | ".join(f"{server[n] - totals[n][0]:.3f}" for n in names)
            + " |"
        )
    print()
    print("Wall ms per request waiting in SQL + psycopg (load-dependent, for information): ")
    print("  " + ", ".join(f"{n}: {splits[n][1].get('sql', 0.0):.3f}" for n in names))
    print("Median / p90 application CPU ms: ")
    print(
        "  "
        + ", ".join(
            f"{n}: {statistics.median(totals[n][1]):.3f} / {statistics.quantiles(totals[n][1], n=10)[-1]:.3f}"
            for n in names
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
