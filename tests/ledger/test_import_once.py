"""A ledger file is imported once: recognised by its SHA-256, refused unless confirmed, and two
imports of one organisation at the same moment cannot both register the same rows."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.ledger import (
    RowReport,
    file_sha256,
    guess_mapping,
    import_rows,
    read_ledger,
    validate_rows,
)
from gongkai.cases.models import Application, LedgerImport
from gongkai.cases.services import ServiceError
from gongkai.test import PASSWORD, BaseTestCase, Personas
from tests.ledger.workbooks import TODAY, row, xlsx

FILE = xlsx([row(1, name="甲"), row(2, name="乙"), row(3, name="丙")])
OTHER_FILE = xlsx([row(1, name="丁")])


class ImportOnceTests(BaseTestCase):
    def reports(self, data: bytes) -> list[RowReport]:
        sheet = read_ledger(data)
        return validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)

    def run_import(self, data: bytes, *, sha256: str, repeat: bool = False) -> Any:
        return import_rows(
            actor=self.reviewer, organisation=self.office, rows=self.reports(data),
            only_valid=False, source="台账.xlsx", sha256=sha256, repeat=repeat, today=TODAY,
        )  # fmt: skip

    def test_an_import_is_recorded_with_the_files_hash_and_counts(self) -> None:
        result = self.run_import(FILE, sha256=file_sha256(FILE))
        record = LedgerImport.objects.get()
        assert result.record == record
        assert (record.organisation, record.sha256) == (self.office, file_sha256(FILE))
        assert (record.name, record.username, record.rows, record.skipped) == (
            "台账.xlsx", "reviewer", 3, 0,
        )  # fmt: skip
        assert not record.repeated

    def test_the_same_file_again_is_refused_naming_the_earlier_import(self) -> None:
        self.run_import(FILE, sha256=file_sha256(FILE))
        with pytest.raises(ServiceError) as refused:
            # Other rows, so that only the file's hash can be what refuses it.
            self.run_import(OTHER_FILE, sha256=file_sha256(FILE))
        assert refused.value.kind == "conflict"
        assert "已于" in refused.value.message and "reviewer" in refused.value.message
        assert "导入3行" in refused.value.message
        assert Application.objects.count() == 3

    def test_a_confirmed_repeat_is_imported_and_marked(self) -> None:
        self.run_import(FILE, sha256=file_sha256(FILE))
        result = self.run_import(OTHER_FILE, sha256=file_sha256(FILE), repeat=True)
        assert result.record.repeated
        assert Application.objects.count() == 4

    def test_the_hash_belongs_to_the_organisation(self) -> None:
        self.run_import(FILE, sha256=file_sha256(FILE))
        assert not LedgerImport.objects.filter(organisation=self.other).exists()


class ImportOnceViewTests(BaseTestCase):
    url = reverse("ledger:import")

    def upload(self, data: bytes, **extra: str) -> Any:
        return self.client.post(self.url, {"file": SimpleUploadedFile("台账.xlsx", data), **extra})

    def import_file(self, data: bytes) -> None:
        response = self.upload(data)
        assert response.status_code == 302, response.content.decode()
        token = response["Location"].rstrip("/").split("/")[-1]
        done = self.client.post(reverse("ledger:import_run", args=[token]), {"mode": "all"})
        assert done.status_code == 302, done.content.decode()

    def setUp(self) -> None:
        self.client.login(username="reviewer", password=PASSWORD)

    def test_an_import_is_audited_with_file_hash_and_counts(self) -> None:
        self.import_file(FILE)
        entry = AuditEntry.objects.get(action=AuditAction.IMPORT)
        assert (entry.username, entry.organisation, entry.success) == ("reviewer", "WCBGS", True)
        assert entry.object_type == "cases.LedgerImport"
        assert entry.ip == "127.0.0.1"
        assert entry.detail == {
            "file": "台账.xlsx", "sha256": file_sha256(FILE), "imported": 3, "skipped": 0,
            "concluded": 0, "repeated": False,
        }  # fmt: skip

    def test_uploading_the_same_file_again_asks_for_confirmation(self) -> None:
        self.import_file(FILE)
        response = self.upload(FILE)
        page = response.content.decode()
        assert response.status_code == 400
        assert "这个文件已于" in page and "由 reviewer 导入本机关（导入3行）" in page
        assert 'name="again"' in page and "仍要再次导入" in page
        confirmed = self.upload(FILE, again="on")
        assert confirmed.status_code == 302
        review = self.client.get(confirmed["Location"]).content.decode()
        # Confirmed or not, rows already registered are not imported twice.
        assert "可以导入0行，有问题3行" in review
        assert "可能已经导入过" in review

    def test_a_new_file_is_not_asked_about(self) -> None:
        response = self.client.get(self.url)
        assert 'name="again"' not in response.content.decode()
        self.import_file(FILE)
        assert self.upload(OTHER_FILE).status_code == 302

    def test_a_failed_import_is_not_recorded(self) -> None:
        response = self.upload(xlsx([row(1, channel="飞鸽传书")]))
        token = response["Location"].rstrip("/").split("/")[-1]
        refused = self.client.post(reverse("ledger:import_run", args=[token]), {"mode": "all"})
        assert refused.status_code == 422
        assert not LedgerImport.objects.exists()
        assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


class ConcurrentImportTests(Personas, TransactionTestCase):
    """Run on PostgreSQL too (DATABASE_URL): the organisation's row lock, not luck, serialises."""

    def setUp(self) -> None:
        self.make_personas()

    def race(self, files: tuple[bytes, bytes]) -> list[BaseException]:
        reports = []
        for data in files:  # both checked before either imports, as two open review pages are
            sheet = read_ledger(data)
            reports.append(
                validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
            )
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def worker(data: bytes, rows: list[RowReport]) -> None:
            try:
                start.wait()
                import_rows(
                    actor=self.reviewer, organisation=self.office, rows=rows, only_valid=False,
                    source="台账.xlsx", sha256=file_sha256(data), today=TODAY,
                )  # fmt: skip
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=worker, args=(data, rows))
            for data, rows in zip(files, reports, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return errors

    def test_two_imports_of_one_file_at_once_import_it_once(self) -> None:
        errors = self.race((FILE, FILE))
        assert [type(e) for e in errors] == [ServiceError], errors
        assert "这个文件已于" in str(errors[0])
        assert Application.objects.count() == 3
        assert LedgerImport.objects.count() == 1

    def test_two_files_with_the_same_rows_at_once_import_them_once(self) -> None:
        copy = xlsx([row(1, name="甲"), row(2, name="乙"), row(3, name="丙")], title="副本")
        assert file_sha256(copy) != file_sha256(FILE)
        errors = self.race((FILE, copy))
        assert [type(e) for e in errors] == [ServiceError], errors
        assert "与刚刚登记的申请" in str(errors[0])
        assert Application.objects.count() == 3

    def test_registrations_during_an_import_neither_wait_forever_nor_deadlock(self) -> None:
        # A registration locks the year's tracking counter, then inserts an application, which
        # takes FOR KEY SHARE on the organisation; the import holds the organisation, then wants
        # the counter. The organisation lock must not conflict with FOR KEY SHARE.
        sheet = read_ledger(FILE)
        rows = validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def importer() -> None:
            try:
                start.wait()
                import_rows(
                    actor=self.reviewer, organisation=self.office, rows=rows, only_valid=False,
                    source="台账.xlsx", sha256=file_sha256(FILE), today=TODAY,
                )  # fmt: skip
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        def registrar() -> None:
            try:
                start.wait()
                for _ in range(3):
                    self.register(name="戊")
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=importer)]
        threads += [threading.Thread(target=registrar) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert Application.objects.count() == 3 + 9
