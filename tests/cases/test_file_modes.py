"""Files and folders the application creates are its user's only: folders 0700, files 0600,
whatever the umask it was started with (GB/T 22239-2019 8.1.4.8)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from gongkai.cases.services import attachment_add
from gongkai.test import PASSWORD, BaseTestCase
from tests.ledger.workbooks import row, xlsx

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def python(code: str, data_dir: Path, *args: str) -> str:
    """Run `code` (or a module, with `args`) in a new process started with the usual umask 022,
    on SQLite in `data_dir`."""
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    # The shell sets the umask of the child only (preexec_fn is unsafe with threads).
    command = ["sh", "-c", 'umask 022 && exec "$@"', "sh", sys.executable, *(args or ("-c", code))]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()  # `manage shell` may print a banner first
    return lines[-1] if lines else ""


class DataDirectoryTests(SimpleTestCase):
    def setUp(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="gongkai-modes-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(self.base)])

    def test_a_new_data_directory_its_database_and_secret_key_are_private(self) -> None:
        data = self.base / "var"
        python(
            "import django; django.setup(); from django.db import connection; "
            "connection.ensure_connection(); connection.cursor().execute('create table t (x)')",
            data,
        )
        assert mode(data) == 0o700
        assert mode(data / "gongkai.sqlite3") == 0o600
        assert (data / "gongkai.sqlite3").stat().st_size > 0  # a real database was written
        assert mode(data / "secret_key") == 0o600

    def test_an_older_world_readable_installation_is_tightened(self) -> None:
        data = self.base / "var"
        data.mkdir(mode=0o755)
        data.chmod(0o755)
        for name in ("gongkai.sqlite3", "secret_key"):
            (data / name).write_text("x" if name == "secret_key" else "")
            (data / name).chmod(0o644)
        python("import django; django.setup()", data)
        assert mode(data) == 0o700
        assert mode(data / "gongkai.sqlite3") == 0o600
        assert mode(data / "secret_key") == 0o600

    def test_the_entry_points_set_a_private_umask(self) -> None:
        show = "import os; print(oct(os.umask(0)))"
        data = self.base / "var"
        assert python(f"import gongkai.wsgi; {show}", data) == "0o77"
        shell = ("shell", "-c", show)
        assert python("", data, "manage.py", *shell) == "0o77"
        assert python("", data, "-m", "gongkai.cli.main", "manage", *shell) == "0o77"


class StoredFileTests(BaseTestCase):
    def setUp(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="gongkai-media-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(folder)])
        self.media = folder / "media"  # not there yet: the storage creates it
        settings = override_settings(MEDIA_ROOT=str(self.media))
        settings.enable()
        self.addCleanup(settings.disable)
        previous = os.umask(0o022)  # as a server started without the entry points would be
        self.addCleanup(os.umask, previous)

    def assertPrivate(self, path: Path) -> None:
        assert mode(path) == 0o600, oct(mode(path))
        for folder in path.parents:
            assert mode(folder) == 0o700, (folder, oct(mode(folder)))
            if folder == self.media:
                break

    def test_an_attachment_and_its_folders(self) -> None:
        attachment = attachment_add(
            actor=self.clerk, application=self.register(), name="身份证明.pdf",
            content=b"%PDF-1.4", kind="identity",
        )  # fmt: skip
        self.assertPrivate(Path(attachment.file.path))

    def test_anything_saved_through_the_storage_as_reports_and_letters_are(self) -> None:
        name = default_storage.save("reports/WCBGS/2024/report.pdf", ContentFile(b"%PDF"))
        self.assertPrivate(Path(default_storage.path(name)))

    def test_a_ledger_upload_waiting_for_import(self) -> None:
        # Kept in the storage (shared by every app server, docs/scaling.md), as private.
        self.client.login(username="reviewer", password=PASSWORD)
        upload = SimpleUploadedFile("台账.xlsx", xlsx([row(1)]))
        response = self.client.post("/ledger/import/", {"file": upload})
        assert response.status_code == 302
        (stored,) = (self.media / "imports").iterdir()
        assert mode(stored) == 0o600
        assert mode(self.media / "imports") == 0o700
