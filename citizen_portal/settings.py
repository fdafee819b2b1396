"""Settings, read from environment variables with safe defaults for local use.

Every deployment choice (database and read replica, cache, file storage, task queue, SMS and
e-mail transport) is an environment variable; code never changes between the embedded default
and production.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from citizen_portal.core.deployment import cache_from_url, replica_database, s3_storage

# Lets generic classes (ModelAdmin[Model], QuerySet[Model]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A random key kept in var/ so that a local install needs no configuration.

    Production sets SECRET_KEY in the environment; this file is never shared.
    """
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# DEPLOYMENT=production turns on everything a public deployment behind TLS needs (secure
# cookies with __Host- names, HSTS, redirect to https) and refuses to start without a real
# SECRET_KEY. The default, "local", serves plain http on this machine.
DEPLOYMENT = os.environ.get("DEPLOYMENT", "local")
# Our own reverse proxies (nginx, a load balancer): addresses or networks, comma-separated. The
# client's address is then read from X-Forwarded-For as they wrote it (core/proxy.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
PRODUCTION = DEPLOYMENT == "production"
DEBUG = env_bool("DEBUG", False) and not PRODUCTION
if PRODUCTION and len(os.environ.get("SECRET_KEY", "")) < 50:
    raise RuntimeError("DEPLOYMENT=production needs SECRET_KEY: 50 or more random characters.")
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "citizen_portal.core",
    "citizen_portal.accounts",
    "citizen_portal.directory",
    "citizen_portal.complaints",
    "citizen_portal.notifications",
    "citizen_portal.accessibility",
    "citizen_portal.intake",
    "citizen_portal.helpline",
    "citizen_portal.mailroom",
    "citizen_portal.exports",
    "citizen_portal.analytics",
    "citizen_portal.integrity",
    "citizen_portal.api",
    "citizen_portal.audit",
    "citizen_portal.intelligence",
    "citizen_portal.systemic",
    "citizen_portal.hotspots",
]

MIDDLEWARE = [
    # First: every later middleware's log lines carry the request's id (core/request_id.py).
    "citizen_portal.core.request_id.RequestIdMiddleware",
    # Counts and times every request by route name, including the middleware below
    # (core/metrics/middleware.py; /metrics, docs/operators.md "Monitoring").
    "citizen_portal.core.metrics.middleware.RequestMetricsMiddleware",
    # A view's database or disk failure answers 503 with Retry-After, not 500; failures
    # inside a middleware reach handler500 (urls.py) instead (core/unavailable.py).
    "citizen_portal.core.unavailable.ServiceUnavailableMiddleware",
    # Before anything reads it: behind nginx, REMOTE_ADDR becomes the client's address
    # (core/proxy.py).
    "citizen_portal.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (core/security_headers.py).
    "citizen_portal.core.security_headers.SecurityHeadersMiddleware",
    "citizen_portal.core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logging out empties the browser's stored pages and drafts (core/logout.py).
    "citizen_portal.core.logout.ClearSiteDataOnLogoutMiddleware",
    # After authentication: a citizen's account language on a device that has not chosen.
    "citizen_portal.core.language.AccountLanguageMiddleware",
    # A body larger than any upload is refused (413) before it is read (core/upload_limit.py).
    "citizen_portal.core.upload_limit.UploadSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: a session past its idle or absolute limit ends here, with a word to
    # the person (accounts/session_limits.py).
    "citizen_portal.accounts.session_limits.SessionLimitsMiddleware",
    # Every 403 answer, whoever wrote it, in the audit log (audit/middleware.py).
    "citizen_portal.audit.middleware.RefusalAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Hashed address and browser of staff actions and citizens' feedback (integrity/).
    "citizen_portal.integrity.fingerprint.ClientFingerprintMiddleware",
    # Last, so that it sees the authenticated user and can lock out by username and address.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citizen_portal.urls"
CSRF_FAILURE_VIEW = "citizen_portal.core.views.csrf_failure"
WSGI_APPLICATION = "citizen_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "citizen_portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "citizen_portal.notifications.context_processors.unread_notifications",
                "citizen_portal.core.language.language_choice",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL picks the engine: sqlite:///path (embedded default) or postgres://user@host/db.
# Connections stay open between requests: a new PostgreSQL connection per request costs
# seven-fold in throughput on a 2-core machine (measured for the project's benchmark notes).
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# PostgreSQL: server-side parameter binding lets psycopg prepare a statement on the server once
# it has run a few times on a connection (with persistent connections, that is almost every
# query): PostgreSQL then skips parsing and planning, which for the inbox page's joins cost more
# than running them (issue 7's profile). Off (DB_SERVER_SIDE_BINDING=0) behind a
# transaction-pooling PgBouncer, which cannot keep prepared statements.
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DB_SERVER_SIDE_BINDING", "1") == "1"
):
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": 2,  # psycopg prepares a query on its third run
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE transactions take the
    # write lock up front so that two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not Django's shared in-memory default: the browser tests' live server then gets
    # connections of its own instead of borrowing the test thread's.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# DATABASE_REPLICA_URL: a read replica of the same database (a PostgreSQL streaming standby).
# Only reads inside `reading_from_replica()` go there — the dashboards, officers' reports,
# transparency page and open data, and export jobs (core/db_router.py); every write and every
# other read stay on "default". Unset: one database for everything.
_replica = replica_database(os.environ.get("DATABASE_REPLICA_URL", ""), DATABASES["default"])
if _replica is not None:
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["citizen_portal.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Citizens also prove each new device with a code, so eight characters are enough for them.
CITIZEN_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Staff password login: lock a username+address pair after 5 failures for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Before the lock-out: from the second failure, the next try waits 2, 4, 8… seconds, at most
# this many (accounts/services/login_pace.py); 0 turns the pause off.
LOGIN_PACE_MAX_WAIT_SECONDS = int(os.environ.get("LOGIN_PACE_MAX_WAIT_SECONDS", "30"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF token reaches the page's scripts from the form field, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
# A session ends after this long without a request, or this long after its login, whichever
# comes first (accounts/session_limits.py; docs/security.md, "Sessions"). Staff hold the
# power to act on complaints: 30 minutes idle, 12 hours in all (ASVS 7.3). Citizens, often on
# slow connections, get 2 hours idle.
SESSION_IDLE_SECONDS_STAFF = int(os.environ.get("SESSION_IDLE_SECONDS_STAFF", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS_STAFF = int(
    os.environ.get("SESSION_ABSOLUTE_SECONDS_STAFF", str(12 * 60 * 60))
)
SESSION_IDLE_SECONDS_CITIZEN = int(os.environ.get("SESSION_IDLE_SECONDS_CITIZEN", str(2 * 60 * 60)))
SESSION_ABSOLUTE_SECONDS_CITIZEN = int(
    os.environ.get("SESSION_ABSOLUTE_SECONDS_CITIZEN", str(12 * 60 * 60))
)
# Production behind TLS sets SECURE_COOKIES=true; the embedded default serves plain http.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 12 * 60 * 60
# Sessions live in the database (Django's own engine, named here so that it is not changed by
# accident): every web process behind a load balancer reads the same ones, with no sticky
# sessions and nothing else to run.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if PRODUCTION:
    # __Host- cookies are only accepted over https, for this exact host, for every path.
    SESSION_COOKIE_NAME = "__Host-portal_session"
    CSRF_COOKIE_NAME = "__Host-portal_csrf"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health checks and the metrics scrape reach an instance directly over plain http (a load
    # balancer, Prometheus): answered, not redirected to an https port the instance lacks.
    SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$", r"^healthz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see docs/operators.md).
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "citizen_portal" / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
USE_I18N = True
# Dates and numbers as Pakistan writes them, in each language (citizen_portal/formats/).
FORMAT_MODULE_PATH = ["citizen_portal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Karachi")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise serves from the finders until collectstatic fills it; it must exist meanwhile.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "citizen_portal" / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# STATIC_MANIFEST (on by default with DEPLOYMENT=production): file names carry a hash of
# their content and gzip copies sit beside them, so browsers and the service worker keep them
# for a year and WhiteNoise sends them compressed. Needs `collectstatic` before starting;
# `make run` (local) keeps the plain storage, which needs nothing.
if env_bool("STATIC_MANIFEST", PRODUCTION):
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# STORAGE_S3_BUCKET (with STORAGE_S3_ENDPOINT_URL, STORAGE_S3_ACCESS_KEY, STORAGE_S3_SECRET_KEY,
# STORAGE_S3_REGION): every uploaded and generated file (attachments, draft files, exports,
# reply letters, received e-mail) goes to that S3-compatible bucket, privately, instead of
# MEDIA_ROOT; the portal's own views serve them after checking who asks (core/deployment.py).
_s3 = s3_storage(os.environ)
if _s3 is not None:
    STORAGES["default"] = _s3

# --- Cache ----------------------------------------------------------------------------------
# CACHE_URL: unset, each process keeps its own cache in memory (fine for one web process);
# redis://host:6379/1 shares it between processes and machines: the dashboards' panels, the
# transparency page, Open311's public lists and the API's rate limits are then counted once.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

# --- Task queue -----------------------------------------------------------------------------
# TASK_QUEUE: "sqlite" (embedded default, a file in var/), "redis://host:port/db", or
# "immediate" (tasks run inline: tests, and a single-process deployment without a worker).
TASK_QUEUE = os.environ.get("TASK_QUEUE", "sqlite")
HUEY: dict[str, Any]
if TASK_QUEUE == "immediate":
    HUEY = {"name": "citizen-portal", "immediate": True}
elif TASK_QUEUE.startswith("redis://"):
    # At least once, across any number of consumers (core/task_queue.py): a consumer that
    # dies gives its tasks back after TASK_HEARTBEAT_SECONDS × 3; the periodic tasks are
    # enqueued once a minute whichever consumers run.
    HUEY = {
        "huey_class": "citizen_portal.core.task_queue.ReliableRedisHuey",
        "name": "citizen-portal",
        "url": TASK_QUEUE,
        "immediate": False,
        "heartbeat_seconds": float(os.environ.get("TASK_HEARTBEAT_SECONDS", "10")),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "citizen-portal",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": False,
    }
HUEY["consumer"] = {
    "workers": int(os.environ.get("TASK_WORKERS", "2")),
    "worker_type": "thread",
    # A worker killed while a periodic task held its lock would otherwise leave the lock behind
    # and that task would never run again. The locks only spare duplicate work: the sweeps and
    # the digest are safe to run twice.
    "flush_locks": True,
}

# --- Outbound messages ----------------------------------------------------------------------
# SMS_BACKEND: "outbox" writes one JSON line per message to SMS_OUTBOX_PATH; "http" posts
# JSON to SMS_GATEWAY_URL; "twilio" speaks Twilio's Messages API (notifications/sms.py).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "outbox")
SMS_OUTBOX_PATH = Path(os.environ.get("SMS_OUTBOX_PATH", VAR_DIR / "outbox" / "sms.jsonl"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
SMS_MAX_ATTEMPTS = int(os.environ.get("SMS_MAX_ATTEMPTS", "6"))
# Seconds before the second attempt of a failed SMS; each later wait doubles (capped at 30 min).
SMS_RETRY_BASE_SECONDS = int(os.environ.get("SMS_RETRY_BASE_SECONDS", "30"))
SMS_TWILIO_BASE_URL = os.environ.get("SMS_TWILIO_BASE_URL", "https://api.twilio.com")
SMS_TWILIO_ACCOUNT_SID = os.environ.get("SMS_TWILIO_ACCOUNT_SID", "")
SMS_TWILIO_AUTH_TOKEN = os.environ.get("SMS_TWILIO_AUTH_TOKEN", "")
SMS_TWILIO_FROM = os.environ.get("SMS_TWILIO_FROM", "")

# EMAIL_BACKEND: "outbox" (files in EMAIL_OUTBOX_DIR) or "smtp" (EMAIL_HOST, EMAIL_PORT …).
_email_backends = {
    "outbox": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_BACKEND = _email_backends[os.environ.get("EMAIL_BACKEND", "outbox")]
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_OUTBOX_DIR", VAR_DIR / "outbox" / "email"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Citizen Portal <no-reply@localhost>")

# --- Contact and accessibility (citizen_portal/accessibility/) -------------------------------
# The other ways to reach the portal's team, shown on the accessibility statement. Each is
# shown only when set: an unset channel is left out rather than a placeholder published.
PORTAL_HELPLINE = os.environ.get("PORTAL_HELPLINE", "").strip()  # as people dial it
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "").strip()
PORTAL_POSTAL_ADDRESS = os.environ.get("PORTAL_POSTAL_ADDRESS", "").strip()  # one line
# Where reports of accessibility problems are e-mailed (each is also kept for the admin site).
ACCESSIBILITY_REPORT_EMAIL = os.environ.get(
    "ACCESSIBILITY_REPORT_EMAIL", PORTAL_CONTACT_EMAIL or "accessibility@localhost"
)
# The answer the statement promises to a report that leaves a way to reach its sender.
ACCESSIBILITY_RESPONSE_WORKING_DAYS = int(
    os.environ.get("ACCESSIBILITY_RESPONSE_WORKING_DAYS", "5")
)
# Reports one client address may send per hour.
ACCESSIBILITY_REPORTS_PER_HOUR = int(os.environ.get("ACCESSIBILITY_REPORTS_PER_HOUR", "5"))

# --- Directory bulk import ------------------------------------------------------------------
# An XLSX file is a ZIP archive: 5 MB of it can unpack to gigabytes (a "zip bomb"). Real
# directory sheets unpack to about ten times their size, far below this.
BULK_XLSX_MAX_UNPACKED_BYTES = int(os.environ.get("BULK_XLSX_MAX_UNPACKED_BYTES", str(100 << 20)))

# --- Personal data at rest (citizen_portal/accounts/crypto.py) -------------------------------
# Comma-separated base64 keys of 32 bytes; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS", "")
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", "")

# --- One-time codes -------------------------------------------------------------------------
OTP_TTL_SECONDS = 10 * 60
TRUSTED_DEVICE_DAYS = int(os.environ.get("TRUSTED_DEVICE_DAYS", "90"))
TRUSTED_DEVICE_COOKIE = "portal_device"
OTP_MAX_ATTEMPTS = 5
# The first resend waits this long; each further one twice as long as the one before.
OTP_RESEND_INTERVAL_SECONDS = int(os.environ.get("OTP_RESEND_INTERVAL_SECONDS", "30"))
# Wrong codes for one number over 24 hours, whatever the number of codes, before it locks.
OTP_MAX_FAILURES_PER_DAY = int(os.environ.get("OTP_MAX_FAILURES_PER_DAY", "10"))
OTP_MAX_PER_HOUR = int(os.environ.get("OTP_MAX_PER_HOUR", "5"))
OTP_MAX_PER_IP_PER_HOUR = int(os.environ.get("OTP_MAX_PER_IP_PER_HOUR", "20"))

# --- Complaints -----------------------------------------------------------------------------
# Pakistan's government offices close on Saturday and Sunday (Monday is 0).
# Intake (intake/services/lodging.py): the category of complaints that arrive by e-mail or SMS
# without naming a department, sorted by its department's complaint cell; and the district of
# a complaint that names none, for citizens without a home district.
INTAKE_GENERAL_CATEGORY = os.environ.get("INTAKE_GENERAL_CATEGORY", "FED-PMDU.GENERAL")
INTAKE_DEFAULT_AREA = os.environ.get("INTAKE_DEFAULT_AREA", "PK-IS-ISB")

# Intake by SMS (intake/services/sms_*.py, docs/sms-intake.md). The gateway POSTs each message
# received on the short code to /intake/sms/, signed with HMAC-SHA256 over
# "<X-Timestamp>.<body>". Without a secret the endpoint answers 503: never accepts unsigned.
# Several secrets, comma-separated, are all accepted (rotation); the gateway signs with one.
SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET", "")
# How old (or how far ahead) a request's X-Timestamp may be, in seconds.
SMS_WEBHOOK_MAX_AGE_SECONDS = int(os.environ.get("SMS_WEBHOOK_MAX_AGE_SECONDS", "300"))
# The largest request accepted: a long multi-part SMS is a few kilobytes.
SMS_WEBHOOK_MAX_BYTES = int(os.environ.get("SMS_WEBHOOK_MAX_BYTES", str(64 * 1024)))
# Messages one number may send in an hour; beyond it they are kept, marked ignored, and
# neither lodged nor answered (a flood, or a loop with another automated sender).
SMS_INBOUND_PER_HOUR = int(os.environ.get("SMS_INBOUND_PER_HOUR", "10"))
# Instructions sent to one unknown number in 24 hours (each costs an SMS).
SMS_INSTRUCTIONS_PER_DAY = int(os.environ.get("SMS_INSTRUCTIONS_PER_DAY", "1"))

# Intake by e-mail (intake/services/email_*.py, docs/email-intake.md). The receiver
# (`manage.py receive_mail`, started by `make run`) is an SMTP server for the portal's
# domain; the poller (`manage.py poll_mailbox`) reads a mailbox kept elsewhere by IMAP.
INTAKE_SMTP_HOST = os.environ.get("INTAKE_SMTP_HOST", "127.0.0.1")
INTAKE_SMTP_PORT = int(os.environ.get("INTAKE_SMTP_PORT", "8025"))
# A larger message is refused during the SMTP conversation (552), before it is stored.
INTAKE_EMAIL_MAX_BYTES = int(os.environ.get("INTAKE_EMAIL_MAX_BYTES", str(35 << 20)))
# The portal's mail domains (comma-separated): mail for other domains is refused (550), and
# <department code>@<domain> (e.g. fed-lesco@…) lodges with that department. Empty: any.
INTAKE_EMAIL_DOMAINS = [
    d.strip().lower() for d in os.environ.get("INTAKE_EMAIL_DOMAINS", "").split(",") if d.strip()
]
# Where the portal's replies to senders come from (an address whose replies are read).
INTAKE_EMAIL_FROM = os.environ.get("INTAKE_EMAIL_FROM", "")
# Notifications to citizens say "reply to" this address with a token for the complaint
# (reply+c<id>-<mac>@…); it must reach the receiver or the polled mailbox. Empty: no Reply-To,
# and replies are matched by the reference in the subject alone.
INTAKE_EMAIL_REPLY_ADDRESS = os.environ.get("INTAKE_EMAIL_REPLY_ADDRESS", "")
# Replies (invitations to register, files not accepted) to one address per 24 hours.
INTAKE_EMAIL_REPLIES_PER_DAY = int(os.environ.get("INTAKE_EMAIL_REPLIES_PER_DAY", "3"))
# Mail from an unknown address waits this many days for its sender to register.
INTAKE_EMAIL_WAIT_DAYS = int(os.environ.get("INTAKE_EMAIL_WAIT_DAYS", "30"))
# More Received headers than this: the message is going round in a loop.
INTAKE_EMAIL_MAX_HOPS = int(os.environ.get("INTAKE_EMAIL_MAX_HOPS", "25"))
# The mailbox poller: INTAKE_IMAP_HOST empty turns it off.
INTAKE_IMAP_HOST = os.environ.get("INTAKE_IMAP_HOST", "")
INTAKE_IMAP_PORT = int(os.environ.get("INTAKE_IMAP_PORT", "993"))
INTAKE_IMAP_SSL = env_bool("INTAKE_IMAP_SSL", True)
INTAKE_IMAP_USER = os.environ.get("INTAKE_IMAP_USER", "")
INTAKE_IMAP_PASSWORD = os.environ.get("INTAKE_IMAP_PASSWORD", "")
INTAKE_IMAP_FOLDER = os.environ.get("INTAKE_IMAP_FOLDER", "INBOX")
INTAKE_IMAP_INTERVAL_SECONDS = int(os.environ.get("INTAKE_IMAP_INTERVAL_SECONDS", "60"))

PORTAL_WEEKEND_DAYS = [5, 6]
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


# A resolution is provisional: silence for this many days after it closes the complaint.
FEEDBACK_WINDOW_DAYS = _int_env("FEEDBACK_WINDOW_DAYS", 7)
# An information request unanswered for this many days drops the complaint as incomplete.
INFO_REQUEST_DAYS = _int_env("INFO_REQUEST_DAYS", 15)
# Working days each level above gets after an escalation (and the head after a further miss).
ESCALATION_WORKING_DAYS = _int_env("ESCALATION_WORKING_DAYS", 7)
# The holder is warned once this share of the time (in percent) has passed.
DEADLINE_WARNING_PERCENT = _int_env("DEADLINE_WARNING_PERCENT", 75)
# Transfers between departments before a complaint goes to the tier's complaint cell.
MAX_TRANSFERS = _int_env("MAX_TRANSFERS", 3)
# The daily job groups at least this many open complaints of one category in one district,
# alike in words and lodged over at least this many days, into a systemic issue (systemic/).
SYSTEMIC_CLUSTER_MIN = _int_env("SYSTEMIC_CLUSTER_MIN", 5)
SYSTEMIC_CLUSTER_DAYS = _int_env("SYSTEMIC_CLUSTER_DAYS", 3)
# Likely duplicates at lodging and on the officer's page (systemic/selectors/duplicates.py):
# open complaints of the category whose words are at least this alike (0–1, chosen on planted
# duplicates: docs/systemic.md), in the district or, with map points, within this radius.
DUPLICATES_MIN_SIMILARITY = float(os.environ.get("DUPLICATES_MIN_SIMILARITY", "0.5"))
DUPLICATES_RADIUS_KM = float(os.environ.get("DUPLICATES_RADIUS_KM", "2"))
# Hotspot alerts (hotspots/, docs/hotspots.md): each morning at HOTSPOT_HOUR:HOTSPOT_MINUTE,
# a category in a district alerts when its last 7 days hold at least HOTSPOT_MIN_COUNT
# complaints, HOTSPOT_RATIO times its usual week (never taken below HOTSPOT_BASELINE_FLOOR),
# and so many that chance gives them less often than HOTSPOT_P (Poisson).
HOTSPOT_MIN_COUNT = _int_env("HOTSPOT_MIN_COUNT", 8)
HOTSPOT_RATIO = float(os.environ.get("HOTSPOT_RATIO", "3"))
HOTSPOT_P = float(os.environ.get("HOTSPOT_P", "0.001"))
HOTSPOT_BASELINE_FLOOR = float(os.environ.get("HOTSPOT_BASELINE_FLOOR", "1"))
HOTSPOT_HOUR = _int_env("HOTSPOT_HOUR", 3)
HOTSPOT_MINUTE = _int_env("HOTSPOT_MINUTE", 40)
# An interim reply may promise relief at most this many days ahead.
INTERIM_MAX_DAYS = _int_env("INTERIM_MAX_DAYS", 90)
# A retried submission with the same Idempotency-Key within this window returns the first.
IDEMPOTENCY_WINDOW_HOURS = _int_env("IDEMPOTENCY_WINDOW_HOURS", 24)
# Complaints and suggestions a citizen may lodge themselves (web, offline form, API, SMS,
# e-mail) in any hour and in any 24 hours; staff doors and Open311 partners are not counted
# (complaints/services/lodging_limits.py). 0 turns a limit off.
LODGE_MAX_PER_HOUR = _int_env("LODGE_MAX_PER_HOUR", 5)
LODGE_MAX_PER_DAY = _int_env("LODGE_MAX_PER_DAY", 20)
# Lodging remembers the categories, districts, routes and deadlines it reads for this many
# seconds per process (directory/selectors/memo.py): a change to the directory reaches every
# process within it. 0: read the tables every time.
DIRECTORY_MEMO_SECONDS = _int_env("DIRECTORY_MEMO_SECONDS", 5)
# Attachments: per file, per complaint, and how many files at once.
ATTACHMENT_MAX_BYTES = _int_env("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MEDIA_MAX_BYTES = _int_env("ATTACHMENT_MEDIA_MAX_BYTES", 25 * 1024 * 1024)
ATTACHMENT_TOTAL_MAX_BYTES = _int_env("ATTACHMENT_TOTAL_MAX_BYTES", 60 * 1024 * 1024)
ATTACHMENT_MAX_FILES = _int_env("ATTACHMENT_MAX_FILES", 5)
# The hour (local time) officers receive their daily digest of due and overdue work.
DIGEST_HOUR = _int_env("DIGEST_HOUR", 7)
# Exports of complaint lists (exports/): up to this many rows the file downloads at once,
# beyond it a background job writes it; files and jobs are deleted after the retention days;
# each user may have this many jobs waiting or running at a time.
EXPORT_INLINE_MAX_ROWS = _int_env("EXPORT_INLINE_MAX_ROWS", 1000)
EXPORT_RETENTION_DAYS = _int_env("EXPORT_RETENTION_DAYS", 7)
EXPORT_MAX_ACTIVE_JOBS = _int_env("EXPORT_MAX_ACTIVE_JOBS", 3)
# Rows read and written per query by a background export; progress is recorded after each.
EXPORT_CHUNK_ROWS = _int_env("EXPORT_CHUNK_ROWS", 500)
# A running export job silent this long (no chunk written) has lost its worker: a second
# delivery of its task starts it again (exports/services/jobs.py). Longer than one chunk takes.
EXPORT_TAKEOVER_SECONDS = _int_env("EXPORT_TAKEOVER_SECONDS", 120)
# The public transparency page and open data (analytics/): a count below this is published as
# "fewer than N", and a rate only over at least N (docs/dashboards.md).
OPEN_DATA_MIN_COUNT = _int_env("OPEN_DATA_MIN_COUNT", 10)
# The peers' counts behind officers' performance scores are kept this long for a period
# (analytics/services/peer_tables.py); the worker counts the usual periods every hour.
OFFICER_PEERS_MAX_AGE_SECONDS = _int_env("OFFICER_PEERS_MAX_AGE_SECONDS", 3600)

# --- API ------------------------------------------------------------------------------------
# Open311: how long the anonymous public list of requests is kept and reused (0: never).
OPEN311_PUBLIC_CACHE_SECONDS = _int_env("OPEN311_PUBLIC_CACHE_SECONDS", 60)
# Citizens' tokens last this many days; staff tokens this many hours (like a staff session).
API_TOKEN_DAYS = _int_env("API_TOKEN_DAYS", 90)
API_STAFF_TOKEN_HOURS = _int_env("API_STAFF_TOKEN_HOURS", 12)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "citizen_portal.api.authentication.BearerTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "citizen_portal.api.throttling.PerTokenThrottle",
        "citizen_portal.api.throttling.PerAddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_RATE_PER_TOKEN", "300/min"),
        "address": os.environ.get("API_RATE_PER_ADDRESS", "600/min"),
        "code": os.environ.get("API_RATE_CODES", "10/hour"),
        # Logins (verify, staff) per client address, and writes (lodge, answer, feedback)
        # per token, on top of the per-token rate that all requests share.
        "login": os.environ.get("API_RATE_LOGINS", "30/min"),
        "token_write": os.environ.get("API_RATE_WRITES_PER_TOKEN", "30/min"),
        # Open311: reads per client address, posts per partner key.
        "open311": os.environ.get("OPEN311_RATE_READS", "120/min"),
        "open311_post": os.environ.get("OPEN311_RATE_POSTS", "60/min"),
    },
    "EXCEPTION_HANDLER": "citizen_portal.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Citizen Portal API",
    "DESCRIPTION": "Version 1: citizens' complaints, officers' work, reference data.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Logging --------------------------------------------------------------------------------
# LOG_FORMAT=json gives one JSON object per line (production); "text" is for people.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "citizen_portal.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    # Adds `request_id` to every line written while a request is served (core/request_id.py).
    "filters": {"request_id": {"()": "citizen_portal.core.request_id.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Given a handler here so that run_huey does not add a second one of its own.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Monitoring (core/metrics/, docs/operators.md "Monitoring") ----------------------------
# /metrics answers these client addresses or networks (REMOTE_ADDR), and any client sending
# "Authorization: Bearer <METRICS_TOKEN>" when a token is set; everyone else gets 404.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# A worker on a machine without a web server serves its own metrics on this port (0: off).
METRICS_WORKER_PORT = _int_env("METRICS_WORKER_PORT", 0)
METRICS_WORKER_ADDR = os.environ.get("METRICS_WORKER_ADDR", "127.0.0.1")

# --- Helpline (citizen_portal/helpline/) -----------------------------------------------------
# Per call-centre agent, per hour: searches for a caller by mobile or document number (each
# one recorded in helpline.HelplineLookup), and registration codes sent to callers' phones.
# The one-time-code limits per number (OTP_*) apply as well; the per-address limit does not,
# since a whole call centre shares one address.
HELPLINE_LOOKUPS_PER_HOUR = int(os.environ.get("HELPLINE_LOOKUPS_PER_HOUR", "60"))
HELPLINE_CODES_PER_HOUR = int(os.environ.get("HELPLINE_CODES_PER_HOUR", "20"))
