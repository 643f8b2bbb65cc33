"""`gongkai backup FILE` and `gongkai restore FILE` (gongkai/backup.py).

The source is the demo installation (applications, registers, the bureau's published 2024 report
when Chromium is there to print it) plus an uploaded attachment and a generated letter. It is
backed up in this process; each restore runs the real command in a fresh process against an empty
installation: a new data folder, and on PostgreSQL a new database next to the test database
(`<name>_restore`). What the restored installation holds is read there by tests/backup/canonical.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from gongkai.audit.models import AuditEntry
from gongkai.cases.demo import load_demo
from gongkai.cases.models import Application, Attachment
from gongkai.cases.services import attachment_add
from gongkai.cli.main import main
from gongkai.disclosure.services import letter_generate, letter_kinds_for
from gongkai.reports.demo import load_register_demo, publish_demo_reports
from gongkai.reports.models import ReportVersionFile
from tests.backup.canonical import canonical_rows, media_hashes

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "gongkai.cli.main"]
# Tables that `migrate` fills by itself.
# `migrate` fills these: its own record, content types and permissions, and the three
# administrator groups with their permissions (gongkai.accounts.system_roles on post_migrate).
MIGRATE_FILLS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "sqlite_sequence",
}


class Target:
    """An empty installation to restore into."""

    def __init__(self, test: TransactionTestCase) -> None:
        self.data = Path(tempfile.mkdtemp(prefix="gongkai-restore-"))
        test.addCleanup(shutil.rmtree, self.data, ignore_errors=True)
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GONGKAI_", "DJANGO_", "DATABASE_URL"))
        }
        self.env = {**base, "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
        self.env["GONGKAI_DATA_DIR"] = str(self.data)
        self.url: str | None = None
        if connection.vendor == "postgresql":
            server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
            self.url = f"{server}/{name.split('?')[0]}_restore"
            self._recreate(server, f"{name.split('?')[0]}_restore")
            test.addCleanup(self._drop, server, f"{name.split('?')[0]}_restore")
            self.env["DATABASE_URL"] = self.url

    @staticmethod
    def _recreate(server: str, name: str) -> None:
        Target._drop(server, name)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')

    @staticmethod
    def _drop(server: str, name: str) -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*COMMAND, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )

    def inspect(self) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "tests.backup.canonical"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    def rows(self) -> dict[str, int]:
        """Rows in the target's tables, apart from those `migrate` fills."""
        if self.url is not None:
            with psycopg.connect(self.url) as db:
                tables = [
                    r[0]
                    for r in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                counts = {
                    t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
                }  # type: ignore[index]
        else:
            path = self.data / "gongkai.sqlite3"
            if not path.exists():
                return {}
            with contextlib.closing(sqlite3.connect(path)) as db:
                tables = [
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                counts = {
                    t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
                }
        return {t: n for t, n in counts.items() if n and t not in MIGRATE_FILLS}

    def media(self) -> dict[str, str]:
        return media_hashes(self.data / "media")

    def assertNothingWritten(self, test: TransactionTestCase) -> None:
        test.assertEqual(self.rows(), {})
        test.assertEqual(self.media(), {})
        test.assertEqual([p.name for p in self.data.glob(".gongkai-restore-*")], [])


def rewrite(
    source: Path, target: Path, change: Callable[[dict[str, Any], dict[str, bytes]], None]
) -> Path:
    """A copy of the backup `source` with its manifest and members changed by `change`."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    change(manifest, members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return target


def reseal(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
    """Make the manifest agree with changed members (sizes, hashes, rows per model)."""
    for entry in [manifest["data"], *manifest["files"]]:
        content = members[entry["path"]]
        entry["bytes"], entry["sha256"] = len(content), hashlib.sha256(content).hexdigest()
    counts = dict.fromkeys(manifest["counts"], 0)
    for line in members["data.jsonl"].splitlines():
        counts[json.loads(line)["model"]] += 1
    manifest["counts"] = counts


class BackupRestoreTests(TransactionTestCase):
    rows: ClassVar[dict[str, list[dict[str, Any]]]]
    media: ClassVar[dict[str, str]]
    version_files: ClassVar[dict[str, str]]
    backup_entries: ClassVar[list[dict[str, Any]]]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.source_media = tempfile.mkdtemp(prefix="gongkai-media-")
        cls.folder = Path(tempfile.mkdtemp(prefix="gongkai-backup-"))
        cls.file = cls.folder / "gongkai.zip"
        with override_settings(MEDIA_ROOT=cls.source_media):
            cls.make_source()
            cls.rows = canonical_rows()
            cls.media = media_hashes(Path(cls.source_media))
            cls.version_files = dict(ReportVersionFile.objects.values_list("file", "sha256"))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                cls.backup_status = main(["backup", str(cls.file)])
            cls.backup_output = out.getvalue()
            cls.backup_entries = list(
                AuditEntry.objects.filter(action="backup").values("username", "detail")
            )
        # The source has served its purpose: leave an empty database to the tests.
        call_command("flush", interactive=False, verbosity=0)

    @classmethod
    def make_source(cls) -> None:
        load_demo()
        load_register_demo()
        cls.published = publish_demo_reports()
        clerk = User.objects.get(username="clerk")
        reviewer = User.objects.get(username="reviewer")
        applications = Application.objects.filter(organisation__code="WCBGS").order_by("pk")
        attachment_add(
            actor=clerk,
            application=applications[0],
            name="申请书（扫描件）.pdf",
            content=b"%PDF-1.4\n% scanned letter\n%%EOF\n",
            kind=Attachment.Kind.values[0],
        )
        with_letter = next(a for a in applications if letter_kinds_for(a))
        letter_generate(
            actor=reviewer, application=with_letter, kind=letter_kinds_for(with_letter)[0][0]
        )

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.source_media, ignore_errors=True)
        shutil.rmtree(cls.folder, ignore_errors=True)
        super().tearDownClass()

    def manifest(self) -> dict[str, Any]:
        with zipfile.ZipFile(self.file) as archive:
            manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
            return manifest

    # ------------------------------------------------------------ the backup

    def test_the_backup_is_one_private_file_with_rows_files_and_a_manifest(self) -> None:
        self.assertEqual(self.backup_status, 0)
        self.assertIn("备份完成", self.backup_output)
        self.assertEqual(stat.S_IMODE(self.file.stat().st_mode), 0o600)
        manifest = self.manifest()
        self.assertEqual((manifest["format"], manifest["format_version"]), ("gongkai-backup", 1))
        self.assertIn(["cases", "0001_initial"], manifest["migrations"])
        self.assertEqual(manifest["engine"], connection.vendor)
        for label, rows in self.rows.items():
            self.assertEqual(manifest["counts"].get(label, 0), len(rows), label)
        self.assertGreater(manifest["counts"]["cases.application"], 30)
        files = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
        self.assertEqual(files, self.media)
        kinds = {name.split("/")[0] for name in files}
        self.assertEqual(kinds, {"attachments", "reports"} if self.published else {"attachments"})
        for name, sha256 in self.version_files.items():
            self.assertEqual(files[name], sha256)
        self.assertEqual(len(self.version_files), 4 if self.published else 0)

    def test_the_backup_is_in_the_audit_log_with_the_file_s_hash(self) -> None:
        (entry,) = self.backup_entries
        self.assertTrue(entry["username"].startswith("os:"))
        self.assertEqual(
            entry["detail"]["sha256"], hashlib.sha256(self.file.read_bytes()).hexdigest()
        )

    def test_a_backup_never_overwrites_a_file(self) -> None:
        before = self.file.read_bytes()
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertEqual(main(["backup", str(self.file)]), 2)
        self.assertIn("已存在", err.getvalue())
        self.assertEqual(self.file.read_bytes(), before)

    # ------------------------------------------------------------ the restore

    def test_a_restore_into_an_empty_installation_is_the_same_and_works(self) -> None:
        target = Target(self)
        done = target.run("restore", str(self.file))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("恢复完成", done.stdout)
        restored = target.inspect()
        rows = restored["rows"]
        entries = rows.pop("audit.auditentry")
        restore_entries = [e for e in entries if e["fields"]["action"] == "restore"]
        self.assertEqual(len(restore_entries), 1)
        self.assertEqual(
            restore_entries[0]["fields"]["detail"]["sha256"],
            hashlib.sha256(self.file.read_bytes()).hexdigest(),
        )
        self.assertEqual(
            [e for e in entries if e["fields"]["action"] != "restore"],
            self.rows["audit.auditentry"],
        )
        self.assertEqual(rows, {k: v for k, v in self.rows.items() if k != "audit.auditentry"})
        # The same files with the same hashes, those of published versions as their rows say.
        self.assertEqual(restored["media"], self.media)
        self.assertEqual(restored["version_files"], self.version_files)
        self.assertEqual(restored["modes"], ["False:600", "True:700"])  # files, folders
        for name, sha256 in self.version_files.items():
            self.assertEqual(restored["media"][name], sha256)
        # A working app: pages open, and a new application can be registered.
        self.assertEqual(set(restored["pages"].values()), {200}, restored["pages"])
        self.assertEqual(restored["registered"], 1)
        self.assertIn("no issues", restored["check"])
        # And a second restore into it is refused: it is no longer empty.
        again = target.run("restore", str(self.file))
        self.assertEqual(again.returncode, 2)
        self.assertIn("不是空的", again.stderr)

    def test_a_truncated_backup_is_refused_and_nothing_is_written(self) -> None:
        truncated = self.folder / "truncated.zip"
        data = self.file.read_bytes()
        truncated.write_bytes(data[: len(data) // 2])
        target = Target(self)
        done = target.run("restore", str(truncated))
        self.assertEqual(done.returncode, 2)
        self.assertIn("备份文件已损坏或不完整", done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        target.assertNothingWritten(self)

    def test_a_changed_member_is_refused_by_its_hash(self) -> None:
        def change(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            data = members["data.jsonl"]
            members["data.jsonl"] = data.replace("经办人".encode(), "审核人".encode(), 1)

        changed = rewrite(self.file, self.folder / "changed.zip", change)
        target = Target(self)
        done = target.run("restore", str(changed))
        self.assertEqual(done.returncode, 2)
        self.assertIn("data.jsonl 与清单中的哈希值不符", done.stderr)
        target.assertNothingWritten(self)

    def test_a_damaged_byte_inside_the_zip_is_found(self) -> None:
        damaged = self.folder / "damaged.zip"
        data = bytearray(self.file.read_bytes())
        with zipfile.ZipFile(self.file) as archive:
            info = archive.getinfo("data.jsonl")
        data[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF
        damaged.write_bytes(bytes(data))
        target = Target(self)
        done = target.run("restore", str(damaged))
        self.assertEqual(done.returncode, 2)
        self.assertIn("备份文件已损坏", done.stderr)
        target.assertNothingWritten(self)

    def test_a_backup_of_another_format_version_is_refused(self) -> None:
        def change(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            manifest["format_version"] = 2

        other = rewrite(self.file, self.folder / "v2.zip", change)
        target = Target(self)
        done = target.run("restore", str(other))
        self.assertEqual(done.returncode, 2)
        self.assertIn("备份格式版本 2 不受支持", done.stderr)
        target.assertNothingWritten(self)

    def test_a_backup_of_another_program_version_is_refused(self) -> None:
        def change(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            manifest["migrations"].append(["cases", "9999_from_the_future"])
            manifest["app_version"] = "9.9.9"

        other = rewrite(self.file, self.folder / "future.zip", change)
        target = Target(self)
        done = target.run("restore", str(other))
        self.assertEqual(done.returncode, 2)
        self.assertIn("备份来自另一版本的 gongkai（9.9.9）", done.stderr)
        target.assertNothingWritten(self)

    def test_a_member_outside_the_media_folder_is_refused(self) -> None:
        def change(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            members["media/../../escaped.txt"] = b"x"
            manifest["files"].append(
                {"path": "media/../../escaped.txt", "name": "../../escaped.txt", "bytes": 1}
            )
            reseal(manifest, members)

        other = rewrite(self.file, self.folder / "escape.zip", change)
        target = Target(self)
        done = target.run("restore", str(other))
        self.assertEqual(done.returncode, 2)
        self.assertIn("不安全的路径", done.stderr)
        target.assertNothingWritten(self)
        self.assertFalse((target.data.parent / "escaped.txt").exists())

    def test_rows_that_cannot_be_loaded_leave_nothing_behind(self) -> None:
        def change(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            lines = members["data.jsonl"].splitlines()
            user = json.loads(next(line for line in lines if b'"auth.user"' in line))
            user["pk"] = 99999  # the same user name twice: the database refuses the second
            members["data.jsonl"] = b"\n".join([*lines, json.dumps(user).encode()]) + b"\n"
            reseal(manifest, members)

        other = rewrite(self.file, self.folder / "duplicate.zip", change)
        target = Target(self)
        done = target.run("restore", str(other))
        self.assertEqual(done.returncode, 2)
        self.assertIn("载入数据失败，未写入任何数据", done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        target.assertNothingWritten(self)

    def test_a_file_missing_from_the_backup_undoes_the_files_already_placed(self) -> None:
        missing = next(iter(self.media))

        def change(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            del members["media/" + missing]
            manifest["files"] = [f for f in manifest["files"] if f["name"] != missing]

        other = rewrite(self.file, self.folder / "missing.zip", change)
        target = Target(self)
        done = target.run("restore", str(other))
        self.assertEqual(done.returncode, 2)
        self.assertIn(f"备份中缺少文件 {missing}", done.stderr)
        target.assertNothingWritten(self)
