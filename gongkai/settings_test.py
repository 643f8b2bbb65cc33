"""Settings for the test suite: everything the tests write goes to a temporary folder."""

import os
import tempfile

os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-test-"))

from gongkai.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not memory, so that tests with several threads (concurrent registration) share it.
if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# Django's test client logs in without a request (Client.login → authenticate(**credentials)),
# which django-axes refuses; the lockout tests (tests/accounts/test_lockout.py) turn it on.
AXES_ENABLED = False
API_CHECK_RESPONSES = True  # every API answer checked against its response schema
# The administrators' second factor is tested in tests/accounts/test_second_factor.py.
GONGKAI_ADMIN_2FA = False

# Memory, not files: tests/conftest.py empties it before each test (the database is rolled back
# after each; a cached page or a counter must not outlive it).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs run inline, on SQLite and PostgreSQL alike; the database queue and its worker
# are tested with override_settings (tests/supervision/test_audit_batches.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
