"""Backup and restore of a whole installation: every app's rows and the files they point to, in
one zip file (GB/T 22239-2019 8.1.4.9 数据备份恢复 a): local backup and restore of important data).

The file (mode 0600) holds

- `data.jsonl`: every row of every model, one JSON object a line (Django's JSON Lines
  serialization, the same on SQLite and PostgreSQL), read in one snapshot: a REPEATABLE READ,
  READ ONLY transaction on PostgreSQL, a write-locked transaction on SQLite (BEGIN IMMEDIATE).
  Users are referred to by name and permissions by their natural key, so the content types and
  permissions that `migrate` creates need not have the same ids on the restored side.
- `media/…`: each file a row of the snapshot points to (attachments, letters, published report
  files, prior reports). Those files are written once and never changed, so reading them after
  the snapshot still gives the snapshot's files.
- `manifest.json`: the format and its version, the program's version, the migration state, the
  number of rows per model and the size and SHA-256 of every member.

A restore checks the whole file against its manifest and its migrations against the program's
before it writes anything, and writes only into an empty database and an empty media folder:
`migrate`, then the rows, the files and the RESTORE audit entry in one transaction. Whatever
fails, the database keeps no restored row and the media folder no restored file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media/"
# Rebuilt by `migrate` on the restored side (content types, permissions, and the groups, which
# are exactly the three administrator roles that gongkai.accounts.system_roles keeps after every
# migrate; users keep their groups by name) or not worth keeping (sessions: everyone logs in
# again after a restore).
NOT_BACKED_UP = {"contenttypes.contenttype", "auth.permission", "auth.group", "sessions.session"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


@dataclass
class Outcome:
    path: Path
    size: int
    sha256: str
    counts: dict[str, int]
    files: int
    seconds: float
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


# ---------------------------------------------------------------- backup


def backup_create(path: Path, *, username: str = "") -> Outcome:
    """Write the backup of this installation to `path` (a new file, mode 0600)."""
    started = time.monotonic()
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} 已存在：请换一个文件名或先移走旧文件（备份不覆盖已有文件）")
    if not path.parent.is_dir():
        raise BackupError(f"目录 {path.parent} 不存在")
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)  # mkstemp creates it 0600; the archive is written to it by name
    try:
        with tempfile.TemporaryFile(dir=path.parent) as data:
            migrations, counts, files = _dump(data)
            data.seek(0)
            warnings = _write_archive(Path(partial), data, migrations, counts, files)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    outcome = Outcome(
        path, path.stat().st_size, _file_sha256(path), counts, len(files),
        time.monotonic() - started, warnings,
    )  # fmt: skip
    audit_record(
        AuditAction.BACKUP,
        username=username,
        object_type="backup",
        object_repr=path.name,
        detail={
            "file": str(path),
            "sha256": outcome.sha256,
            "bytes": outcome.size,
            "rows": outcome.rows,
            "files": outcome.files,
        },
    )
    return outcome


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the whole database for the time of the block."""
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql":
            # Must be the transaction's first statement: every query after it sees the same
            # snapshot, and no write can slip in (PostgreSQL docs, "Transaction Isolation").
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # SQLite: the settings open every transaction with BEGIN IMMEDIATE, which holds the
        # write lock until the block ends, so no writer commits in between.
        yield


def _dump(out: IO[bytes]) -> tuple[list[list[str]], dict[str, int], dict[str, str]]:
    """Rows as JSON Lines into `out`; the migration state, rows per model and the files the rows
    point to (storage name → the row, for messages)."""
    counts: dict[str, int] = {}
    files: dict[str, str] = {}
    text = _TextOut(out)
    with _snapshot():
        migrations = sorted(
            [row.app, row.name] for row in MigrationRecorder.Migration.objects.all()
        )
        for model in _models():
            label = model._meta.label_lower
            counts[label] = 0
            serializers.serialize(
                "jsonl",
                _rows(model, counts, files),
                stream=text,
                use_natural_foreign_keys=True,
                cls=_Encoder,
            )
    return migrations, counts, files


def _models() -> list[type[models.Model]]:
    """Every concrete, managed model, those others refer to by natural key first."""
    app_list = [
        (config, [m for m in config.get_models() if _backed_up(m)])
        for config in apps.get_app_configs()
    ]
    return list(serializers.sort_dependencies(app_list, allow_cycles=True))


def _backed_up(model: type[models.Model]) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and meta.label_lower not in NOT_BACKED_UP


def _rows(
    model: type[models.Model], counts: dict[str, int], files: dict[str, str]
) -> Iterator[models.Model]:
    label = model._meta.label_lower
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    # The base manager: a default manager that hides rows (voided, inactive) must not drop them.
    rows = model._base_manager.order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        counts[label] += 1
        for file_field in file_fields:
            name = getattr(row, file_field.attname)
            if name:
                files.setdefault(str(name), f"{label} #{row.pk}")
        yield row


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps them whole."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _TextOut:
    """The text stream the serializer writes to, encoded to UTF-8 into a binary file."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text.encode("utf-8"))
        return len(text)


def _write_archive(
    partial: Path,
    data: IO[bytes],
    migrations: list[list[str]],
    counts: dict[str, int],
    files: dict[str, str],
) -> list[str]:
    warnings: list[str] = []
    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        data_entry = _add(archive, DATA, data)
        for name in sorted(files):
            # Through the storage: the media folder, or the object store several servers share.
            try:
                with default_storage.open(name, "rb") as handle:
                    entry = _add(archive, MEDIA + name, handle)
            except FileNotFoundError:
                raise BackupError(f"文件缺失：{name}（{files[name]} 引用了它）") from None
            entry["name"] = name
            entries.append(entry)
        warnings.extend(_recorded_hash_mismatches(entries))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": _app_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "engine": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "data": data_entry,
            "files": entries,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return warnings


def _add(archive: zipfile.ZipFile, name: str, source: IO[bytes]) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return {"path": name, "bytes": size, "sha256": digest.hexdigest()}


def _recorded_hash_mismatches(entries: list[dict[str, Any]]) -> list[str]:
    """Files whose content no longer matches the SHA-256 their row recorded when stored
    (attachments, published report files): backed up as they are, and named."""
    actual = {entry["name"]: entry["sha256"] for entry in entries}
    found: list[str] = []
    for model in _models():
        names = {f.name for f in model._meta.concrete_fields}
        file_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        if "sha256" not in names or len(file_fields) != 1:
            continue
        for name, recorded in model._base_manager.values_list(file_fields[0], "sha256"):
            if name in actual and actual[name] != recorded:
                found.append(f"{name} 的内容与登记的哈希值不符（{model._meta.verbose_name}）")
    return found


def _app_version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- restore


def restore(path: Path, *, username: str = "") -> Outcome:
    """Restore the backup `path` into this installation's empty database and media folder."""
    started = time.monotonic()
    path = Path(path)
    _check_local_storage()
    archive_sha256 = _readable_sha256(path)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".gongkai-restore-"))
    try:
        # Everything is read and checked before the first write to the database or media.
        with _open_archive(path) as archive:
            manifest = _manifest(archive)
            _check_migrations(manifest)
            _extract(archive, manifest, staging)
        _check_counts(staging / DATA, manifest)
        _check_empty(media_root)
        call_command("migrate", interactive=False, verbosity=0)
        _check_empty(media_root)
        _load(staging, manifest, media_root, path, archive_sha256, username)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    counts: dict[str, int] = manifest["counts"]
    return Outcome(
        path, path.stat().st_size, archive_sha256, counts, len(manifest["files"]),
        time.monotonic() - started,
    )  # fmt: skip


def _readable_sha256(path: Path) -> str:
    try:
        return _file_sha256(path)
    except FileNotFoundError:
        raise BackupError(f"找不到备份文件 {path}") from None
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc.strerror}") from None


@contextmanager
def _open_archive(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, EOFError):
        raise BackupError("备份文件已损坏或不完整（不是完整的 zip 文件）") from None


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("这不是 gongkai 备份文件（缺少 manifest.json）") from None
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise BackupError("备份文件已损坏：manifest.json 无法读取") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("这不是 gongkai 备份文件（manifest.json 的格式标识不对）")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本 {manifest.get('format_version')!r} 不受支持，"
            f"本程序只能恢复版本 {FORMAT_VERSION} 的备份"
        )
    try:
        names = [manifest["data"]["path"]] + [MEDIA + f["name"] for f in manifest["files"]]
        paths = [manifest["data"]["path"]] + [f["path"] for f in manifest["files"]]
        dict(manifest["counts"])
        list(manifest["migrations"])
    except (KeyError, TypeError, ValueError):
        raise BackupError("备份文件已损坏：manifest.json 不完整") from None
    if names != paths or manifest["data"]["path"] != DATA:
        raise BackupError("备份文件已损坏：manifest.json 中的文件路径不一致")
    for name in paths[1:]:
        _safe_member(name)
    expected = {*paths, MANIFEST}
    present = set(archive.namelist())
    if present != expected:
        missing, extra = sorted(expected - present), sorted(present - expected)
        raise BackupError(
            "备份文件与其清单不符："
            + (f"缺少 {'、'.join(missing[:5])}" if missing else f"多出 {'、'.join(extra[:5])}")
        )
    return manifest


def _safe_member(name: str) -> None:
    """A media member must land inside the media folder (no absolute path, no '..')."""
    relative = PurePosixPath(name[len(MEDIA) :]) if name.startswith(MEDIA) else None
    if (
        relative is None
        or relative.is_absolute()
        or ".." in relative.parts
        or "\\" in name
        or not relative.parts
    ):
        raise BackupError(f"备份文件中有不安全的路径：{name}")


def _check_migrations(manifest: dict[str, Any]) -> None:
    """Rows load only into the schema they were read from: the same migrations, no more, no
    fewer (a backup of another version is restored with that version, then upgraded)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    ours = {(app, name) for app, name in graph.nodes}
    theirs = {(str(app), str(name)) for app, name in manifest["migrations"]}
    if ours != theirs:
        version = manifest.get("app_version", "?")
        missing = sorted(f"{a}.{n}" for a, n in theirs - ours)
        newer = sorted(f"{a}.{n}" for a, n in ours - theirs)
        what = (
            f"备份含本程序没有的迁移 {'、'.join(missing[:3])}"
            if missing
            else f"本程序有备份之后的迁移 {'、'.join(newer[:3])}"
        )
        raise BackupError(
            f"备份来自另一版本的 gongkai（{version}）：{what}。请用与备份相同的版本恢复，再升级"
        )


def _check_local_storage() -> None:
    """A restore places the files in the media folder, all or none (decision MS-4): with an object
    store it is restored into a local folder first, then copied to the bucket."""
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError(
            "恢复只写入本地媒体目录：请先以 GONGKAI_STORAGE=filesystem 恢复，"
            "再将媒体目录复制到对象存储（docs/scaling.md“备份”）"
        )


def _check_empty(media_root: Path) -> None:
    tables = set(connection.introspection.table_names())
    for model in _models():
        if model._meta.db_table in tables and model._base_manager.exists():
            raise BackupError(
                f"目标数据库不是空的（{model._meta.verbose_name}已有数据）："
                "恢复只写入空数据库，请换一个新的数据库或数据目录"
            )
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"媒体目录 {media_root} 不是空的：恢复只写入空目录，请换一个新的数据目录")


def _extract(archive: zipfile.ZipFile, manifest: dict[str, Any], staging: Path) -> None:
    """Every member to `staging`, checked against the manifest's size and SHA-256."""
    staging.chmod(0o700)
    entries = [manifest["data"], *manifest["files"]]
    for entry in entries:
        target = staging / PurePosixPath(entry["path"])
        _private_folders(staging, target.parent)
        digest = hashlib.sha256()
        size = 0
        try:
            with archive.open(entry["path"]) as member, _private(target) as out:
                while chunk := member.read(CHUNK):
                    size += len(chunk)
                    if size > entry["bytes"]:
                        break  # longer than recorded: stop before a bomb fills the disk
                    digest.update(chunk)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            # A damaged deflate stream raises zlib.error, a bad CRC BadZipFile.
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "数据损坏"
            raise BackupError(f"备份文件已损坏：{entry['path']} 无法读出（{reason}）") from None
        if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"备份文件已损坏：{entry['path']} 与清单中的哈希值不符")


def _private_folders(root: Path, folder: Path) -> None:
    """`folder` and every missing folder between it and `root`, each 0700 (mkdir(parents=True)
    would leave the intermediate ones to the umask)."""
    missing: list[Path] = []
    while folder != root and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)


@contextmanager
def _private(path: Path) -> Iterator[IO[bytes]]:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        yield out


def _check_counts(data: Path, manifest: dict[str, Any]) -> None:
    counts: Counter[str] = Counter()
    with data.open("rb") as lines:
        for line in lines:
            if line.strip():
                try:
                    counts[json.loads(line)["model"]] += 1
                except (ValueError, KeyError, TypeError):
                    raise BackupError("备份文件已损坏：数据中有无法读取的行") from None
    expected = {label: n for label, n in manifest["counts"].items() if n}
    if dict(counts) != expected:
        raise BackupError("备份文件已损坏：数据行数与清单不符")


def _load(
    staging: Path,
    manifest: dict[str, Any],
    media_root: Path,
    path: Path,
    archive_sha256: str,
    username: str,
) -> None:
    placed: list[Path] = []
    try:
        with transaction.atomic(durable=True):
            # loaddata: raw saves (no model save() logic, no signals acting on raw rows),
            # constraints checked at the end, PostgreSQL sequences reset past the loaded ids.
            call_command("loaddata", str(staging / DATA), verbosity=0)
            _check_loaded(manifest)
            _place(staging, manifest, media_root, placed)
            _check_references(media_root)
            audit_record(
                AuditAction.RESTORE,
                username=username,
                object_type="backup",
                object_repr=path.name,
                detail={
                    "file": str(path),
                    "sha256": archive_sha256,
                    "created_at": manifest.get("created_at"),
                    "app_version": manifest.get("app_version"),
                    "engine": manifest.get("engine"),
                    "rows": sum(manifest["counts"].values()),
                    "files": len(manifest["files"]),
                },
            )
    except BaseException as exc:
        for target in placed:
            target.unlink(missing_ok=True)
        _remove_empty_folders(media_root)
        if isinstance(exc, BackupError | KeyboardInterrupt):
            raise
        raise BackupError(f"载入数据失败，未写入任何数据：{exc}") from exc


def _check_loaded(manifest: dict[str, Any]) -> None:
    for model in _models():
        label = model._meta.label_lower
        expected = manifest["counts"].get(label, 0)
        if model._base_manager.count() != expected:
            raise BackupError(f"载入后 {label} 的行数与清单不符")


def _place(staging: Path, manifest: dict[str, Any], media_root: Path, placed: list[Path]) -> None:
    _private_folders(media_root.parent, media_root)
    for entry in manifest["files"]:
        target = media_root / PurePosixPath(entry["name"])
        _private_folders(media_root, target.parent)
        os.replace(staging / PurePosixPath(entry["path"]), target)
        placed.append(target)
        if _file_sha256(target) != entry["sha256"]:
            raise BackupError(f"恢复后的文件 {entry['name']} 与清单中的哈希值不符")


def _check_references(media_root: Path) -> None:
    """Every file a restored row points to is there."""
    for model in _models():
        for file_field in model._meta.concrete_fields:
            if not isinstance(file_field, models.FileField):
                continue
            names = model._base_manager.exclude(**{file_field.attname: ""}).values_list(
                file_field.attname, flat=True
            )
            for name in names.iterator():
                if name and not (media_root / name).is_file():
                    raise BackupError(f"备份中缺少文件 {name}")


def _remove_empty_folders(root: Path) -> None:
    if not root.exists():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
