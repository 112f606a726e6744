"""BlocPortal settings, read from the environment through django-environ.

With no environment at all the portal runs embedded: a SQLite file, Celery in eager mode,
media on the local disk, DEBUG off. Every production knob is an environment variable and is
listed in README.md.
"""

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _local_secret_key() -> str:
    """A per-checkout random key for the embedded default, kept out of git."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None) or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "django_celery_beat",
    "blocportal",
    "organizations",
    "members",
    "meetings",
    "inspections",
    "emulation",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blocportal.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "blocportal.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "blocportal.urls"
WSGI_APPLICATION = "blocportal.wsgi.application"

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
                "blocportal.context_processors.portal",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL (psycopg 3, pooled) through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    # Parallel workers per query: none by default. A portal's server answers several requests at
    # once, each already on a core; a parallel plan for one takes the others' cores (on 2 cores the
    # attention page's badge query took four times its serial plan: docs/benchmarks.md).
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c max_parallel_workers_per_gather={env.int('DATABASE_PARALLEL_WORKERS', default=0)}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded SQLite: take the write lock when a transaction starts, so that two requests
    # writing at once wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Authentication and sessions
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Idle sessions expire after this many seconds. The expiry is pushed forward by
# blocportal.middleware.SessionRefreshMiddleware when the last push is older than
# SESSION_REFRESH_SECONDS, not by a write on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_REFRESH_SECONDS = min(5 * 60, SESSION_COOKIE_AGE // 12)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: an account+IP is locked for 15 minutes after 5 failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_VERBOSE = False

# --- E-mail: the password reset link. EMAIL_URL names the server, e.g.
# smtp+tls://user:password@mail.example.org:587; without it the messages are printed on the console.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="BlocPortal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation: Vietnamese, Asia/Ho_Chi_Minh, 05/02/2026, 4.200, 32,4%
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# The portal's clock (blocportal/clock.py): empty runs on the real time; an ISO 8601 instant fixes
# "today" there (the tests' moved clocks, a training session shown as of a day).
PORTAL_NOW = env.str("PORTAL_NOW", default="")
FORMAT_MODULE_PATH = ["blocportal.formats"]

# --- Static and media files. Third-party assets come from npm (node_modules) at set-up.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules/tom-select/dist"),
    ("vendor/vanillajs-datepicker", BASE_DIR / "node_modules/vanillajs-datepicker/dist"),
    # The dashboard's charts (reports/charts.py, static/js/charts.js): the browser (UMD) builds.
    # vega-embed's bundle carries vega-interpreter, the CSP-safe expression evaluator.
    ("vendor/vega", BASE_DIR / "node_modules/vega/build"),
    ("vendor/vega-lite", BASE_DIR / "node_modules/vega-lite/build"),
    ("vendor/vega-embed", BASE_DIR / "node_modules/vega-embed/build"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Celery: eager without a broker, Redis with CELERY_BROKER_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="blocportal")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab entries are read in Hà Nội time
# Beat reads its schedule from the database (django-celery-beat): a superuser edits the periodic
# tasks in the admin (the report batches' one is made by migration reports 0005); the entries of
# CELERY_BEAT_SCHEDULE below are written there when beat starts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A worker process is replaced after this many tasks, so that WeasyPrint's memory does not grow.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
# A message taken by a worker that died outright (SIGKILL, the machine lost) is delivered again
# after this many seconds (Redis); longer than the longest task, or it would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# Re-send reports whose render message was lost, fail those stuck for an hour (reports.services).
# A sweep no worker picked up before the next one is due expires, so an outage leaves no pile.
CELERY_BEAT_SCHEDULE = {
    "reports.resend_stale_reports": {
        "task": "reports.tasks.resend_stale_reports",
        "schedule": 300.0,
        "options": {"expires": 300.0},
    },
    # Import jobs: the same for the import pages' dry runs and imports (blocportal.services).
    "blocportal.resend_stale_imports": {
        "task": "blocportal.tasks.resend_stale_imports",
        "schedule": 300.0,
        "options": {"expires": 300.0},
    },
    # The weekly digest of the attention hub, Monday 07:00 (blocportal.digest); a message no worker
    # took by the evening is dropped, next Monday's follows.
    "blocportal.send_attention_digest": {
        "task": "blocportal.tasks.send_attention_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="monday"),
        "options": {"expires": 12 * 3600.0},
    },
}

# --- Security. Production sets these through the environment; `check --deploy` passes then.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused CSRF check (mostly a form left open past the session's end) gets the portal's page.
CSRF_FAILURE_VIEW = "blocportal.views.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Portal
PORTAL_NAME = env("PORTAL_NAME", default="BlocPortal")
# The province printed in document headers and date lines ("Gia Lai, ngày 05 tháng 02 năm 2026").
PORTAL_PLACE = env("PORTAL_PLACE", default="Gia Lai")
PORTAL_UPPER_BODY = env("PORTAL_UPPER_BODY", default="ĐẢNG BỘ TỈNH GIA LAI")
# The portal's address as users reach it, for the links of e-mails sent without a request (the
# weekly digest of the attention hub).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# The largest minutes file (PDF, DOCX or photo) a meeting keeps.
MEETING_MINUTES_MAX_BYTES = env.int("MEETING_MINUTES_MAX_BYTES", default=10 * 1024 * 1024)
# A document of an inspection case file (decision, plan, report, conclusion).
CASE_DOCUMENT_MAX_BYTES = env.int("CASE_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
REPORT_FONT_DIR = env.path("REPORT_FONT_DIR", default="/usr/share/fonts/truetype/liberation2")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Our copy of the Bootstrap 5 table (templates/django_tables2): pagination in the portal's words.
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
# The empty choice of every list filter: "Tất cả", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
IMPORT_EXPORT_SKIP_ADMIN_ACTION_EXPORT_UI = True
