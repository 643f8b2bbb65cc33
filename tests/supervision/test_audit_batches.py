"""审核批次 (issue 13, part 5): a supervisor uploads reports (a zip or many files), the job audits
them one by one with progress, the pages show each report with its findings marked, the summary
downloads as .xlsx/.csv/.json; bad input is refused with nothing saved; only the government's
supervisors see anything.

Material: the corpus's Wancheng office report (shared/corpus/wancheng-office-2024.txt, its truth
checked by hand: table 三 “一、本年新收” 33+2+0+0+0+1 = 36), once as published and once with that
total changed to 37 — a deliberate arithmetic error (T3-01 and T3-02 at t3.new.total); the
corpus's 太平镇 report (an agency that is no organisation of the app); a damaged .docx.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.accounts.models import Membership, Organisation
from gongkai.audit.models import AuditEntry
from gongkai.domain.lifecycle import Role
from gongkai.supervision import audit_views
from gongkai.supervision.audit_upload import _member_name
from gongkai.supervision.models import AuditBatch, AuditedFile, BatchStatus
from gongkai.test import BaseTestCase, Personas, WithAdministrators, use_temporary_media
from tests.report.fixtures import CORPUS

CLEAN = (CORPUS / "wancheng-office-2024.txt").read_bytes()
TOWNSHIP = (CORPUS / "blank-line-cells-2022.txt").read_bytes()
NEW_TOTAL = "一、本年新收政府信息公开申请数量"


def with_arithmetic_error() -> bytes:
    """The Wancheng report with table 三's 本年新收 总计 printed 37 instead of 36."""
    lines = CLEAN.decode("utf-8").split("\n")
    label = next(n for n, line in enumerate(lines) if line.strip() == NEW_TOTAL)
    assert lines[label + 1 : label + 8] == ["\t33", "\t2", "\t0", "\t0", "\t0", "\t1", "\t36"]
    lines[label + 7] = "\t37"
    return "\n".join(lines).encode("utf-8")


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def batch_zip() -> bytes:
    return make_zip(
        {
            "2024/宛城区人民政府办公室2024.txt": CLEAN,
            "2024/宛城区人民政府办公室2024-有误.txt": with_arithmetic_error(),
            "2024/太平镇2022.txt": TOWNSHIP,
            "2024/损坏.docx": b"PK\x03\x04 not really a package",
            "2024/说明.xlsx": b"not a report",
            "__MACOSX/2024/._损坏.docx": b"junk",
        }
    )


class AuditBatchTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        use_temporary_media(self)

    def upload(self, *files: tuple[str, bytes], title: str = "") -> object:
        self.client.force_login(self.supervisor)
        return self.client.post(
            reverse("supervision:audit_index", args=["WCQ"]),
            {"title": title, "files": [SimpleUploadedFile(name, data) for name, data in files]},
        )

    def audited(self) -> AuditBatch:
        batch = AuditBatch.objects.get()
        self.assertEqual(batch.status, BatchStatus.DONE)
        return batch


class UploadTests(AuditBatchTestCase):
    def test_a_zip_is_audited_file_by_file(self) -> None:
        response = self.upload(("2024年报.zip", batch_zip()), title="2024年度部门年报")
        batch = self.audited()
        self.assertRedirects(response, reverse("supervision:audit_batch", args=[batch.pk]))
        self.assertEqual((batch.title, batch.total, batch.done), ("2024年度部门年报", 4, 4))
        # The spreadsheet is skipped and listed; the resource fork of __MACOSX is not a file.
        self.assertEqual(batch.skipped, ["2024/说明.xlsx"])
        files = {f.name: f for f in batch.files.all()}
        clean = files["2024/宛城区人民政府办公室2024.txt"]
        broken = files["2024/宛城区人民政府办公室2024-有误.txt"]
        self.assertEqual(
            (clean.agency, clean.year, clean.kind), ("宛城区人民政府办公室", 2024, "text")
        )
        self.assertEqual(clean.errors, 0)
        self.assertEqual(
            clean.organisation, self.office
        )  # the agency is an organisation of the app
        errors = {(f["rule"], f["where"]) for f in broken.findings if f["severity"] == "error"}
        self.assertEqual(errors, {("T3-01", "t3.new.total"), ("T3-02", "t3.new.total")})
        self.assertEqual(broken.errors, 2)
        self.assertEqual(broken.report["tables"]["t3"]["new"], [33, 2, 0, 0, 0, 1, 37])
        self.assertEqual(files["2024/太平镇2022.txt"].agency, "太平镇人民政府")
        self.assertIsNone(files["2024/太平镇2022.txt"].organisation)
        damaged = files["2024/损坏.docx"]
        self.assertTrue(damaged.error)
        self.assertEqual(damaged.report, None)
        self.assertEqual((batch.with_errors, batch.unreadable), (2, 1))

    def test_the_files_are_kept_under_names_of_ours_with_their_hash(self) -> None:
        self.upload(("a.zip", make_zip({"../../evil.txt": CLEAN})))
        row = AuditedFile.objects.get()
        self.assertEqual(row.name, "../../evil.txt")  # a name only
        self.assertRegex(row.upload.name, r"^audit/\d+/00001-[0-9a-f]{16}$")
        path = Path(row.upload.path)
        self.assertEqual(path.read_bytes(), CLEAN)
        self.assertEqual(path.stat().st_mode & 0o777, 0o600)

    def test_many_files_make_one_batch_and_the_upload_is_audited(self) -> None:
        self.upload(("a.txt", CLEAN), ("b.txt", with_arithmetic_error()))
        batch = self.audited()
        self.assertEqual(
            list(batch.files.values_list("name", "errors")), [("a.txt", 0), ("b.txt", 2)]
        )
        entry = AuditEntry.objects.get(action="import", object_type="supervision.AuditBatch")
        self.assertEqual(entry.username, "supervisor")
        self.assertEqual(entry.detail["files"], 2)
        self.assertEqual(entry.detail["names"], ["a.txt", "b.txt"])

    def test_two_members_of_one_name_are_told_apart(self) -> None:
        self.upload(("a.zip", make_zip({"x/报告.txt": CLEAN, "y/报告.txt": CLEAN})),
                    ("报告.txt", CLEAN))  # fmt: skip
        names = list(AuditBatch.objects.get().files.values_list("name", flat=True))
        self.assertEqual(names, ["x/报告.txt", "y/报告.txt", "报告.txt"])

    def test_gbk_member_names_of_windows_zips_are_read(self) -> None:
        info = zipfile.ZipInfo("报告.txt".encode("gbk").decode("cp437"))
        self.assertEqual(_member_name(info), "报告.txt")


class BadInputTests(AuditBatchTestCase):
    def refused(self, response: object, message: str) -> None:
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertContains(response, message, status_code=400)  # type: ignore[arg-type]
        self.assertContains(response, "未保存任何文件", status_code=400)  # type: ignore[arg-type]
        self.assertFalse(AuditBatch.objects.exists())
        self.assertFalse(AuditedFile.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="import").exists())
        from django.conf import settings

        self.assertFalse((Path(settings.MEDIA_ROOT) / "audit").exists())

    def test_no_file(self) -> None:
        self.refused(self.upload(), "请选择要审核的文件")

    def test_an_empty_file(self) -> None:
        self.refused(self.upload(("a.txt", CLEAN), ("空.txt", b"")), "“空.txt”是空文件")

    def test_a_file_of_another_type(self) -> None:
        self.refused(
            self.upload(("a.txt", CLEAN), ("setup.exe", b"MZ")), "“setup.exe”不是可审核的文件类型"
        )

    def test_a_damaged_zip(self) -> None:
        data = batch_zip()
        self.refused(
            self.upload(("a.txt", CLEAN), ("坏.zip", data[: len(data) // 2])),
            "压缩包“坏.zip”无法使用",
        )

    def test_a_zip_bomb(self) -> None:
        bomb = make_zip({"a.txt": b"0" * (3 * 1024 * 1024)})  # 3 MB of zeros: ~1000:1
        self.refused(self.upload(("bomb.zip", bomb)), "压缩比异常")

    def test_a_zip_without_reports(self) -> None:
        self.refused(
            self.upload(("a.zip", make_zip({"a.xlsx": b"x"}))), "压缩包中没有可审核的报告文件"
        )

    @override_settings(AUDIT_MAX_BYTES=len(CLEAN) + 10)
    def test_too_much(self) -> None:
        self.refused(self.upload(("a.txt", CLEAN), ("b.txt", CLEAN)), "超过上限")


class AccessTests(WithAdministrators, AuditBatchTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.upload(("宛城区人民政府办公室2024.txt", CLEAN))
        self.client.logout()
        self.batch = AuditBatch.objects.get()
        self.row = self.batch.files.get()

    def urls(self) -> list[str]:
        return [
            reverse("supervision:audit_index", args=["WCQ"]),
            reverse("supervision:audit_batch", args=[self.batch.pk]),
            reverse("supervision:audit_progress", args=[self.batch.pk]),
            reverse("supervision:audit_summary", args=[self.batch.pk, "xlsx"]),
            reverse("supervision:audit_file", args=[self.row.pk]),
            reverse("supervision:audit_original", args=[self.row.pk]),
        ]

    def test_the_supervisor_of_the_government_sees_everything(self) -> None:
        self.client.force_login(self.supervisor)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_nobody_else_sees_anything(self) -> None:
        elsewhere = Organisation.objects.create(code="WL", name="卧龙区人民政府", kind="government")
        other_supervisor = type(self.supervisor).objects.create_user("wl-supervisor")
        Membership.objects.create(
            user=other_supervisor, organisation=elsewhere, role=Role.SUPERVISOR
        )
        # The audited office's own users, another department, the installation's administrators.
        for user in (
            self.clerk,
            self.admin,
            self.outsider,
            self.sysadmin,
            self.auditor,
            other_supervisor,
        ):
            self.client.force_login(user)
            for url in self.urls():
                self.assertEqual(self.client.get(url).status_code, 404, (user.username, url))
            response = self.client.post(
                self.urls()[0], {"files": [SimpleUploadedFile("a.txt", CLEAN)]}
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(AuditBatch.objects.count(), 1)

    def test_anonymous_is_sent_to_log_in(self) -> None:
        for url in self.urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_original_download_is_audited(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("supervision:audit_original", args=[self.row.pk]))
        self.assertEqual(b"".join(response.streaming_content), CLEAN)  # type: ignore[attr-defined]
        self.assertTrue(
            AuditEntry.objects.filter(action="download", object_id=str(self.row.pk)).exists()
        )


class PagesTests(AuditBatchTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.upload(("2024年报.zip", batch_zip()))
        self.batch = self.audited()
        self.broken = self.batch.files.get(name="2024/宛城区人民政府办公室2024-有误.txt")

    def test_the_batch_lists_the_reports_sortable_by_risk(self) -> None:
        url = reverse("supervision:audit_batch", args=[self.batch.pk])
        response = self.client.get(url)
        self.assertContains(response, "已审核 4 / 4 份（100%）")
        self.assertContains(response, "2024/宛城区人民政府办公室2024-有误.txt")
        self.assertContains(response, "无法读取：")
        self.assertContains(response, 'href="?sort=risk"')
        AuditedFile.objects.filter(pk=self.broken.pk).update(risk=100.0)
        rows = self.client.get(url + "?sort=risk").context["files"]
        self.assertEqual(rows[0].pk, self.broken.pk)
        self.assertContains(self.client.get(url + "?sort=risk"), "风险分 ↓")

    def test_the_batch_list_and_the_home_card(self) -> None:
        response = self.client.get(reverse("supervision:home"))
        self.assertContains(response, reverse("supervision:audit_index", args=["WCQ"]))
        response = self.client.get(reverse("supervision:audit_index", args=["WCQ"]))
        self.assertContains(response, reverse("supervision:audit_batch", args=[self.batch.pk]))
        self.assertContains(response, "已完成")

    def test_progress_is_json(self) -> None:
        data = self.client.get(reverse("supervision:audit_progress", args=[self.batch.pk])).json()
        self.assertEqual(
            data,
            {
                "status": "done",
                "status_label": "已完成",
                "done": 4,
                "total": 4,
                "percent": 100,
                "finished": True,
            },
        )

    def test_a_report_page_marks_the_cells_of_its_findings(self) -> None:
        response = self.client.get(reverse("supervision:audit_file", args=[self.broken.pk]))
        html = response.content.decode()
        # The cell itself: red, with the numbers of its two findings.
        cell = html.split('data-key="t3.new.total"', 1)[1].split("</td>", 1)[0]
        self.assertIn('class="hit hit-error"', cell)
        self.assertIn(">37<", cell.replace("<sup", "<"))
        findings = response.context["findings"]
        numbers = [f.number for f, _task in findings if f.rule in ("T3-01", "T3-02")]
        for number in numbers:
            self.assertIn(f'href="#f{number}"', cell)
            self.assertIn(f'id="f{number}"', html)
        # The rule's explanation from the registry; the warning on a blank cell is amber.
        self.assertContains(
            response,
            "每列：第一项（本年新收）+第二项（上年结转）＝第三项（办理结果总计）+第四项（结转下年度）",
        )
        blank = html.split('data-key="t3.r_open.other_org"', 1)[1].split(">", 1)[0]
        self.assertIn("hit-warning", blank)
        # 整改 from a finding: the form of the government, prefilled for the office.
        task = dict((f.rule, t) for f, t in findings)["T3-01"]
        self.assertIn(reverse("supervision:rectification_new", args=["WCQ"]), task)
        self.assertIn("organisation=WCBGS", task)
        self.assertIn("source_kind=report_audit", task)
        form = self.client.get(task)
        self.assertContains(form, "2024年度报告：T3-01")
        self.assertContains(response, "就本报告发起整改")

    def test_a_section_named_by_a_finding_is_marked(self) -> None:
        response = self.client.get(reverse("supervision:audit_file", args=[self.broken.pk]))
        html = response.content.decode()
        # S-09 (标题重复) and N-01 (正文与表三不符) are findings on s1: its heading and text.
        self.assertRegex(html, r'<h2 id="s1" class="hit hit-warning">')
        self.assertIn('<p class="hit-passage hit-warning">', html)

    def test_a_report_of_an_agency_outside_the_app_has_no_task_link(self) -> None:
        row = self.batch.files.get(name="2024/太平镇2022.txt")
        response = self.client.get(reverse("supervision:audit_file", args=[row.pk]))
        self.assertContains(response, "不是本系统中宛城区人民政府所属的机构，不能直接发起整改")
        rectification = reverse("supervision:rectification_new", args=["WCQ"])
        self.assertNotIn(rectification, response.content.decode())

    def test_an_unreadable_file_says_why(self) -> None:
        row = self.batch.files.get(name="2024/损坏.docx")
        response = self.client.get(reverse("supervision:audit_file", args=[row.pk]))
        self.assertContains(response, "无法读取：")


class ExportTests(AuditBatchTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.upload(("2024年报.zip", batch_zip()))
        self.batch = self.audited()

    def download(self, fmt: str) -> bytes:
        response = self.client.get(reverse("supervision:audit_summary", args=[self.batch.pk, fmt]))
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"audit-batch-{self.batch.pk}.{fmt}", response["Content-Disposition"])
        return response.content

    def test_the_xlsx_reads_back(self) -> None:
        book = load_workbook(io.BytesIO(self.download("xlsx")))
        sheet = book["汇总"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[1]
        self.assertEqual(
            header[:10],
            ("序号", "文件", "机关", "对应机构", "年度", "格式", "错误", "警告", "提示", "风险分"),
        )
        by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[2:]}
        broken = by_name["2024/宛城区人民政府办公室2024-有误.txt"]
        self.assertEqual(
            (broken["机关"], broken["对应机构"], broken["年度"]),
            ("宛城区人民政府办公室",) * 2 + (2024,),
        )
        self.assertEqual((broken["错误"], broken["本年新收申请"], broken["上年结转"]), (2, 37, 0))
        self.assertIn("T3-01", broken["问题规则"])
        self.assertEqual(
            by_name["2024/宛城区人民政府办公室2024.txt"]["予以公开占比"], round(22 / 36, 4)
        )
        self.assertTrue(by_name["2024/损坏.docx"]["无法读取的原因"])
        self.assertTrue(broken["链接"].startswith("http://testserver/supervision/audit/file/"))
        detail = list(book["问题明细"].iter_rows(values_only=True))
        self.assertIn(
            (
                "2024/宛城区人民政府办公室2024-有误.txt",
                "宛城区人民政府办公室",
                "T3-01",
                "错误",
                "t3.new.total",
            ),
            [row[:5] for row in detail],
        )
        self.assertTrue(
            AuditEntry.objects.filter(action="export", object_id=str(self.batch.pk)).exists()
        )

    def test_the_csv_and_the_json(self) -> None:
        text = self.download("csv").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0][1], "文件")
        data = json.loads(self.download("json"))
        self.assertEqual((data["total"], data["with_errors"], data["unreadable"]), (4, 2, 1))
        broken = next(r for r in data["reports"] if r["name"].endswith("有误.txt"))
        self.assertEqual(broken["errors"], 2)
        self.assertIn("T3-01", {f["rule"] for f in broken["findings"]})


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class DatabaseQueueTests(Personas, TransactionTestCase):
    """The production path: the upload queues a row in the database, `db_worker` runs it."""

    def setUp(self) -> None:
        use_temporary_media(self)
        self.make_personas()

    def test_the_worker_audits_a_queued_batch(self) -> None:
        self.client.force_login(self.supervisor)
        self.client.post(
            reverse("supervision:audit_index", args=["WCQ"]),
            {
                "files": [
                    SimpleUploadedFile("a.txt", CLEAN),
                    SimpleUploadedFile("b.txt", with_arithmetic_error()),
                ]
            },
        )
        batch = AuditBatch.objects.get()
        progress = reverse("supervision:audit_progress", args=[batch.pk])
        data = self.client.get(progress).json()
        self.assertEqual(
            (data["status"], data["done"], data["total"], data["finished"]), ("queued", 0, 2, False)
        )
        page = self.client.get(reverse("supervision:audit_batch", args=[batch.pk]))
        self.assertContains(page, "audit_progress.js")
        self.assertContains(page, 'max="2" value="0"')
        call_command("db_worker", batch=True, verbosity=0)
        data = self.client.get(progress).json()
        self.assertEqual((data["status"], data["done"], data["percent"]), ("done", 2, 100))
        self.assertEqual(list(batch.files.values_list("errors", flat=True)), [0, 2])

    def test_a_stopped_run_resumes_without_reading_a_file_twice(self) -> None:
        from gongkai.supervision.audit_services import audit_batch_run

        self.client.force_login(self.supervisor)
        self.client.post(
            reverse("supervision:audit_index", args=["WCQ"]),
            {
                "files": [
                    SimpleUploadedFile("a.txt", CLEAN),
                    SimpleUploadedFile("b.txt", with_arithmetic_error()),
                ]
            },
        )
        batch = AuditBatch.objects.get()
        audit_batch_run(batch_id=batch.pk)
        # As if the worker had died after the first file: the second is to do again.
        AuditBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, done=1)
        first = batch.files.get(position=1)
        batch.files.filter(position=2).update(audited=False, findings=[], errors=0)
        first.upload.delete(save=False)  # read again, it would now be "missing"
        audit_batch_run(batch_id=batch.pk)
        batch.refresh_from_db()
        self.assertEqual((batch.status, batch.done), (BatchStatus.DONE, 2))
        self.assertEqual(list(batch.files.values_list("errors", "error")), [(0, ""), (2, "")])


class DeleteAndRetryTests(AuditBatchTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.upload(("a.txt", CLEAN), ("b.txt", with_arithmetic_error()))
        self.batch = self.audited()
        self.paths = [Path(f.upload.path) for f in self.batch.files.all()]

    def test_a_batch_is_deleted_with_its_files_once_confirmed(self) -> None:
        url = reverse("supervision:audit_delete", args=[self.batch.pk])
        self.client.post(url)  # not confirmed: nothing happens
        self.assertTrue(AuditBatch.objects.exists())
        response = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(response, reverse("supervision:audit_index", args=["WCQ"]))
        self.assertFalse(AuditBatch.objects.exists())
        self.assertFalse(AuditedFile.objects.exists())
        self.assertFalse(any(path.exists() for path in self.paths))
        entry = AuditEntry.objects.get(action="delete", object_type="supervision.AuditBatch")
        self.assertEqual(entry.detail["files"], 2)

    def test_nobody_else_deletes(self) -> None:
        self.client.force_login(self.outsider)
        url = reverse("supervision:audit_delete", args=[self.batch.pk])
        self.assertEqual(self.client.post(url, {"confirm": "1"}).status_code, 404)
        self.assertTrue(all(path.exists() for path in self.paths))

    def test_a_running_batch_is_not_deleted(self) -> None:
        AuditBatch.objects.filter(pk=self.batch.pk).update(status=BatchStatus.RUNNING)
        self.client.post(
            reverse("supervision:audit_delete", args=[self.batch.pk]), {"confirm": "1"}
        )
        self.assertTrue(AuditBatch.objects.exists())

    def test_a_failed_batch_is_audited_again(self) -> None:
        AuditBatch.objects.filter(pk=self.batch.pk).update(status=BatchStatus.FAILED, failure="X")
        self.batch.files.filter(position=2).update(audited=False, errors=0, findings=[])
        page = self.client.get(reverse("supervision:audit_batch", args=[self.batch.pk]))
        self.assertContains(page, "审核中断（X）")
        self.client.post(reverse("supervision:audit_retry", args=[self.batch.pk]))
        self.batch.refresh_from_db()
        self.assertEqual(
            (self.batch.status, self.batch.done, self.batch.with_errors), ("done", 2, 1)
        )
        # A batch that did not fail is not run again.
        self.client.post(reverse("supervision:audit_retry", args=[self.batch.pk]))
        self.assertEqual(AuditBatch.objects.get().status, BatchStatus.DONE)

    def test_the_batch_page_costs_the_same_for_more_files(self) -> None:
        url = reverse("supervision:audit_batch", args=[self.batch.pk])
        # Session, user, batch, the menu's roles, the unread reminders, the files counted for
        # the pages and the page's files (one query each).
        with self.assertNumQueries(7):
            self.client.get(url)
        AuditBatch.objects.all().delete()
        self.upload(*((f"{n}.txt", CLEAN) for n in range(6)))
        batch = AuditBatch.objects.get()
        with self.assertNumQueries(7):
            self.client.get(reverse("supervision:audit_batch", args=[batch.pk]))

    def test_the_batch_page_lists_the_reports_a_page_at_a_time(self) -> None:
        AuditBatch.objects.all().delete()
        self.upload(*((f"{n}.txt", CLEAN) for n in range(5)))
        batch = AuditBatch.objects.get()
        url = reverse("supervision:audit_batch", args=[batch.pk])
        with patch.object(audit_views, "FILES_PER_PAGE", 2):
            first = self.client.get(url, {"sort": "agency"})
            last = self.client.get(url, {"sort": "agency", "page": 3})
        names = [[f.name for f in page.context["files"]] for page in (first, last)]
        self.assertEqual(names, [["0.txt", "1.txt"], ["4.txt"]])
        self.assertContains(first, "第1/3页，共5条")
        # The next page keeps the order chosen.
        self.assertContains(first, 'href="?sort=agency&amp;page=2" rel="next"')
        self.assertContains(last, 'href="?sort=agency&amp;page=2" rel="prev"')
