"""The register screens: a clerk adds, corrects and deletes entries and imports figures; a
supervisor reads without forms and gets 403 on any change; an outsider gets 404; and what is
entered is what the annual report counts."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.accounts.models import Membership
from gongkai.domain.lifecycle import Role
from gongkai.reports.build import build_annual_report
from gongkai.reports.models import Appeal, EnforcementFigures, NormativeDocument, ProactiveItem
from tests.web.base import WebTestCase

HEADER = ["年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"]


def list_url(register: str, code: str = "WCBGS", year: int | None = None) -> str:
    url = reverse("reports:register_list", args=[code, register])
    return f"{url}?year={year}" if year else url


def add_url(register: str, code: str = "WCBGS") -> str:
    return reverse("reports:register_add", args=[code, register])


def edit_url(register: str, pk: int, code: str = "WCBGS") -> str:
    return reverse("reports:register_edit", args=[code, register, pk])


ITEM_POST = {
    "title": "宛城区2025年政府工作报告解读",
    "published_on": "2025-02-10",
    "column": "政策解读",
    "article_item": "（三）",
    "url": "https://www.wancheng.gov.cn/a/1.html",
    "is_interpretation": "on",
    "interpretation_form": "image",
}


class RegisterScreenTestCase(WebTestCase):
    def item(self, organisation: Any = None, **values: Any) -> ProactiveItem:
        defaults: dict[str, Any] = {"title": "通知公告", "published_on": dt.date(2025, 1, 6)}
        return ProactiveItem.objects.create(
            organisation=organisation or self.office, **(defaults | values)
        )


class ProactiveScreenTests(RegisterScreenTestCase):
    def test_a_clerk_adds_an_item_and_it_appears_in_the_list(self) -> None:
        self.login("clerk")
        response = self.client.post(add_url("proactive"), ITEM_POST)
        self.assertRedirects(response, list_url("proactive", year=2025))
        item = ProactiveItem.objects.get()
        self.assertEqual((item.organisation, item.interpretation_form), (self.office, "image"))
        page = self.client.get(list_url("proactive", year=2025)).content.decode()
        self.assertIn("宛城区2025年政府工作报告解读", page)
        self.assertIn(
            "主动公开政府信息<strong>1</strong>条，其中政策解读<strong>1</strong>篇", page
        )
        self.assertIn(edit_url("proactive", item.pk), page)

    def test_the_add_form_starts_with_today(self) -> None:
        self.login("clerk")
        page = self.client.get(add_url("proactive")).content.decode()
        self.assertIn('value="2025-03-20"', page)

    def test_a_refused_item_shows_the_reason_on_its_field_and_saves_nothing(self) -> None:
        self.login("clerk")
        response = self.client.post(add_url("proactive"), ITEM_POST | {"interpretation_form": ""})
        self.assertContains(response, "政策解读须选择解读形式", status_code=400)
        self.assertFalse(ProactiveItem.objects.exists())

    def test_a_clerk_corrects_and_deletes_an_item(self) -> None:
        item = self.item()
        self.login("reviewer")
        page = self.client.get(edit_url("proactive", item.pk)).content.decode()
        self.assertIn('value="通知公告"', page)
        response = self.client.post(edit_url("proactive", item.pk), ITEM_POST | {"title": "新"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ProactiveItem.objects.get().title, "新")
        delete = reverse("reports:register_delete", args=["WCBGS", "proactive", item.pk])
        self.assertRedirects(self.client.post(delete), list_url("proactive", year=2025))
        self.assertFalse(ProactiveItem.objects.exists())

    def test_the_list_shows_the_chosen_year_only(self) -> None:
        self.item(title="二〇二四年的通知", published_on=dt.date(2024, 12, 31))
        self.item(title="二〇二五年的通知")
        self.login("clerk")
        page = self.client.get(list_url("proactive", year=2024)).content.decode()
        self.assertIn("二〇二四年的通知", page)
        self.assertNotIn("二〇二五年的通知", page)


class SupervisorTests(RegisterScreenTestCase):
    def test_a_supervisor_reads_lists_without_forms(self) -> None:
        item = self.item()
        self.login("supervisor")
        for register in ("proactive", "documents", "figures", "appeals"):
            response = self.client.get(list_url(register, year=2025))
            self.assertEqual(response.status_code, 200, register)
            page = response.content.decode()
            self.assertEqual(page.count('method="post"'), 1, register)  # 退出 only
            self.assertNotIn(add_url(register), page)
        page = self.client.get(list_url("proactive", year=2025)).content.decode()
        self.assertIn("通知公告", page)
        self.assertNotIn(edit_url("proactive", item.pk), page)

    def test_a_supervisor_reads_every_organisation_below_and_can_switch(self) -> None:
        self.item(self.other, title="财政局的通知")
        self.login("supervisor")
        response = self.client.get(list_url("proactive"), {"org": "WCCZJ", "year": 2025})
        self.assertRedirects(response, list_url("proactive", "WCCZJ", 2025))
        self.assertContains(self.client.get(response["Location"]), "财政局的通知")

    def test_every_change_by_a_supervisor_is_403(self) -> None:
        item = self.item()
        self.login("supervisor")
        posts = [
            add_url("proactive"),
            edit_url("proactive", item.pk),
            reverse("reports:register_delete", args=["WCBGS", "proactive", item.pk]),
            reverse("reports:register_figures_save", args=["WCBGS"]),
            reverse("reports:register_import", args=["WCBGS"]),
        ]
        for url in posts:
            self.assertEqual(self.client.post(url, ITEM_POST).status_code, 403, url)
        self.assertEqual(self.client.get(add_url("appeals")).status_code, 403)
        self.assertEqual(ProactiveItem.objects.get().title, "通知公告")


class OutsiderTests(RegisterScreenTestCase):
    def test_another_organisations_registers_are_404(self) -> None:
        item = self.item()
        self.login("outsider")
        for url in (
            list_url("proactive"),
            list_url("figures"),
            edit_url("proactive", item.pk),
            reverse("reports:register_template", args=["WCBGS"]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(self.client.post(add_url("proactive"), ITEM_POST).status_code, 404)
        # Its own organisation's code does not reach the office's entry either.
        self.assertEqual(self.client.get(edit_url("proactive", item.pk, "WCCZJ")).status_code, 404)
        delete = reverse("reports:register_delete", args=["WCCZJ", "proactive", item.pk])
        self.assertEqual(self.client.post(delete).status_code, 404)
        self.assertTrue(ProactiveItem.objects.exists())

    def test_unknown_registers_and_figures_entries_are_404(self) -> None:
        self.login("clerk")
        self.assertEqual(self.client.get(list_url("budget")).status_code, 404)
        self.assertEqual(self.client.get(add_url("figures")).status_code, 404)
        delete = reverse("reports:register_delete", args=["WCBGS", "appeals", 999_999])
        self.assertEqual(self.client.post(delete).status_code, 404)

    def test_anonymous_users_are_sent_to_login(self) -> None:
        self.assertRedirectsToLogin(self.client.get(reverse("reports:registers")))
        self.assertRedirectsToLogin(self.client.post(add_url("proactive"), ITEM_POST))


class OverviewTests(RegisterScreenTestCase):
    def test_it_counts_each_register_for_the_year(self) -> None:
        self.item(is_interpretation=True, interpretation_form="text")
        self.item(published_on=dt.date(2024, 5, 1))
        NormativeDocument.objects.create(
            organisation=self.office, kind="normative_documents", title="文件",
            issued_on=dt.date(2025, 1, 10),
        )  # fmt: skip
        self.login("clerk")
        page = self.client.get(reverse("reports:registers"), {"year": 2025}).content.decode()
        self.assertIn('1条</a><span class="sub">其中政策解读1篇', page)
        self.assertIn('现行有效1件</a><span class="sub">本年制发1件，废止0件', page)
        self.assertIn("未登记", page)
        self.assertNotIn("宛城区财政局", page)

    def test_a_supervisor_sees_every_organisation_in_a_fixed_number_of_queries(self) -> None:
        self.login("supervisor")
        url = reverse("reports:registers")
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(5):
            child = self.other.__class__.objects.create(
                code=f"WCX{n}", name=f"乡镇{n}", kind="township", parent=self.district
            )
            self.item(child)
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(url).content.decode()
        self.assertEqual(len(many), len(few))
        self.assertIn("乡镇4", page)


class DocumentScreenTests(RegisterScreenTestCase):
    def test_a_document_issued_in_a_year_is_in_that_years_report(self) -> None:
        self.login("clerk")
        response = self.client.post(
            add_url("documents"),
            {
                "kind": "normative_documents",
                "title": "宛城区人民政府办公室关于规范某项工作的通知",
                "doc_number": "宛政办〔2024〕9号",
                "issued_on": "2024-06-01",
            },
        )
        self.assertRedirects(response, list_url("documents", year=2024))
        report = build_annual_report(organisation=self.office, year=2024).report
        issued, abolished, in_force = (cell.value for cell in report.t2["normative_documents"])
        self.assertEqual((issued, abolished, in_force), (1, 0, 1))
        self.assertEqual([c.value for c in report.t2["regulations"]], [0, 0, 0])
        page = self.client.get(list_url("documents", year=2024)).content.decode()
        self.assertIn("宛政办〔2024〕9号", page)
        self.assertIn("本年制发", page)

    def test_an_abolition_moves_the_document_out_of_force(self) -> None:
        document = NormativeDocument.objects.create(
            organisation=self.office, kind="normative_documents", title="旧文件",
            doc_number="宛政办〔2019〕1号", issued_on=dt.date(2019, 4, 1),
        )  # fmt: skip
        self.login("clerk")
        post = {
            "kind": "normative_documents",
            "title": "旧文件",
            "doc_number": "宛政办〔2019〕1号",
            "issued_on": "2019-04-01",
            "abolished_on": "2024-10-01",
        }
        response = self.client.post(edit_url("documents", document.pk) + "?year=2024", post)
        self.assertRedirects(response, list_url("documents", year=2024))
        report = build_annual_report(organisation=self.office, year=2024).report
        self.assertEqual([c.value for c in report.t2["normative_documents"]], [0, 1, 0])

    def test_a_duplicate_doc_number_is_shown_on_its_field(self) -> None:
        NormativeDocument.objects.create(
            organisation=self.office, kind="normative_documents", title="已有文件",
            doc_number="宛政办〔2024〕9号", issued_on=dt.date(2024, 4, 1),
        )  # fmt: skip
        self.login("clerk")
        response = self.client.post(
            add_url("documents"),
            {"kind": "regulations", "title": "新文件", "doc_number": "宛政办[2024]9号",
             "issued_on": "2024-06-01"},
        )  # fmt: skip
        self.assertContains(response, "文号“宛政办〔2024〕9号”已登记（已有文件）", status_code=400)
        self.assertEqual(NormativeDocument.objects.count(), 1)


class AppealScreenTests(RegisterScreenTestCase):
    def test_a_clerk_enters_a_case_linked_to_an_application(self) -> None:
        application = self.new(received_on=dt.date(2025, 1, 6))
        self.login("clerk")
        response = self.client.post(
            add_url("appeals"),
            {
                "kind": "suit_direct",
                "case_number": "（2025）豫1302行初5号",
                "body": "南阳市宛城区人民法院",
                "filed_on": "2025-02-20",
                "application": application.tracking_no,
                "result": "",
            },
        )
        self.assertRedirects(response, list_url("appeals", year=2025))
        self.assertEqual(Appeal.objects.get().application, application)
        page = self.client.get(list_url("appeals", year=2025)).content.decode()
        self.assertIn(application.tracking_no, page)
        self.assertIn("尚未审结", page)

    def test_the_list_reads_linked_applications_in_a_fixed_number_of_queries(self) -> None:
        self.login("supervisor")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(list_url("appeals", year=2025)).status_code, 200)
            return len(queries)

        def add(n: int) -> None:
            Appeal.objects.create(
                organisation=self.office, kind="review", case_number=f"宛复〔2025〕{n}号",
                body="宛城区人民政府", filed_on=dt.date(2025, 2, 1),
                application=self.new(received_on=dt.date(2025, 1, 6)),
            )  # fmt: skip

        add(1)
        one = count()
        add(2)
        add(3)
        self.assertEqual(count(), one)

    def test_a_result_without_its_date_is_refused_on_the_form(self) -> None:
        self.login("clerk")
        response = self.client.post(
            add_url("appeals"),
            {"kind": "review", "case_number": "宛复〔2025〕1号", "body": "宛城区人民政府",
             "filed_on": "2025-02-20", "result": "upheld"},
        )  # fmt: skip
        self.assertContains(response, "选择了审理结果，请填写审结日期", status_code=400)
        self.assertFalse(Appeal.objects.exists())

    def test_a_case_entered_twice_is_deleted_and_leaves_table_4(self) -> None:
        appeal = Appeal.objects.create(
            organisation=self.office, kind="review", case_number="宛复〔2025〕9号",
            body="宛城区人民政府", filed_on=dt.date(2025, 2, 1),
        )  # fmt: skip
        t4 = build_annual_report(organisation=self.office, year=2025).report.t4
        self.assertEqual(t4["review"][-1].value, 1)
        self.login("supervisor")
        delete = reverse("reports:register_delete", args=["WCBGS", "appeals", appeal.pk])
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.login("clerk")
        self.assertRedirects(self.client.post(delete), list_url("appeals", year=2025))
        self.assertFalse(Appeal.objects.exists())
        t4 = build_annual_report(organisation=self.office, year=2025).report.t4
        self.assertEqual(t4["review"][-1].value, 0)


class FiguresScreenTests(RegisterScreenTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory(prefix="gongkai-figures-")
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def xlsx(self, rows: list[list[Any]]) -> SimpleUploadedFile:
        workbook = Workbook()
        sheet: Any = workbook.active
        for row in rows:
            sheet.append(row)
        path = self.folder / "figures.xlsx"
        workbook.save(path)
        return SimpleUploadedFile("figures.xlsx", path.read_bytes())

    def test_the_page_offers_last_years_form(self) -> None:
        self.login("clerk")
        page = self.client.get(list_url("figures")).content.decode()
        self.assertIn("2024年度尚未登记", page)
        self.assertIn('name="year" value="2024"', page)

    def test_a_clerk_types_in_a_years_figures(self) -> None:
        self.login("clerk")
        save = reverse("reports:register_figures_save", args=["WCBGS"])
        post = {"year": 2024, "licensing": 7, "penalty": 2, "coercion": 0, "fees": "3.25"}
        self.assertRedirects(self.client.post(save, post), list_url("figures", year=2024))
        row = EnforcementFigures.objects.get()
        self.assertEqual((row.licensing, row.fees), (7, Decimal("3.25")))
        report = build_annual_report(organisation=self.office, year=2024).report
        self.assertEqual(report.t2["fees"][0].value, Decimal("3.25"))
        response = self.client.post(save, post | {"year": 2026})
        self.assertContains(response, "年度须在2008年至2025年之间", status_code=400)

    def test_an_import_with_a_bad_row_lists_it_and_imports_nothing(self) -> None:
        self.login("clerk")
        url = reverse("reports:register_import", args=["WCBGS"])
        upload = self.xlsx([HEADER, [2023, 1, 1, 1, 0], [2024, -2, 0, 0, 0]])
        response = self.client.post(url, {"file": upload})
        self.assertContains(response, "未导入任何数据", status_code=400)
        self.assertContains(response, "第3行：行政许可处理决定数量不能为负数", status_code=400)
        self.assertFalse(EnforcementFigures.objects.exists())

    def test_a_good_import_is_saved(self) -> None:
        self.login("clerk")
        url = reverse("reports:register_import", args=["WCBGS"])
        upload = self.xlsx([HEADER, [2023, 1, 1, 1, 0], [2024, 2, 0, 0, 0.75]])
        response = self.client.post(url, {"file": upload}, follow=True)
        self.assertRedirects(response, list_url("figures", year=2024))
        self.assertContains(response, "已导入执法和收费数据：新增2023、2024年度")
        self.assertEqual(EnforcementFigures.objects.count(), 2)

    def test_a_corrupt_upload_gets_a_clear_message(self) -> None:
        self.login("clerk")
        url = reverse("reports:register_import", args=["WCBGS"])
        upload = SimpleUploadedFile("figures.xlsx", b"PK\x03\x04 broken")
        response = self.client.post(url, {"file": upload})
        self.assertContains(response, "文件不完整或已损坏", status_code=400)

    def test_the_template_downloads_as_a_workbook(self) -> None:
        self.login("supervisor")
        response = self.client.get(reverse("reports:register_template", args=["WCBGS"]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        sheet: Any = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual([c.value for c in sheet[1]], ["机构代码", *HEADER])


class OrganisationSelectorTests(RegisterScreenTestCase):
    def test_it_appears_only_with_several_organisations(self) -> None:
        self.login("clerk")
        self.assertNotContains(self.client.get(list_url("proactive")), 'name="org"')
        Membership.objects.create(user=self.clerk, organisation=self.other, role=Role.CLERK)
        page = self.client.get(list_url("proactive")).content.decode()
        self.assertIn('name="org"', page)
        self.assertIn('<option value="WCCZJ">宛城区财政局</option>', page)

    def test_switching_to_an_unreadable_organisation_is_404(self) -> None:
        self.login("outsider")
        response = self.client.get(list_url("proactive", "WCCZJ"), {"org": "WCBGS"})
        self.assertEqual(response.status_code, 404)
