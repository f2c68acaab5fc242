"""Routinie's settings: one module, every value from the environment (docs/settings.md).

Defaults work for `make run` on one machine (SQLite, a file cache shared by the processes,
console e-mail).
`ROUTINIE_ENV=production` turns on HTTPS-only cookies, HSTS and the `__Host-` cookie names, and
refuses to start without a real `SECRET_KEY`.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment; `NAME_FILE` (a path) wins, for secrets kept in files."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = env(name, str(default))
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


ROUTINIE_ENV = env("ROUTINIE_ENV", "dev")
if ROUTINIE_ENV not in {"dev", "production"}:
    raise ImproperlyConfigured("ROUTINIE_ENV must be 'dev' or 'production'")
PRODUCTION = ROUTINIE_ENV == "production"

DATA_DIR = Path(env("DATA_DIR", "var")).resolve()


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required in production")
    # In dev the key is generated once and kept beside the database, so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = [
    h.strip()
    for h in env("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")

INSTALLED_APPS = [
    "routinie.accounts.admin_apps.RoutinieAdminConfig",  # the admin, its login throttled
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "routinie.core",  # before django_tasks_db: its `db_worker` (with heartbeats) wins
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves its API docs (Swagger UI) from our own static files, not a CDN
    "routinie.accounts",
    "routinie.policy",
    "routinie.tracking",
    "routinie.privacy",
    "routinie.support",
    "routinie.blog",
    "routinie.stats",
    "routinie.billing",
]

MIDDLEWARE = [
    "routinie.core.middleware.SecurityHeadersMiddleware",
    "routinie.core.cache_headers.PrivateAnswersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request that changes something is one transaction, rolled back whole on a 5xx answer.
    "routinie.core.request_transaction.AtomicRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "routinie.core.body_limit.RequestBodyLimitMiddleware",  # 413 before any view reads a body
    "routinie.accounts.sessions.SessionLifetimeMiddleware",
    "routinie.accounts.middleware.UserTimezoneMiddleware",
    "routinie.accounts.activity.LastActivityMiddleware",  # a write's moment, once a minute
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "routinie.core.middleware.NotFoundAsPageMiddleware",
]

ROOT_URLCONF = "routinie.urls"
WSGI_APPLICATION = "routinie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "routinie.core.context.operator_identity",
                "routinie.accounts.context.account_banners",
                "routinie.blog.context.blog_links",
                "routinie.tracking.forgotten.context.running_timer_frame",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'routinie.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the threads of a process taking turns to write (no busy-waiting);
    # connections persist like PostgreSQL's, so a request does not reopen the file and re-run
    # the PRAGMAs below.
    DATABASES["default"]["ENGINE"] = "routinie.core.sqlite_backend"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
        # "database is locked" upgrades in write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)
else:
    # No JIT compilation: it pays off for long analytic queries, not for a request's (at the
    # `full` data set it added 10-80 ms to a report whose rows take 5 ms; docs/performance.md).
    # `?options=...` in the URL overrides it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# A PostgreSQL streaming replica of DATABASE_URL's server, optional: reports, the statistics
# pages and the exports' reads go to it, everything else to the primary (core/replica.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    _postgresql = "django.db.backends.postgresql"
    if _postgresql not in (DATABASES["default"]["ENGINE"], _replica["ENGINE"]) or (
        DATABASES["default"]["ENGINE"] != _replica["ENGINE"]
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL, for it and for DATABASE_URL"
        )
    # A replica that does not answer is given up after 2 s (reads then go to the primary);
    # `?connect_timeout=N` in the URL changes it.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    _replica["OPTIONS"].setdefault("options", "-c jit=off")
    _replica["TEST"] = {"MIRROR": "default"}  # the test suite's replica is its own database
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["routinie.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Backups: the erasure journal (privacy/erasure_journal.py) ------------------------------
# Every account erasure is recorded here (account id and time only), outside the database, so
# `routinie restore` applies again the erasures made after the backup it restores. With several
# machines, a path every one of them writes to.
ERASURE_JOURNAL = Path(env("ERASURE_JOURNAL", str(DATA_DIR / "erasure-journal"))).resolve()
# Records older than this are trimmed by the daily purge; `routinie restore` refuses a backup
# older than this. Keep backups for less time than this.
ERASURE_JOURNAL_DAYS = env_int("ERASURE_JOURNAL_DAYS", 400)
if ERASURE_JOURNAL_DAYS < 1:
    raise ImproperlyConfigured("ERASURE_JOURNAL_DAYS must be at least 1")

# --- Cache (rate limits) ----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # One machine without Redis (`make run`): the web processes share the cache through files
    # under DATA_DIR, so a rate limit counts every process's attempts, not each one's alone.
    # It holds keyed hashes, counters and rendered blog posts, nothing that names anyone.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env("TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# A worker writes a heartbeat for the task it runs every TASK_HEARTBEAT_SECONDS; a task left
# running with no heartbeat for TASK_LOST_AFTER_SECONDS (its worker died) is queued again, at
# most TASK_MAX_ATTEMPTS runs in all, then marked failed (core/task_leases.py).
TASK_HEARTBEAT_SECONDS = env_float("TASK_HEARTBEAT_SECONDS", 10)
TASK_LOST_AFTER_SECONDS = env_float("TASK_LOST_AFTER_SECONDS", 120)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
# `routinie serve` restarts a task worker that stopped, waiting 1, 2, 4 … seconds between
# restarts, at most this long (the wait starts again at 1 s once a worker ran for a minute).
TASK_WORKER_RESTART_MAX_SECONDS = env_float("TASK_WORKER_RESTART_MAX_SECONDS", 60)
# Tests only: while this file exists, a building export waits after each table (so a test
# can kill its worker at a known point). Empty (the default): never waits.
EXPORT_TEST_GATE = env("EXPORT_TEST_GATE", "")

# --- Accounts, passwords, sessions ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "routinie.accounts.password_rules.ContainsDigitValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("name", "email")},
    },
]
PASSWORD_REMINDER_DAYS = env_int("PASSWORD_REMINDER_DAYS", 180)
UNCONFIRMED_SIGNUP_DAYS = env_int("UNCONFIRMED_SIGNUP_DAYS", 30)
# The address e-mails link to (no trailing slash).
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")

SESSION_ENGINE = "routinie.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # no Expires / Max-Age: a browser-session cookie (P10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_SHARED_IDLE_SECONDS = env_int("SESSION_SHARED_IDLE_MINUTES", 15) * 60
SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
CSRF_COOKIE_HTTPONLY = True  # pages read the token from a <meta> tag instead
CSRF_COOKIE_AGE = None  # a browser-session cookie, like the session cookie (P10)
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "routinie.core.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # no extra cookie

LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 900)
LOGIN_THROTTLE_PER_ACCOUNT = env_int("LOGIN_THROTTLE_PER_ACCOUNT", 10)
LOGIN_THROTTLE_PER_CLIENT = env_int("LOGIN_THROTTLE_PER_CLIENT", 50)
SIGNUP_THROTTLE_PER_CLIENT = env_int("SIGNUP_THROTTLE_PER_CLIENT", 20)
PASSWORD_RESET_THROTTLE_PER_CLIENT = env_int("PASSWORD_RESET_THROTTLE_PER_CLIENT", 20)
PASSWORD_RESET_THROTTLE_PER_ADDRESS = env_int("PASSWORD_RESET_THROTTLE_PER_ADDRESS", 3)
SESSION_REMEMBER_SECONDS = env_int("SESSION_REMEMBER_DAYS", 30) * 86400  # "Stay signed in"
# Behind a reverse proxy that sets X-Forwarded-For, the client is its last hop; only hashed.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)

if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-routinie_session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
else:
    SESSION_COOKIE_NAME = "routinie_session"
    CSRF_COOKIE_NAME = "csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Operator identity (P16) ------------------------------------------------------------------
OPERATOR_NAME = env("OPERATOR_NAME", "Wesrom Corporation")
OPERATOR_ADDRESS = env(
    "OPERATOR_ADDRESS", "Seventy Five Mestesugarilor Street, Oradea, CP 410284, Romania"
)
SUPPORT_EMAIL = env("SUPPORT_EMAIL", "support@wesrom.com")
# Billing (P19): the Stripe API base; unset, `routinie serve` and the tests start the local
# sandbox (localstripe) on loopback and use it. Test keys fit the sandbox.
PAYMENT_PROCESSOR_URL = env("PAYMENT_PROCESSOR_URL").rstrip("/")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "sk_test_routinie_sandbox")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "pk_test_routinie_sandbox")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "whsec_routinie_sandbox")

# --- E-mail -----------------------------------------------------------------------------------


def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL: `console:`, `file:` (to $DATA_DIR/outbox), `memory:` or `smtp[+tls|+ssl]://…`."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(DATA_DIR / "outbox"),
        }
    if scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if scheme == "smtp+ssl" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": scheme == "smtp+ssl",
            "EMAIL_TIMEOUT": int(query.get("timeout", ["10"])[0]),
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {scheme!r}")


globals().update(_email_settings(env("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", f"Routinie <{SUPPORT_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Privacy policy versions (P15) ------------------------------------------------------------
# A version that reduces rights may only be published when every account was e-mailed at least
# this many days before it takes effect.
POLICY_NOTICE_DAYS = env_int("POLICY_NOTICE_DAYS", 30)
# Accounts per notice task (one SMTP connection each), and how long after the fan-out a sweep
# looks for accounts a killed worker left out.
POLICY_NOTICE_BATCH = env_int("POLICY_NOTICE_BATCH", 500)
POLICY_NOTICE_SWEEP_SECONDS = env_int("POLICY_NOTICE_SWEEP_SECONDS", 600)

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Blog -------------------------------------------------------------------------------------
# A comment's IP address is kept this many days for abuse handling, then cleared (P08).
BLOG_COMMENT_IP_DAYS = env_int("BLOG_COMMENT_IP_DAYS", 90)
# A comment staff rejected is deleted this many days after the decision.
BLOG_REJECTED_COMMENT_DAYS = env_int("BLOG_REJECTED_COMMENT_DAYS", 30)
# Comments per client (a keyed hash of its address, never the address) per window.
BLOG_COMMENT_THROTTLE = env_int("BLOG_COMMENT_THROTTLE", 5)
BLOG_COMMENT_THROTTLE_WINDOW_SECONDS = env_int("BLOG_COMMENT_THROTTLE_WINDOW_SECONDS", 600)
# The comment form's signed token: younger than this is a bot, older has expired.
BLOG_COMMENT_MIN_SECONDS = env_int("BLOG_COMMENT_MIN_SECONDS", 2)
BLOG_COMMENT_FORM_MAX_SECONDS = env_int("BLOG_COMMENT_FORM_MAX_SECONDS", 86400)
BLOG_POSTS_PER_PAGE = env_int("BLOG_POSTS_PER_PAGE", 10)

# --- Calendar feed ----------------------------------------------------------------------------
# Reads of calendar addresses per client (a keyed hash of its address) per hour.
CALENDAR_FEED_THROTTLE_PER_CLIENT = env_int("CALENDAR_FEED_THROTTLE_PER_CLIENT", 120)
# The forgotten timer (tracking.forgotten): how often the job looks for timers past their
# person's threshold, and how many minutes without input in a page count as idle (0: off).
FORGOTTEN_TIMER_CHECK_MINUTES = env_int("FORGOTTEN_TIMER_CHECK_MINUTES", 5)
IDLE_MINUTES = env_int("IDLE_MINUTES", 10)

# --- Support (P07) ----------------------------------------------------------------------------
# A closed conversation is kept this long for later reference, then purged (a sender-only one
# also this long after its last message).
SUPPORT_CLOSED_RETENTION_DAYS = env_int("SUPPORT_CLOSED_RETENTION_DAYS", 365)
# Inbound e-mail (`routinie mail-in`, `routinie smtpd`): larger messages, or more attachments
# (whose content is never kept, only their names and sizes), are refused.
SUPPORT_MAX_MESSAGE_BYTES = env_int("SUPPORT_MAX_MESSAGE_BYTES", 1024 * 1024)
SUPPORT_MAX_ATTACHMENTS = env_int("SUPPORT_MAX_ATTACHMENTS", 5)
SUPPORT_MAX_CHAT_CHARS = env_int("SUPPORT_MAX_CHAT_CHARS", 5000)
SUPPORT_CHAT_PER_HOUR = env_int("SUPPORT_CHAT_PER_HOUR", 60)
SUPPORT_POLL_SECONDS = env_int("SUPPORT_POLL_SECONDS", 5)

# --- Statistics (P04, P05) -------------------------------------------------------------------


# A figure about fewer than STATS_K people is never published (k-anonymity threshold).
STATS_K = env_int("STATS_K", 10)
# Differential privacy: the epsilon one public release spends (split among its noisy figures),
# and the most that releases may spend together in any STATS_BUDGET_DAYS days (the ledger).
STATS_EPSILON_PER_RELEASE = env_float("STATS_EPSILON_PER_RELEASE", 1.0)
STATS_EPSILON_BUDGET = env_float("STATS_EPSILON_BUDGET", 12.0)
STATS_BUDGET_DAYS = env_int("STATS_BUDGET_DAYS", 365)
# The daily job publishes a new public release when the last one is this many days old.
STATS_RELEASE_DAYS = env_int("STATS_RELEASE_DAYS", 30)
# The key of the pseudonyms that key the key-figure table; changing it re-keys the table.
STATS_PSEUDONYM_KEY = env("STATS_PSEUDONYM_KEY")
if STATS_K < 2:
    raise ImproperlyConfigured("STATS_K must be at least 2")
if not 0 < STATS_EPSILON_PER_RELEASE <= STATS_EPSILON_BUDGET:
    raise ImproperlyConfigured(
        "STATS_EPSILON_PER_RELEASE must be above 0 and at most STATS_EPSILON_BUDGET"
    )
if STATS_BUDGET_DAYS < 1 or STATS_RELEASE_DAYS < 1:
    raise ImproperlyConfigured("STATS_BUDGET_DAYS and STATS_RELEASE_DAYS must be at least 1")

# --- Logging: never an IP address, e-mail address or token (see core/log_redaction.py) --------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "routinie.core.log_redaction.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO"), "propagate": False},
    },
}
