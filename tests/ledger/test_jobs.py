"""Large imports and .xlsx exports as background jobs (decision IM-2): the job page with its
progress, the result or the download; only the user who started it, while they still read its
organisations; on the immediate backend (SQLite, the demo) and on the database queue run by
`db_worker` (the production path, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.accounts.models import Membership
from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.ledger import export_ledger
from gongkai.cases.ledger_jobs import import_job_create, ledger_job_run
from gongkai.cases.models import Application, LedgerImport, LedgerJob
from gongkai.test import PASSWORD, BaseTestCase, Personas, use_temporary_media
from tests.ledger.workbooks import row, xlsx

ROWS = [
    row(1, name="甲", received=dt.date(2025, 3, 5)),
    row(2, name="乙", channel="飞鸽传书"),
    row(3, name="丙", received=dt.date(2025, 3, 4)),
]


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(min_row=2, values_only=True))


@override_settings(LEDGER_EXPORT_JOB_ROWS=1)
class ExportJobTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        use_temporary_media(self)
        for day, name in [(3, "张三"), (4, "李四"), (5, "王五")]:
            self.register(received_on=dt.date(2025, 3, day), name=name)

    def start(self, user: str = "clerk", **query: str) -> LedgerJob:
        self.client.login(username=user, password=PASSWORD)
        response = self.client.get(reverse("ledger:export"), query)
        job = LedgerJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("ledger:job", args=[job.pk])
        return job

    def test_a_large_export_is_made_by_a_job_and_downloaded_from_its_page(self) -> None:
        job = self.start(status="registered")
        job.refresh_from_db()
        assert (job.status, job.total, job.done, job.kind) == ("done", 3, 3, "export")
        page = self.client.get(reverse("ledger:job", args=[job.pk])).content.decode()
        assert "已生成3行" in page and reverse("ledger:job_download", args=[job.pk]) in page
        assert "ledger_job.js" not in page  # finished: no more polling
        download = self.client.get(reverse("ledger:job_download", args=[job.pk]))
        assert download.status_code == 200
        assert "filename*=UTF-8''" in download["Content-Disposition"]
        content = b"".join(download.streaming_content)  # type: ignore[arg-type]
        direct = export_ledger(Application.objects.all(), title=job.params["title"])
        assert sheet_rows(content) == sheet_rows(direct)
        assert [r[2] for r in sheet_rows(content)[1:]] == ["张三", "李四", "王五"]
        assert job.result.name.startswith("ledger/jobs/") and default_storage.exists(
            job.result.name
        )
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {AuditAction.EXPORT, AuditAction.DOWNLOAD} <= actions

    def test_the_job_exports_the_filters_of_the_ledger_screen(self) -> None:
        job = self.start(received_to="2025-03-04")
        job.refresh_from_db()
        with job.result.open("rb") as stored:
            assert [r[2] for r in sheet_rows(stored.read())[1:]] == ["张三", "李四"]

    def test_only_its_user_sees_the_job_and_the_download(self) -> None:
        job = self.start()
        urls = [reverse(name, args=[job.pk]) for name in ("ledger:job", "ledger:job_progress",
                                                           "ledger:job_download")]  # fmt: skip
        self.client.login(username="reviewer", password=PASSWORD)  # same office, another user
        assert [self.client.get(url).status_code for url in urls] == [404, 404, 404]
        self.client.logout()
        assert all(self.client.get(url).status_code == 302 for url in urls)  # to the login

    def test_the_download_is_refused_once_the_membership_ended(self) -> None:
        job = self.start()
        Membership.objects.filter(user=self.clerk).delete()
        response = self.client.get(reverse("ledger:job_download", args=[job.pk]))
        assert response.status_code == 404
        assert not AuditEntry.objects.filter(action=AuditAction.DOWNLOAD).exists()


@override_settings(LEDGER_IMPORT_JOB_BYTES=0)  # every file is large
class ImportJobTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        use_temporary_media(self)

    def review(self, data: bytes, user: str = "reviewer") -> str:
        self.client.login(username=user, password=PASSWORD)
        upload = self.client.post(
            reverse("ledger:import"), {"file": SimpleUploadedFile("台账.xlsx", data)}
        )
        assert upload.status_code == 302, upload.content.decode()
        return upload["Location"]

    def run_job(self, data: bytes, mode: str, user: str = "reviewer") -> LedgerJob:
        review = self.review(data, user)
        page = self.client.get(review)
        assert "后台导入" in page.content.decode()
        assert "逐行检查结果" not in page.content.decode()  # the job checks, once
        mapping = {"mapped": "1", **{k: str(v) for k, v in page.context["form"].mapping().items()}}
        response = self.client.post(review.rstrip("/") + "/run/", {**mapping, "mode": mode})
        job = LedgerJob.objects.get()
        assert response["Location"] == reverse("ledger:job", args=[job.pk])
        job.refresh_from_db()
        return job

    def test_the_valid_rows_are_imported_and_the_others_listed(self) -> None:
        job = self.run_job(xlsx(ROWS), "valid")
        assert (job.status, job.message) == ("done", "已导入2行，未导入有问题的1行")
        assert list(
            Application.objects.order_by("tracking_no").values_list("applicant_name", flat=True)
        ) == ["丙", "甲"]
        assert LedgerImport.objects.get().rows == 2
        assert AuditEntry.objects.get(action=AuditAction.IMPORT).detail["job"] == job.pk
        assert not job.source and not default_storage.exists(
            f"ledger/jobs/{job.folder}/source.xlsx"
        )
        page = self.client.get(reverse("ledger:job", args=[job.pk])).content.decode()
        assert "F列「申请渠道」：不能识别的申请方式“飞鸽传书”" in page
        assert "WCBGS-2025-0001 至 WCBGS-2025-0002" in page
        listed = self.client.get(reverse("ledger:import")).content.decode()
        assert f"台账导入 {job.pk}：台账.xlsx" in listed

    def test_all_or_nothing_imports_nothing_and_says_which_rows(self) -> None:
        job = self.run_job(xlsx(ROWS), "all")
        assert job.status == "failed"
        assert job.message.startswith("有1行未通过检查（第3行），没有导入任何数据")
        assert not Application.objects.exists() and not LedgerImport.objects.exists()
        assert job.outcome["problems"][0][0] == 3

    def test_a_clerk_cannot_import_concluded_rows_by_a_job(self) -> None:
        data = xlsx([row(1, replied=dt.date(2025, 3, 20), outcome="予以公开")])
        job = self.run_job(data, "all", user="clerk")
        assert job.status == "failed" and "需要审核人或管理员角色" in job.message
        assert not Application.objects.exists()

    def test_a_corrupt_file_changes_nothing(self) -> None:
        whole = xlsx(ROWS)
        job = import_job_create(
            user=self.reviewer, organisation=self.office, content=whole[: len(whole) // 2],
            name="坏.xlsx", mapping={}, sheet="", only_valid=True, sha256="x", repeat=False,
        )  # fmt: skip
        ledger_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == "failed" and "损坏" in job.message
        assert not Application.objects.exists() and not LedgerImport.objects.exists()

    def test_another_user_cannot_see_the_import_job(self) -> None:
        job = self.run_job(xlsx(ROWS), "valid")
        self.client.login(username="clerk", password=PASSWORD)
        assert self.client.get(reverse("ledger:job", args=[job.pk])).status_code == 404


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    LEDGER_EXPORT_JOB_ROWS=1,
    LEDGER_IMPORT_JOB_BYTES=0,
)
class DatabaseQueueTests(Personas, TransactionTestCase):
    """The production path: the request queues the job in the database, `db_worker` runs it."""

    def setUp(self) -> None:
        use_temporary_media(self)
        self.make_personas()

    def progress(self, job: LedgerJob) -> dict[str, Any]:
        data: dict[str, Any] = self.client.get(reverse("ledger:job_progress", args=[job.pk])).json()
        return data

    def test_the_worker_makes_a_queued_export(self) -> None:
        for day in (3, 4):
            self.register(received_on=dt.date(2025, 3, day))
        self.client.login(username="clerk", password=PASSWORD)
        self.client.get(reverse("ledger:export"))
        job = LedgerJob.objects.get()
        assert (self.progress(job)["status"], self.progress(job)["finished"]) == ("queued", False)
        page = self.client.get(reverse("ledger:job", args=[job.pk])).content.decode()
        assert "ledger_job.js" in page and 'id="job-progress"' in page
        assert self.client.get(reverse("ledger:job_download", args=[job.pk])).status_code == 404
        call_command("db_worker", batch=True, verbosity=0)
        data = self.progress(job)
        assert (data["status"], data["done"], data["total"], data["percent"]) == ("done", 2, 2, 100)
        download = self.client.get(reverse("ledger:job_download", args=[job.pk]))
        assert len(sheet_rows(b"".join(download.streaming_content))) == 3  # type: ignore[arg-type]

    def test_the_worker_imports_a_queued_file(self) -> None:
        self.client.login(username="reviewer", password=PASSWORD)
        upload = self.client.post(
            reverse("ledger:import"), {"file": SimpleUploadedFile("台账.xlsx", xlsx(ROWS))}
        )
        review = upload["Location"]
        mapping = self.client.get(review).context["form"].mapping()
        data = {"mapped": "1", "mode": "valid", **{k: str(v) for k, v in mapping.items()}}
        self.client.post(review.rstrip("/") + "/run/", data)
        job = LedgerJob.objects.get()
        assert self.progress(job)["status"] == "queued" and not Application.objects.exists()
        call_command("db_worker", batch=True, verbosity=0)
        assert self.progress(job)["status"] == "done"
        assert Application.objects.count() == 2
