"""What several app servers share, as the settings choose it (docs/scaling.md): the cache, the
file storage, the replica router. Settings are read in a fresh interpreter with the environment
given, as a server starts; the router is exercised in this one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import transaction

from gongkai import db_router
from gongkai import settings as gongkai_settings
from gongkai.cases.models import Application
from gongkai.db_router import ReplicaRouter, replica_reads, replica_view

ROOT = Path(__file__).resolve().parents[2]
PRINT = """
import json
from gongkai import settings
print(json.dumps({
    "databases": sorted(settings.DATABASES),
    "replica_host": settings.DATABASES.get("replica", {}).get("HOST"),
    "routers": settings.DATABASE_ROUTERS,
    "media": str(settings.MEDIA_ROOT),
}, default=str))
"""


def test_one_server_on_sqlite_keeps_the_file_cache_and_the_media_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("DATABASE_URL", "GONGKAI_CACHE_URL", "GONGKAI_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    assert gongkai_settings._cache()["BACKEND"].endswith("FileBasedCache")
    assert gongkai_settings._file_storage()["BACKEND"].endswith("FileSystemStorage")
    assert gongkai_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_postgresql_shares_the_cache_through_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONGKAI_CACHE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/gk")
    cache = gongkai_settings._cache()
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "gongkai_cache"
    monkeypatch.setenv("GONGKAI_CACHE_URL", "redis://cache.example:6379/1")
    assert gongkai_settings._cache()["BACKEND"].endswith("RedisCache")
    monkeypatch.setenv("GONGKAI_CACHE_URL", "file")
    assert gongkai_settings._cache()["BACKEND"].endswith("FileBasedCache")
    monkeypatch.setenv("GONGKAI_CACHE_URL", "mongodb://x")
    with pytest.raises(ValueError, match="GONGKAI_CACHE_URL"):
        gongkai_settings._cache()


def test_s3_storage_from_the_environment_builds_a_signed_private_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("GONGKAI_STORAGE", "s3")
    monkeypatch.setenv("GONGKAI_S3_BUCKET", "gongkai-files")
    monkeypatch.setenv("GONGKAI_S3_ENDPOINT_URL", "http://minio.example:9000")
    monkeypatch.setenv("GONGKAI_S3_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("GONGKAI_S3_SECRET_ACCESS_KEY", "secret")
    found = gongkai_settings._file_storage()
    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["OPTIONS"]
    assert options["default_acl"] is None and options["file_overwrite"] is False
    # The options build the backend (no network call); a private object's URL is signed.
    url = S3Storage(**options).url("reports/2025/a.pdf")
    assert url.startswith("http://minio.example:9000/gongkai-files/reports/2025/a.pdf?")
    assert "X-Amz-Signature=" in url


def test_s3_without_a_bucket_and_unknown_storages_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GONGKAI_S3_BUCKET", raising=False)
    monkeypatch.setenv("GONGKAI_STORAGE", "s3")
    with pytest.raises(ValueError, match="GONGKAI_S3_BUCKET"):
        gongkai_settings._file_storage()
    monkeypatch.setenv("GONGKAI_STORAGE", "ftp")
    with pytest.raises(ValueError, match="GONGKAI_STORAGE"):
        gongkai_settings._file_storage()


def test_a_server_started_with_a_replica_and_a_shared_media_folder(tmp_path: Path) -> None:
    """Module-level settings, read as a server reads them: in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE"))}
    env = clean | {
        "GONGKAI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "DATABASE_URL": "postgres://u@primary.example/gk",
        "DATABASE_REPLICA_URL": "postgres://u@replica.example/gk",
        "GONGKAI_MEDIA_ROOT": str(tmp_path / "nfs"),
    }
    result = subprocess.run([sys.executable, "-c", PRINT], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["databases"] == ["default", "replica"]
    assert found["replica_host"] == "replica.example"
    assert found["routers"] == ["gongkai.db_router.ReplicaRouter"]
    assert found["media"] == str(tmp_path / "nfs")


# ---------------------------------------------------------------- the router

router = ReplicaRouter()


@pytest.fixture
def with_replica():
    with mock.patch.object(db_router, "replica_configured", return_value=True):
        yield


def test_reads_go_to_the_primary_unless_marked(with_replica: None) -> None:
    assert router.db_for_read(Application) == "default"
    with replica_reads():
        assert router.db_for_read(Application) == "replica"
    assert router.db_for_read(Application) == "default"


def test_sessions_and_accounts_are_never_read_on_the_replica(with_replica: None) -> None:
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    from gongkai.accounts.models import Membership

    with replica_reads():
        for model in (Session, User, Membership):
            assert router.db_for_read(model) == "default", model


def test_after_a_write_the_request_reads_the_primary(with_replica: None) -> None:
    with replica_reads():
        assert router.db_for_write(Application) == "default"
        assert router.db_for_read(Application) == "default"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica: None) -> None:
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Application) == "default"


def test_without_a_replica_marking_changes_nothing() -> None:
    with replica_reads():
        assert router.db_for_read(Application) == "default"


def test_the_replica_is_never_migrated() -> None:
    assert router.allow_migrate("replica", "cases") is False
    assert router.allow_migrate("default", "cases") is True


def test_a_marked_view_reads_the_replica_for_get_only(with_replica: None) -> None:
    from django.test import RequestFactory

    seen = []

    def view(request):  # type: ignore[no-untyped-def]
        seen.append(router.db_for_read(Application))
        return None

    marked = replica_view(view)
    marked(RequestFactory().get("/"))
    marked(RequestFactory().post("/"))
    assert seen == ["replica", "default"]
