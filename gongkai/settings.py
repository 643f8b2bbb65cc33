"""Settings, read from the environment through small typed helpers that reject bad values.

DATABASE_URL   PostgreSQL in production (postgres://user:pass@host:5432/name); unset means
               SQLite in $GONGKAI_DATA_DIR/gongkai.sqlite3.
GONGKAI_DATA_DIR  where SQLite, uploads and the generated secret key live (default ./var).
SECRET_KEY     generated on first run and stored in $GONGKAI_DATA_DIR/secret_key when unset.
ALLOWED_HOSTS  comma-separated (default: localhost names).
DEBUG          "1"/"true" to turn on; off by default.
GONGKAI_HTTPS  "1" when users reach the site only over HTTPS (directly or through a proxy that
               terminates TLS): HSTS for a year with subdomains, redirect of plain HTTP, Secure
               session and CSRF cookies. Off by default (the demo and a plain-HTTP intranet).
GONGKAI_HSTS_SECONDS  max-age of the HSTS header when GONGKAI_HTTPS is on (default 31536000,
               one year; start lower, e.g. 300, while trying HTTPS out: browsers remember it).
GONGKAI_BEHIND_PROXY  "1" when a reverse proxy (nginx…) forwards every request: the client's
               address is the last one of X-Forwarded-For (audit log, lockout) and, with
               GONGKAI_HTTPS, a request counts as HTTPS when X-Forwarded-Proto is "https". The proxy
               must set both headers itself (docs/operations.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text("utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, "utf-8")
    path.chmod(0o600)
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
    "csp",
    "gongkai.audit",
    "gongkai.accounts",
    "gongkai.cases",
    "gongkai.disclosure",
    "gongkai.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "gongkai.sqlite3",
        # Writers wait for each other instead of failing with "database is locked".
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
# The UI is Chinese only: a browser asking for English still gets Django's messages in Chinese.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from the finders (WHITENOISE_USE_FINDERS) and only wants the folder to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Uploads: the letter, ID copies and replies attached to an application.
ATTACHMENT_MAX_BYTES = env_int("GONGKAI_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------- deployment (docs/operations.md)
# GB/T 22239-2019 8.1.2.2 (通信传输) and 8.1.4.8 a) (数据保密性): cryptography protects data in
# transit. Django's deployment checklist (`check --deploy`) names the settings; the choices are
# docs/decisions.md O-1 to O-3.
GONGKAI_HTTPS = env_bool("GONGKAI_HTTPS")
GONGKAI_BEHIND_PROXY = env_bool("GONGKAI_BEHIND_PROXY")
if GONGKAI_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if GONGKAI_BEHIND_PROXY:
        # Trusted only because the proxy overwrites the header on every request.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload is a decision for the owner of the registrable domain (the preload list takes
# the apex and every subdomain, e.g. all of example.gov.cn), not for one application on one host.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: forms carry the token
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # addresses carry application numbers: none leave the site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
