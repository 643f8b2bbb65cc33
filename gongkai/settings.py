"""Settings, read from the environment through small typed helpers that reject bad values.

DATABASE_URL   PostgreSQL in production (postgres://user:pass@host:5432/name); unset means
               SQLite in $GONGKAI_DATA_DIR/gongkai.sqlite3.
GONGKAI_DATA_DIR  where SQLite, uploads and the generated secret key live (default ./var);
               created 0700, its files 0600 (the entry points also set the umask to 077).
SECRET_KEY     generated on first run and stored in $GONGKAI_DATA_DIR/secret_key when unset;
               several app servers must be given the same one (sessions, CSRF, signed links).
ALLOWED_HOSTS  comma-separated (default: localhost names).
DEBUG          "1"/"true" to turn on; off by default.
GONGKAI_HTTPS  "1" when the site is served over HTTPS (as it must be in production): HSTS, redirect
               to HTTPS, Secure cookies (docs/operations.md).
GONGKAI_BEHIND_PROXY  "1" when a reverse proxy (nginx…) forwards the requests: the client's address
               is the last of X-Forwarded-For, and with GONGKAI_HTTPS the proxy's
               X-Forwarded-Proto: https marks a request as secure.
GONGKAI_HSTS_SECONDS  HSTS max-age with GONGKAI_HTTPS (default 31536000, one year).
GONGKAI_HSTS_PRELOAD  "1" to ask browsers to preload HSTS for the whole domain (off by default).
GONGKAI_PASSWORD_MIN_LENGTH (10), GONGKAI_PASSWORD_MIN_CLASSES (3 of upper/lower/digit/symbol),
GONGKAI_PASSWORD_MAX_AGE_DAYS (90; 0 = never)  the password policy.
GONGKAI_LOGIN_FAILURE_LIMIT (5), GONGKAI_LOCKOUT_MINUTES (30), GONGKAI_LOCKOUT_BY
               ("username,ip_address": each counted apart)  login lockout (django-axes).
GONGKAI_SESSION_IDLE_MINUTES (30), GONGKAI_SESSION_MAX_HOURS (12)  session timeouts.
GONGKAI_API_TOKEN_MAX_DAYS (365)  the longest life of an API token.
GONGKAI_ADMIN_2FA (on)  the system administrators confirm a TOTP code before 系统管理 and 审计记录.
GONGKAI_IDEMPOTENCY_HOURS  how long an API `Idempotency-Key` is remembered (default 24).
GONGKAI_API_CHECK_RESPONSES  check every application the API answers against its response schema
               before sending it (default: with DEBUG; the test settings turn it on).
GONGKAI_ATTACHMENT_MAX_BYTES  largest attachment accepted (default 20 MB).
GONGKAI_CACHE_URL  the cache shared by every app server (rate-limit counters, the 专栏's pages):
               memcached://host:port, redis://host:port/db, "database" (a table of the app's
               database) or "file" (a folder of this server); unset, "database" with DATABASE_URL,
               else "file" (docs/scaling.md, decision MS-2).
DATABASE_REPLICA_URL  a read-only PostgreSQL replica of DATABASE_URL: the views marked for it
               (reports, ledgers, exports) read there (gongkai.db_router, decision MS-3).
GONGKAI_MEDIA_ROOT  the folder of uploaded and generated files (default $GONGKAI_DATA_DIR/media); with
               several app servers, a folder they all mount (NFS), or GONGKAI_STORAGE=s3.
GONGKAI_STORAGE  "filesystem" (default: GONGKAI_MEDIA_ROOT) or "s3": an S3-compatible object store
               (MinIO, 华为云 OBS, 阿里云 OSS, Ceph…) through django-storages, set by
               GONGKAI_S3_BUCKET, GONGKAI_S3_ENDPOINT_URL, GONGKAI_S3_ACCESS_KEY_ID,
               GONGKAI_S3_SECRET_ACCESS_KEY, GONGKAI_S3_REGION, GONGKAI_S3_PREFIX (decision MS-4).
GONGKAI_APPLY_RATE (10/h), GONGKAI_TRACK_FAIL_RATE (20/h), GONGKAI_TRACK_FAIL_RATE_PER_NUMBER (5/h)
               online applications per address; failed status lookups per address and per number.
GONGKAI_RECEIPT_CONFIRM_DAYS  a receipt date more than this many days ago must be confirmed at
               registration or correction (form checkbox, API `confirm_old_received_on`); default
               60 (gongkai.domain.plausibility.OLD_RECEIPT_DAYS, docs/decisions.md I-3).
GONGKAI_EMAIL_BACKEND  Django e-mail backend for the reminders of `gongkai notify` (default: the
               console backend, which prints them; "smtp" is short for Django's SMTP backend).
GONGKAI_EMAIL_HOST, GONGKAI_EMAIL_PORT (25), GONGKAI_EMAIL_HOST_USER, GONGKAI_EMAIL_HOST_PASSWORD,
GONGKAI_EMAIL_USE_TLS (off), GONGKAI_DEFAULT_FROM_EMAIL  the SMTP server and the sender address.
GONGKAI_SITE_URL  the site's address (https://gk.example.gov.cn) put before the links in e-mails.
GONGKAI_REMIND_DUE_DAYS  reminders go this many days before a due date: working days before an
               application's reply is due, calendar days before a periodic or annual report (3).
GONGKAI_SMS_BACKEND  SMS to applicants at receipt, 补正, fee, extension and reply: dotted path of a
               class with send(phone, text); empty (default) sends none. E-mail to applicants uses
               the GONGKAI_EMAIL_* settings above.
GONGKAI_CORRECTION_WORKDAYS  the 补正 notice gives the applicant this many working days after its
               date to correct (15; a notice may set its own, 1 to 60).
GONGKAI_TASK_BACKEND  where background jobs (the 审核批次 of 监督保障) run: "database" (a queue in the
               app's own database, run by `gongkai manage db_worker`; the default with
               DATABASE_URL) or "immediate" (inline, in the request; the default on SQLite, the demo
               and the tests). docs/operations.md "Background jobs".
GONGKAI_AUDIT_MAX_BYTES  the largest 审核批次 upload, all files together (default 256 MB).
GONGKAI_LEDGER_IMPORT_JOB_BYTES  a ledger .xlsx larger than this is checked and imported as a
               background job (default 512 KB, some 5,000 rows); smaller ones in the request.
GONGKAI_LEDGER_EXPORT_JOB_ROWS  an .xlsx export of more rows is made by a background job and
               downloaded from its page (default 10,000); the .csv export always streams.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"环境变量 {name} 应为 true/false，实际为 {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"环境变量 {name} 应为整数，实际为 {value!r}") from exc


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR") or Path.cwd() / "var").resolve()


def _private(path: Path, mode: int) -> None:
    """Tighten a file or folder of the data directory to `mode` (0600/0700) when it is ours and
    open to others, e.g. created by an older version (GB/T 22239-2019 8.1.4.8 数据保密性)."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(mode)
    except OSError:
        pass  # not ours, or gone: leave it to the operator


def _private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (whatever the umask); else tighten."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        _private(path, 0o600)


# Everything the app keeps (database, uploads, published reports, letters, the secret key) lives
# here, readable by the app's own user only: folders 0700, files 0600 (docs/decisions.md C-6).
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
_private(DATA_DIR, 0o700)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if path.exists():
        _private(path, 0o600)
        return path.read_text("utf-8").strip()
    key = secrets.token_urlsafe(50)
    _private_file(path)
    path.write_text(key, "utf-8")
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",  # the database queue of django-tasks (docs/decisions.md AU-WEB-1)
    "gongkai.audit",
    "gongkai.accounts",
    "gongkai.cases",
    "gongkai.disclosure",
    "gongkai.reports",
    "gongkai.portal",  # the public 专栏, above cases, disclosure and reports
    "gongkai.supervision",  # 监督保障, above cases, disclosure, reports and portal
    "gongkai.demo",  # no models: `manage.py load_demo`, above the apps
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their cache lifetime), before everything that can answer.
    "gongkai.cache_control.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.accounts.middleware.IdleTimeoutMiddleware",
    "gongkai.accounts.middleware.AdminSecondFactorMiddleware",
    "gongkai.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=60))
        # No JIT: the pages' queries take milliseconds, but a LIMIT over an index walk is costed
        # high enough to trigger compilation, which alone took 1.2 s (docs/decisions.md LS-4).
        options = dict(database.get("OPTIONS") or {})  # type: ignore[call-overload]
        options["options"] = (str(options.get("options", "")) + " -c jit=off").strip()
        database["OPTIONS"] = options
        return database
    # SQLite would create the file with the process's umask (often 0644); an empty file is an
    # empty database, and its journal and WAL files take the database file's mode.
    path = DATA_DIR / "gongkai.sqlite3"
    _private_file(path)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Writers wait for each other instead of failing with "database is locked".
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


DATABASES: dict[str, dict[str, Any]] = {"default": _database()}
# A read-only replica (PostgreSQL streaming replication) for the views that only read reports and
# ledgers; gongkai.db_router sends them there and everything else to "default" (decision MS-3).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dict(
        dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    )
    # The tests read the replica as the primary itself (no second test database is created).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["gongkai.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 身份鉴别 (GB/T 22239-2019 8.1.4.1, decisions S-3…S-6): complexity, age, lockout, idle timeout.
PASSWORD_MIN_LENGTH = env_int("GONGKAI_PASSWORD_MIN_LENGTH", 10)
PASSWORD_MIN_CLASSES = env_int("GONGKAI_PASSWORD_MIN_CLASSES", 3)
GONGKAI_PASSWORD_MAX_AGE_DAYS = env_int("GONGKAI_PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "gongkai.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "gongkai.accounts.passwords.PasswordChangeRecorder"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("GONGKAI_LOCKOUT_MINUTES", 30))
# Per account (password guessing against one user) and per address (one address trying many
# users); a success resets both counters. An office behind one NAT address that locks itself
# out may set GONGKAI_LOCKOUT_BY=username (decision S-4).
AXES_LOCKOUT_PARAMETERS = env_list("GONGKAI_LOCKOUT_BY", ["username", "ip_address"])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "gongkai.audit.services.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # gongkai.accounts.admin registers them, audited
AXES_DISABLE_ACCESS_LOG = True  # logins are in gongkai's own audit trail

GONGKAI_SESSION_IDLE_MINUTES = env_int("GONGKAI_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("GONGKAI_SESSION_MAX_HOURS", 12) * 3600
# Sessions are rows of the database (Django's default, stated here because it matters): any app
# server answers any request of a logged-in user; `gongkai manage clearsessions` removes the
# expired ones (docs/scaling.md, decision MS-1).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# A second factor (TOTP, django-otp) for the three system administrators before 系统管理 and the
# audit log (GB/T 22239-2019 8.1.4.1 d); decision S-6). `gongkai demo` turns it off.
GONGKAI_ADMIN_2FA = env_bool("GONGKAI_ADMIN_2FA", True)
OTP_TOTP_ISSUER = "gongkai 政府信息公开"

# API tokens live at most this long (create_api_token --expires may ask for less).
GONGKAI_API_TOKEN_MAX_DAYS = env_int("GONGKAI_API_TOKEN_MAX_DAYS", 365)

LANGUAGE_CODE = "zh-hans"
# The UI is Chinese only: a browser asking for English still gets Django's messages in Chinese.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"

# E-mail of the reminders (`gongkai notify`, docs/supervision.md "Reminders"). Unset, mail is
# printed on the console: the demo and a fresh install never try to reach a mail server.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS.get(
    os.environ.get("GONGKAI_EMAIL_BACKEND") or "console",
    os.environ.get("GONGKAI_EMAIL_BACKEND") or _EMAIL_BACKENDS["console"],
)
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GONGKAI_EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_DEFAULT_FROM_EMAIL", "gongkai@localhost")
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "")
GONGKAI_REMIND_DUE_DAYS = env_int("GONGKAI_REMIND_DUE_DAYS", 3)
# 补正期限 printed in the notice: this many working days after it (条例第三十条 leaves the length to
# the office; 15 working days is common local practice, docs/decisions.md LN-2).
GONGKAI_CORRECTION_WORKDAYS = env_int("GONGKAI_CORRECTION_WORKDAYS", 15)
# Notices to applicants by SMS: the dotted path of a class with send(phone, text) (none built in for
# a provider; gongkai.cases.applicant_notices.ConsoleSmsBackend prints). Empty: no SMS.
GONGKAI_SMS_BACKEND = os.environ.get("GONGKAI_SMS_BACKEND", "")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from the finders (WHITENOISE_USE_FINDERS) and only wants the folder to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT") or DATA_DIR / "media").resolve()


def _file_storage() -> dict[str, Any]:
    """Where uploads, letters, published reports and audit batches are kept. Every read and write
    goes through Django's storage API (default_storage, FileField), so that several app servers
    share one store: a mounted folder, or an S3-compatible object store (decision MS-4)."""
    kind = os.environ.get("GONGKAI_STORAGE") or "filesystem"
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ValueError(f"环境变量 GONGKAI_STORAGE 应为 filesystem 或 s3，实际为 {kind!r}")
    bucket = os.environ.get("GONGKAI_S3_BUCKET")
    if not bucket:
        raise ValueError("GONGKAI_STORAGE=s3 时须设置 GONGKAI_S3_BUCKET")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("GONGKAI_S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("GONGKAI_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("GONGKAI_S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("GONGKAI_S3_REGION") or None,
        "location": os.environ.get("GONGKAI_S3_PREFIX", ""),
        # Private objects, read only through the app (its access checks and audit entries):
        # no public ACL, no overwriting a name another upload took.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "signature_version": "s3v4",
        # MinIO and most private deployments answer on one host: bucket in the path.
        "addressing_style": os.environ.get("GONGKAI_S3_ADDRESSING", "path"),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _file_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Every file saved through the storage (attachments, letters, published and prior reports) is
# 0600 and every folder it creates 0700, whatever the umask of the server.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file: in the data
# folder (0700), not the system's /tmp, so an upload never leaves it.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(mode=0o700, exist_ok=True)
_private(FILE_UPLOAD_TEMP_DIR, 0o700)
# A 审核批次 may be many report files in one form (a zip is better past a few hundred).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
AUDIT_MAX_BYTES = env_int("GONGKAI_AUDIT_MAX_BYTES", 256 * 1024 * 1024)

# 台账 import and export: above these the work is a background job (decision IM-2).
LEDGER_IMPORT_JOB_BYTES = env_int("GONGKAI_LEDGER_IMPORT_JOB_BYTES", 512 * 1024)
LEDGER_EXPORT_JOB_ROWS = env_int("GONGKAI_LEDGER_EXPORT_JOB_ROWS", 10_000)

# Uploads: the letter, ID copies and replies attached to an application.
ATTACHMENT_MAX_BYTES = env_int("GONGKAI_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Registration: a receipt older than this is confirmed by the user (docs/decisions.md I-3).
RECEIPT_CONFIRM_DAYS = env_int("GONGKAI_RECEIPT_CONFIRM_DAYS", 60)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# POST /api/applications: a retry with the same Idempotency-Key within this time is answered
# with the first registration (gongkai.cases.idempotency).
IDEMPOTENCY_KEY_HOURS = env_int("GONGKAI_IDEMPOTENCY_HOURS", 24)
if IDEMPOTENCY_KEY_HOURS < 1:
    raise ValueError("环境变量 GONGKAI_IDEMPOTENCY_HOURS 应为正整数")

# The API's answers are checked against their schemas in development and in every test
# (docs/decisions.md A-1); in production they are only written, as fast as the old API.
API_CHECK_RESPONSES = env_bool("GONGKAI_API_CHECK_RESPONSES", DEBUG)


# Background jobs (django-tasks): the 审核批次 of 监督保障 run as a job. With PostgreSQL (production)
# the job is a row of the app's own database that `gongkai manage db_worker` takes and runs; on
# SQLite (the demo, the tests) it runs inline, at once (docs/decisions.md AU-WEB-1).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
GONGKAI_TASK_BACKEND = os.environ.get("GONGKAI_TASK_BACKEND") or (
    "database" if os.environ.get("DATABASE_URL") else "immediate"
)
if GONGKAI_TASK_BACKEND not in _TASK_BACKENDS:
    raise ValueError(
        f"环境变量 GONGKAI_TASK_BACKEND 应为 database 或 immediate，实际为 {GONGKAI_TASK_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[GONGKAI_TASK_BACKEND]}}


# The cache holds the public side's rate-limit counters (django-ratelimit) and the 专栏's pages
# (gongkai.portal.cache, cleared by a new token on publication). Every app server must see the same
# cache, or a server keeps serving a page another cleared and each counts its own limits:
# GONGKAI_CACHE_URL=memcached://host:11211, redis://host:6379 or "database" (the table
# `gongkai_cache` of the app's own database, made after every migrate). Unset: "database" with
# DATABASE_URL (PostgreSQL: the production setup, shared by construction), else a file cache under
# GONGKAI_DATA_DIR shared by the workers of one server (docs/decisions.md PA-4, PG-7, MS-2).
# Sessions are rows of the database (SESSION_ENGINE above), not cache entries, and django-axes
# and django-otp keep their state in the database: none of them depends on this choice.
CACHE_TABLE = "gongkai_cache"


def _cache() -> dict[str, Any]:
    url = os.environ.get("GONGKAI_CACHE_URL", "") or (
        "database" if os.environ.get("DATABASE_URL") else "file"
    )
    if url.startswith("memcached://"):
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": url.removeprefix("memcached://"),
        }
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "database":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    if url == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    raise ValueError(
        "环境变量 GONGKAI_CACHE_URL 应以 memcached:// 或 redis:// 开头，或为 database、file"
    )


CACHES = {"default": _cache()}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "gongkai.portal.apply_views.rate_limited"
# Online applications per client address, and failed status lookups per address and per tracking
# number (django-ratelimit rates: "count/s|m|h|d"). The bench raises them (bench/portal_apply.py).
# The address is the audit log's (gongkai.audit.services.client_ip: behind a proxy with
# GONGKAI_BEHIND_PROXY, the last X-Forwarded-For entry).
GONGKAI_APPLY_RATE = os.environ.get("GONGKAI_APPLY_RATE", "10/h")
GONGKAI_TRACK_FAIL_RATE = os.environ.get("GONGKAI_TRACK_FAIL_RATE", "20/h")
GONGKAI_TRACK_FAIL_RATE_PER_NUMBER = os.environ.get("GONGKAI_TRACK_FAIL_RATE_PER_NUMBER", "5/h")
# A local-memory, file or database cache is refused by django-ratelimit's check as not shared or
# not atomic; a race may let a client a request or two past a limit, which these limits tolerate
# (they stop floods, not the tenth request exactly; PA-4, MS-2).
SILENCED_SYSTEM_CHECKS: list[str] = []
if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "FileBasedCache", "DatabaseCache")):
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
elif CACHES["default"]["BACKEND"].endswith("RedisCache"):
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]  # Django's own Redis cache: atomic incr

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: forms carry the token
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # addresses carry application numbers: none leave the site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Transport (GB/T 22239-2019 8.1.4.7 数据完整性 / 8.1.4.8 数据保密性: 采用密码技术保证重要数据在传输
# 过程中的完整性和保密性). TLS ends at the server or at its reverse proxy; these make the browser
# keep to it. Off by default so that `gongkai demo` works on http://127.0.0.1.
GONGKAI_HTTPS = env_bool("GONGKAI_HTTPS")
GONGKAI_BEHIND_PROXY = env_bool("GONGKAI_BEHIND_PROXY")
if GONGKAI_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole registrable domain (e.g. every host under nanyang.gov.cn) for
    # good; only the domain's owner can decide it, so it is opt-in and its check silenced when
    # off (decision O-2).
    SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if GONGKAI_BEHIND_PROXY:
        # Only behind a proxy that sets (and overwrites) this header; see docs/operations.md.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): only the site's own scripts, styles, images and fonts;
# no inline script at all; an inline <style> only with the request's nonce (the report page's
# column widths). GB/T 22239-2019 8.1.4.4 (入侵防范): limits what injected markup could do.
# docs/decisions.md O-4.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
