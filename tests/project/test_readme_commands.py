"""The first five minutes: in a fresh copy of the project, `make bootstrap` (what `make run` does before serving)
writes a `.env` once, and then every `.venv/bin/python manage.py ...` command the README shows works in a plain
shell, with nothing exported."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMAND = re.compile(r"(?:TOKEN=\$\()?\.venv/bin/python manage\.py [a-z_]+[^`\n#]*")

# The commands run in a plain shell, where the project's default database is SQLite whatever the suite's is: the
# run of the suite on SQLite covers them, and the run on PostgreSQL would repeat the same minute and a half.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the README's commands run on SQLite in a plain shell: covered by the suite's SQLite run",
    ),
]


def readme_commands() -> list[str]:
    found = [m.group(0).strip() for m in COMMAND.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]
    return list(dict.fromkeys(found))


def fresh_copy(target: Path) -> Path:
    """The project's files as a clone would have them (tracked and new, not ignored), with the shared .venv."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if name == ".venv" or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix))
    return target


def plain_env() -> dict[str, str]:
    """A shell that exported nothing of ours."""
    drop = ("DJANGO_", "DATABASE_", "CACHE_URL", "REDIS_URL", "CELERY_", "REQUIRE_", "REPLICA_", "PYTEST")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def run(command: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=kwargs.pop("env", plain_env()),
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,  # no controlling terminal: changepassword reads its input from stdin
        **kwargs,
    )


class SiteServer:
    """``python -m http.server`` over a folder, on a free port of 127.0.0.1, for the README's address examples."""

    def __init__(self, folder: Path):
        import functools
        import threading
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_the_readme_commands_work_after_bootstrap(tmp_path):
    commands = readme_commands()
    assert any("drf_create_token" in c for c in commands) and any("changepassword" in c for c in commands)
    project = fresh_copy(tmp_path / "clone")
    make = "make -o install -o .venv/.installed"  # the shared .venv is already installed

    assert run(f"{make} .env", project).returncode == 0
    written = (project / ".env").read_text()
    assert re.search(r"^DJANGO_SECRET_KEY=[\w-]{40,}$", written, re.M) and "DJANGO_DEBUG=1" in written
    assert run(f"{make} .env", project).returncode == 0
    assert (project / ".env").read_text() == written, ".env must never be overwritten"

    boot = run(f"{make} bootstrap PORT=8010", project)
    assert boot.returncode == 0, boot.stdout + boot.stderr
    assert "http://127.0.0.1:8010/api/" in boot.stdout and ":8000" not in boot.stdout
    assert re.search(r"Loaded fixtures: curated\.json: 5 articles, \d+ claims", boot.stdout)
    assert "the seeds are already in it" in boot.stdout

    for folder in ("articles", "new"):  # the example folders the README names
        (project / folder).mkdir()
        shutil.copy(project / "samples" / "sample_01_rail_link.txt", project / folder)
    empty = project / "empty.sqlite3"
    # The README serves samples/web/site on 127.0.0.1:8001 with Python's web server; here on a free port.
    site = SiteServer(project / "samples" / "web" / "site")
    commands = [c.replace("127.0.0.1:8001", f"127.0.0.1:{site.port}") for c in commands]
    with site:
        run_all(commands, project, empty)


def run_all(commands: list[str], project: Path, empty: Path) -> None:
    for command in commands:
        env = plain_env()
        if " import " in command:
            # "into a database holding no claims data": a freshly migrated one.
            env["DATABASE_URL"] = f"sqlite:///{empty}"
            assert run(".venv/bin/python manage.py migrate -v 0", project, env=env).returncode == 0
        if command.startswith("TOKEN="):
            command += '; echo "token=$TOKEN"'
        done = run(command, project, env=env, input="A-new-passw0rd-for-tests\nA-new-passw0rd-for-tests\n")
        assert "ImproperlyConfigured" not in done.stderr, command
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        if command.startswith("TOKEN="):
            assert re.search(r"^token=[0-9a-f]{40}$", done.stdout, re.M), done.stdout
        elif "drf_create_token" in command:
            assert re.search(r"Generated token [0-9a-f]{40} for user curator", done.stdout), done.stdout


def readme_examples() -> str:
    """The README's shell block of API examples (the one that calls curl against `make run`)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    (examples,) = [block for block in blocks if "curl " in block]
    return examples


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_demo_and_the_readme_api_examples_work(tmp_path):
    """`make demo` fills the review queue in a fresh copy; the README's curl examples, run as written (with curl
    failing on an error status), work against the server `make run` starts, on another port."""
    import time
    import urllib.request

    project = fresh_copy(tmp_path / "clone")
    port = free_port()
    make = "make -o install -o .venv/.installed"
    demo = run(f"{make} demo PORT={port}", project)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Articles: 4 new, 0 unchanged, 0 failed" in demo.stdout
    assert f"http://127.0.0.1:{port}/admin/claims/claim/?status__exact=extracted" in demo.stdout
    server = subprocess.Popen(
        [".venv/bin/python", "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=project,
        env=plain_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        script = readme_examples().replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace("curl ", "curl -fsS ")
        done = run("set -euo pipefail\n" + script, project)
        assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
        assert '"status":"approved"' in done.stdout  # the last example approves claim 1
        exported = (project / "kinu-claims.csv").read_text(encoding="utf-8").splitlines()
        assert exported[0].startswith("id,url,") and exported[-1].startswith("# end of export: ")
        queue = run(
            next(line for line in script.splitlines() if line.startswith("TOKEN=")) + "\n"
            f'curl -fsS -H "Authorization: Token $TOKEN" "http://127.0.0.1:{port}/api/claims?status=extracted&limit=200"',
            project,
        )
        assert queue.returncode == 0, queue.stderr
        assert len(json.loads(queue.stdout)["results"]) >= 20  # the samples' claims await review
    finally:
        server.terminate()
        server.wait(timeout=30)
