"""One settings module, read from the environment.

Defaults give a working developer machine with nothing else running: a SQLite file under ``var/``,
Celery tasks executed eagerly in-process, debug on. Every production difference is an environment
variable (see ``partybuild/settings_production.py`` for the hardened overrides and README for the list).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from ops.rules import parse_admins
from ops.services.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PARTYBUILD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# A development key is only acceptable while DEBUG is on; production settings refuse to start without a real one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
# Rotating the key (docs/operations.md): the old one here keeps sessions and reset links valid until they expire.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "treebeard",
    "import_export",
    "django_htmx",
    "axes",
    "django_celery_beat",
    "core",
    "ops",
    "organizations",
    "grading",
    "rectification",
    "elections",
    "meetings",
    "dues",
    "stats",
    "circulars",
    "development",
    "transfers",
    "scale",
]

MIDDLEWARE = [
    # /healthz first: answered before the host check and the HTTPS redirect, for the proxy and the orchestrator.
    "ops.services.health.HealthzMiddleware",
    # Every log line of the request carries its id (and the user's id once authenticated).
    "ops.services.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partybuild.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "partybuild.middleware.RequestContextMiddleware",
    "partybuild.middleware.ContentSecurityPolicyMiddleware",
    "partybuild.middleware.ErrorPageMiddleware",
    "partybuild.middleware.NoStoreMiddleware",
    # axes last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partybuild.urls"
WSGI_APPLICATION = "partybuild.wsgi.application"

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
                "partybuild.context_processors.navigation",
            ],
            # {{ user|display_name }} everywhere (pages and PDFs) without a {% load %}: one way to name a person.
            "builtins": ["core.templatetags.names"],
        },
    }
]

# --- Database: SQLite under var/ by default, PostgreSQL (or anything dj-database-url reads) from DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "partybuild.sqlite3",
            # Concurrent writers on the default database (issue 12 §7: 10 of 20 simultaneous member creates answered
            # 500 "database is locked"): WAL lets readers run beside the one writer; IMMEDIATE transactions take the
            # write lock when they begin, so a writer waits its turn (up to the 20 s timeout) instead of failing when
            # a read inside its transaction turns into a write; synchronous=NORMAL is safe with WAL.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared across web nodes), local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A cache that does not answer is a miss (core.safe_cache), and quickly: never a hung request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Django's validators with Chinese messages (core/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 9}},
    {"NAME": "core.passwords.CommonPasswordValidator"},
    {"NAME": "core.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# Idle timeout: the session is saved when it changes and, for a signed-in user, its expiry pushed back at most every
# SESSION_REFRESH_SECONDS (core.sessions): a page load in between opens no write transaction (issue 15 §5).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "300"))
ANONYMOUS_USER_NAME = None  # guardian: anonymous users hold no object permissions

# --- Login throttling (django-axes): 5 failures per user name and address lock for 30 minutes; 20 failures from
# one address over all accounts lock that address (password spraying; core/login_throttle.py).
AXES_HANDLER = "core.login_throttle.AddressLimitHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"
AXES_VERBOSE = False  # no English "AXES: BEGIN version …" line on every manage.py command
# How many reverse proxies in front of the web nodes append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Uploaded and generated files live outside the static root and are only served through scoped views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Worker and beat log through LOGGING below (the same line format as the web), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Mail: SMTP when EMAIL_HOST is set, the console otherwise (EMAIL_BACKEND, when set, wins).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partybuild@localhost")
# --- Delivery channels (core/channels.py; docs/operations.md "Reminder channels"): e-mail uses the SMTP settings
# above; SMS goes to an HTTP gateway when SMS_GATEWAY_URL is set, to the log otherwise; 政务微信/企业微信 group
# robots to the webhook a user enters, on the hosts listed here. Failed sends are tried again with a backoff.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_USER = os.environ.get("SMS_GATEWAY_USER", "")
SMS_GATEWAY_PASSWORD = os.environ.get("SMS_GATEWAY_PASSWORD", "")
SMS_GATEWAY_FIELDS = os.environ.get("SMS_GATEWAY_FIELDS", "")
SMS_GATEWAY_SUCCESS = os.environ.get("SMS_GATEWAY_SUCCESS", "")  # e.g. "code=0": the answer's field meaning taken
SMS_TEMPLATE = os.environ.get("SMS_TEMPLATE") or "【党建工作管理平台】{title},请登录平台查看:{url}"
ROBOT_WEBHOOK_HOSTS = env_list("ROBOT_WEBHOOK_HOSTS", "qyapi.weixin.qq.com")
CHANNEL_TIMEOUT = float(os.environ.get("CHANNEL_TIMEOUT", "10"))
DELIVERY_MAX_ATTEMPTS = int(os.environ.get("DELIVERY_MAX_ATTEMPTS", "5"))
DELIVERY_RETRY_BASE_SECONDS = int(os.environ.get("DELIVERY_RETRY_BASE_SECONDS", "60"))
# Error reports (a 500 with its traceback) are mailed to ADMINS: "Name <mail>, Name <mail>" or plain addresses.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = parse_admins(os.environ.get("ADMINS", ""))
# Optional: errors also to a Sentry server of your own (SENTRY_DSN). Unset: nothing is sent anywhere.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")

X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "partybuild.views_errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# One line per record with time, level, logger, request id and user id (ops/services/logs.py); LOG_FORMAT=json or kv.
LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), style=os.environ.get("LOG_FORMAT", "kv"))
if ADMINS:
    LOGGING["handlers"]["mail_admins"] = {
        "class": "django.utils.log.AdminEmailHandler",
        "level": "ERROR",
        "filters": ["context", "require_debug_false"],
    }
    LOGGING["filters"]["require_debug_false"] = {"()": "django.utils.log.RequireDebugFalse"}
    LOGGING["loggers"]["django.request"]["handlers"] = ["mail_admins"]

# --- Health (ops/services/health.py): the worker's heartbeat and the disk space /healthz accepts.
HEALTH_HEARTBEAT_MAX_AGE = int(os.environ.get("HEALTH_HEARTBEAT_MAX_AGE", "300"))
HEALTH_MIN_FREE_MB = int(os.environ.get("HEALTH_MIN_FREE_MB", "1024"))

# --- Backups (ops/services/backup.py): where, with which key, how many and how old they are kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_ENCRYPTION_KEY = os.environ.get("BACKUP_ENCRYPTION_KEY", "")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
BACKUP_MAX_AGE_DAYS = int(os.environ.get("BACKUP_MAX_AGE_DAYS", "90"))

# Members per page in lists.
PAGE_SIZE = 50

# Optional error reports (ops/services/errors.py): a no-op unless SENTRY_DSN is set.
from ops.services.errors import init_sentry  # noqa: E402

init_sentry(SENTRY_DSN)
