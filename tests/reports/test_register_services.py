"""The register services: what each accepts, and that every refusal leaves the registers as they
were. The .xlsx import reads real workbooks written by openpyxl into a temporary folder."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from gongkai.cases.services import Applicant, Registration, ServiceError, application_register
from gongkai.reports.models import Appeal, EnforcementFigures, NormativeDocument, ProactiveItem
from gongkai.reports.register_figures import (
    FiguresData,
    FiguresImportError,
    enforcement_figures_import_xlsx,
    enforcement_figures_save,
    figures_template_xlsx,
)
from gongkai.reports.register_services import (
    AppealData,
    NormativeDocumentData,
    ProactiveItemData,
    appeal_save,
    normative_document_delete,
    normative_document_save,
    proactive_item_delete,
    proactive_item_save,
)
from gongkai.test import VALID_ID, BaseTestCase

TODAY = dt.date(2025, 3, 20)
HEADER = ["年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"]


def snapshot() -> list[list[dict[str, Any]]]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (ProactiveItem, NormativeDocument, EnforcementFigures, Appeal)
    ]


class RegisterServiceTestCase(BaseTestCase):
    def assertRefused(
        self, call: Any, *, kind: str = "invalid", field: str | None = None, text: str = ""
    ) -> ServiceError:
        """`call` raises a ServiceError of `kind` on `field` and changes no register."""
        before = snapshot()
        with self.assertRaises(ServiceError) as raised:
            call()
        self.assertEqual(raised.exception.kind, kind, raised.exception.message)
        if field is not None:
            self.assertEqual(raised.exception.field, field, raised.exception.message)
        self.assertIn(text, raised.exception.message)
        self.assertEqual(snapshot(), before)
        return raised.exception


# ---------------------------------------------------------------- 主动公开信息


def item_data(**changes: Any) -> ProactiveItemData:
    values: dict[str, Any] = {
        "title": "宛城区2025年政府工作报告",
        "published_on": dt.date(2025, 2, 10),
        "column": "政府工作报告",
        "article_item": "（三）",
        "url": "https://www.wancheng.gov.cn/a/1.html",
    }
    return ProactiveItemData(**(values | changes))


class ProactiveItemSaveTests(RegisterServiceTestCase):
    def save(self, actor: Any = None, **changes: Any) -> ProactiveItem:
        return proactive_item_save(
            actor=actor or self.clerk,
            organisation=self.office,
            data=item_data(**changes),
            today=TODAY,
        )

    def test_a_clerk_adds_an_item(self) -> None:
        item = self.save(title="  宛城区2025年\n政府工作报告 ")
        self.assertEqual(item.organisation, self.office)
        self.assertEqual(item.title, "宛城区2025年 政府工作报告")
        self.assertFalse(item.is_interpretation)

    def test_an_interpretation_keeps_its_form(self) -> None:
        item = self.save(is_interpretation=True, interpretation_form="video")
        self.assertEqual(item.interpretation_form, ProactiveItem.Form.VIDEO)

    def test_it_updates_an_item_in_place(self) -> None:
        item = self.save()
        updated = proactive_item_save(
            actor=self.reviewer,
            organisation=self.office,
            data=item_data(title="更正后的标题"),
            today=TODAY,
            item=item,
        )
        self.assertEqual(updated.pk, item.pk)
        self.assertEqual(ProactiveItem.objects.get().title, "更正后的标题")

    def test_supervisor_and_outsider_may_not_write(self) -> None:
        for actor in (self.supervisor, self.outsider):
            self.assertRefused(lambda actor=actor: self.save(actor), kind="forbidden")

    def test_it_refuses_an_empty_title(self) -> None:
        self.assertRefused(lambda: self.save(title="  "), field="title")

    def test_it_refuses_a_date_more_than_a_year_ahead(self) -> None:
        self.assertRefused(
            lambda: self.save(published_on=dt.date(2026, 3, 22)), field="published_on"
        )

    def test_a_release_may_be_scheduled_for_a_later_day(self) -> None:
        item = self.save(published_on=dt.date(2025, 3, 21))
        self.assertEqual(item.published_on, dt.date(2025, 3, 21))

    def test_an_interpretation_needs_its_form(self) -> None:
        self.assertRefused(
            lambda: self.save(is_interpretation=True), field="interpretation_form", text="解读形式"
        )

    def test_a_form_needs_an_interpretation(self) -> None:
        self.assertRefused(
            lambda: self.save(interpretation_form="text"), field="interpretation_form"
        )

    def test_it_refuses_an_item_article_20_does_not_have(self) -> None:
        self.assertRefused(lambda: self.save(article_item="（十六）"), field="article_item")

    def test_it_does_not_update_another_organisations_item(self) -> None:
        theirs = ProactiveItem.objects.create(
            organisation=self.other, title="财政预算", published_on=dt.date(2025, 1, 5)
        )
        self.assertRefused(
            lambda: proactive_item_save(
                actor=self.clerk,
                organisation=self.office,
                data=item_data(),
                today=TODAY,
                item=theirs,
            ),
            kind="conflict",
        )


class ProactiveItemDeleteTests(RegisterServiceTestCase):
    def test_a_clerk_deletes_an_item_and_a_supervisor_may_not(self) -> None:
        item = proactive_item_save(
            actor=self.clerk, organisation=self.office, data=item_data(), today=TODAY
        )
        self.assertRefused(
            lambda: proactive_item_delete(
                actor=self.supervisor, organisation=self.office, item=item
            ),
            kind="forbidden",
        )
        proactive_item_delete(actor=self.clerk, organisation=self.office, item=item)
        self.assertFalse(ProactiveItem.objects.exists())


# ---------------------------------------------------------------- 规章和规范性文件


def document_data(**changes: Any) -> NormativeDocumentData:
    values: dict[str, Any] = {
        "kind": NormativeDocument.Kind.NORMATIVE,
        "title": "宛城区人民政府办公室关于规范某项工作的通知",
        "doc_number": "宛政办〔2024〕3号",
        "issued_on": dt.date(2024, 5, 6),
    }
    return NormativeDocumentData(**(values | changes))


class NormativeDocumentSaveTests(RegisterServiceTestCase):
    def save(self, organisation: Any = None, actor: Any = None, **changes: Any) -> Any:
        return normative_document_save(
            actor=actor or self.clerk,
            organisation=organisation or self.office,
            data=document_data(**changes),
            today=TODAY,
        )

    def test_a_clerk_adds_a_document_and_abolishes_it_later(self) -> None:
        document = self.save()
        normative_document_save(
            actor=self.clerk,
            organisation=self.office,
            data=document_data(abolished_on=dt.date(2025, 1, 31)),
            today=TODAY,
            document=document,
        )
        document.refresh_from_db()
        self.assertEqual(document.abolished_on, dt.date(2025, 1, 31))
        self.assertEqual(NormativeDocument.objects.count(), 1)

    def test_abolition_may_not_precede_issue(self) -> None:
        self.assertRefused(
            lambda: self.save(abolished_on=dt.date(2024, 5, 5)),
            field="abolished_on",
            text="不能早于制发日期",
        )

    def test_a_future_abolition_is_a_validity_period(self) -> None:
        document = self.save(abolished_on=dt.date(2029, 5, 5))
        self.assertEqual(document.abolished_on, dt.date(2029, 5, 5))

    def test_issue_may_not_be_after_today(self) -> None:
        self.assertRefused(lambda: self.save(issued_on=dt.date(2025, 3, 21)), field="issued_on")

    def test_it_refuses_an_unknown_kind(self) -> None:
        self.assertRefused(lambda: self.save(kind="decision"), field="kind")

    def test_a_doc_number_is_unique_in_the_organisation_however_bracketed(self) -> None:
        self.save()
        for number in ("宛政办〔2024〕3号", "宛政办[2024]3号", " 宛政办【2024】 3号"):
            self.assertRefused(
                lambda number=number: self.save(doc_number=number, title="另一个文件"),
                kind="conflict",
                field="doc_number",
                text="已登记",
            )

    def test_documents_without_number_and_other_organisations_do_not_clash(self) -> None:
        self.save()
        self.save(doc_number="")
        self.save(doc_number="")
        self.save(organisation=self.other, actor=self.outsider)
        self.assertEqual(NormativeDocument.objects.count(), 4)

    def test_saving_a_document_again_keeps_its_own_number(self) -> None:
        document = self.save()
        normative_document_save(
            actor=self.clerk,
            organisation=self.office,
            data=document_data(title="新名称"),
            today=TODAY,
            document=document,
        )
        self.assertEqual(NormativeDocument.objects.get().title, "新名称")

    def test_a_supervisor_may_not_delete(self) -> None:
        document = self.save()
        self.assertRefused(
            lambda: normative_document_delete(
                actor=self.supervisor, organisation=self.office, document=document
            ),
            kind="forbidden",
        )
        normative_document_delete(actor=self.admin, organisation=self.office, document=document)
        self.assertFalse(NormativeDocument.objects.exists())


# ---------------------------------------------------------------- 执法和收费数据


def figures(**changes: Any) -> FiguresData:
    values: dict[str, Any] = {
        "year": 2024,
        "licensing": 12,
        "penalty": 3,
        "coercion": 0,
        "fees": Decimal("1.2345"),
    }
    return FiguresData(**(values | changes))


class EnforcementFiguresSaveTests(RegisterServiceTestCase):
    def save(self, actor: Any = None, **changes: Any) -> EnforcementFigures:
        return enforcement_figures_save(
            actor=actor or self.clerk,
            organisation=self.office,
            data=figures(**changes),
            today=TODAY,
        )

    def test_a_year_is_entered_then_corrected_in_the_same_row(self) -> None:
        first = self.save()
        second = self.save(licensing=13, fees=Decimal("2"))
        self.assertEqual(first.pk, second.pk)
        row = EnforcementFigures.objects.get()
        self.assertEqual((row.licensing, row.fees), (13, Decimal("2.0000")))

    def test_zero_is_a_figure(self) -> None:
        row = self.save(licensing=0, penalty=0, coercion=0, fees=Decimal(0))
        self.assertEqual(row.fees, Decimal(0))

    def test_it_refuses_negative_counts(self) -> None:
        for name in ("licensing", "penalty", "coercion"):
            self.assertRefused(lambda name=name: self.save(**{name: -1}), field=name)

    def test_it_refuses_negative_fees_and_more_than_four_decimals(self) -> None:
        self.assertRefused(lambda: self.save(fees=Decimal("-0.01")), field="fees")
        self.assertRefused(lambda: self.save(fees=Decimal("0.00001")), field="fees", text="4位")
        self.assertRefused(lambda: self.save(fees=Decimal("NaN")), field="fees")
        self.save(fees=Decimal("0.10000"))  # trailing zeros are not decimals

    def test_it_refuses_fees_above_any_organisation_s_income(self) -> None:
        # 10^8 万元 = 1万亿元 is accepted; a cent more in 万元 is a unit error (decision I-5).
        self.save(fees=Decimal("100000000"))
        self.assertRefused(
            lambda: self.save(fees=Decimal("100000000.0001")), field="fees", text="1万亿元"
        )
        self.assertRefused(lambda: self.save(fees=Decimal("1E+30")), field="fees")

    def test_it_refuses_a_year_not_yet_begun_or_before_the_regulation(self) -> None:
        self.assertRefused(lambda: self.save(year=2026), field="year")
        self.assertRefused(lambda: self.save(year=2007), field="year")

    def test_a_supervisor_may_not_enter_figures(self) -> None:
        self.assertRefused(lambda: self.save(self.supervisor), kind="forbidden")


class FiguresImportTests(RegisterServiceTestCase):
    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory(prefix="gongkai-figures-")
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def xlsx(self, rows: list[list[Any]], *, name: str = "figures.xlsx") -> bytes:
        workbook = Workbook()
        sheet: Any = workbook.active
        for row in rows:
            sheet.append(row)
        path = self.folder / name
        workbook.save(path)
        return path.read_bytes()

    def upload(self, content: bytes, actor: Any = None) -> Any:
        return enforcement_figures_import_xlsx(
            actor=actor or self.clerk, organisation=self.office, content=content, today=TODAY
        )

    def test_it_imports_every_row(self) -> None:
        content = self.xlsx([HEADER, [2023, 5, 1, 0, 0], [2024, 12, 3, 1, 1.5]])
        result = self.upload(content)
        self.assertEqual((result.created, result.updated), ((2023, 2024), ()))
        rows = EnforcementFigures.objects.filter(organisation=self.office).order_by("year")
        self.assertEqual(
            [(r.year, r.licensing, r.penalty, r.coercion, r.fees) for r in rows],
            [(2023, 5, 1, 0, Decimal("0")), (2024, 12, 3, 1, Decimal("1.5"))],
        )

    def test_a_year_already_entered_is_overwritten(self) -> None:
        enforcement_figures_save(
            actor=self.clerk, organisation=self.office, data=figures(), today=TODAY
        )
        result = self.upload(self.xlsx([HEADER, [2024, 1, 1, 1, 0]]))
        self.assertEqual((result.created, result.updated), ((), (2024,)))
        self.assertEqual(EnforcementFigures.objects.get().licensing, 1)

    def test_one_bad_row_imports_nothing_and_every_problem_is_named(self) -> None:
        content = self.xlsx(
            [
                HEADER,
                [2022, 1, 1, 1, 0],
                [2023, -1, "三", None, 0.123456],
                [2022, 2, 2, 2, 0],
                [2021, 0, 0, 0, "免收"],
            ]
        )
        error = self.assertRefused(lambda: self.upload(content), field="file")
        assert isinstance(error, FiguresImportError)
        problems = "\n".join(error.problems)
        self.assertIn("第3行：行政许可处理决定数量不能为负数", problems)
        self.assertIn("第3行：行政处罚“三”不是整数", problems)
        self.assertIn("第3行：行政强制为空（没有的请填0）", problems)
        self.assertIn("第3行：行政事业性收费金额以万元为单位，最多保留4位小数", problems)
        self.assertIn("第4行：年度2022与第2行重复", problems)
        self.assertIn("第5行：行政事业性收费（万元）“免收”不是数字", problems)
        self.assertIn("未导入任何数据", error.message)

    def test_the_organisation_code_must_be_this_organisations(self) -> None:
        content = self.xlsx(
            [["机构代码", *HEADER], ["wcbgs", 2023, 0, 0, 0, 0], ["WCCZJ", 2024, 0, 0, 0, 0]]
        )
        error = self.assertRefused(lambda: self.upload(content))
        assert isinstance(error, FiguresImportError)
        self.assertEqual(len(error.problems), 1)
        self.assertIn("第3行：机构代码“WCCZJ”与导入的机构不符（应为WCBGS", error.problems[0])

    def test_a_title_row_text_figures_and_formula_noise_are_read(self) -> None:
        content = self.xlsx(
            [
                ["宛城区人民政府办公室执法和收费数据"],
                [],
                [" 年 度 ", "行政许可", "行政处罚", "行政强制", "行政事业性收费(万元)", "备注"],
                ["2024年", "1,200", 3.0, "0", 0.1 + 0.2, "按决定书统计"],
            ]
        )
        self.upload(content)
        row = EnforcementFigures.objects.get()
        self.assertEqual((row.year, row.licensing, row.penalty), (2024, 1200, 3))
        self.assertEqual(row.fees, Decimal("0.3"))

    def test_a_fee_column_in_yuan_is_refused(self) -> None:
        content = self.xlsx([[*HEADER[:4], "行政事业性收费（元）"], [2024, 0, 0, 0, 15000]])
        error = self.assertRefused(lambda: self.upload(content))
        assert isinstance(error, FiguresImportError)
        self.assertIn("须以万元填写", error.problems[0])

    def test_a_missing_column_is_named(self) -> None:
        content = self.xlsx([HEADER[:4], [2024, 0, 0, 0]])
        error = self.assertRefused(lambda: self.upload(content))
        assert isinstance(error, FiguresImportError)
        self.assertEqual(error.problems, ("第1行（表头）缺少列：行政事业性收费（万元）",))

    def test_a_sheet_without_header_or_rows_is_refused(self) -> None:
        self.assertRefused(lambda: self.upload(self.xlsx([["甲", "乙"], [1, 2]])), text="表头")
        error = self.assertRefused(lambda: self.upload(self.xlsx([HEADER])))
        self.assertIn("没有数据行", "".join(getattr(error, "problems", ())))

    def test_broken_files_get_a_clear_message(self) -> None:
        good = self.xlsx([HEADER, [2024, 0, 0, 0, 0]])
        cases = {
            b"": "文件是空的",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600): ".xls",
            b"%PDF-1.7 not a workbook": "不是 Excel 工作簿",
            good[: len(good) // 2]: "已损坏",
        }
        for content, message in cases.items():
            self.assertRefused(lambda c=content: self.upload(c), field="file", text=message)

    def test_a_zip_that_is_no_workbook_is_refused(self) -> None:
        import zipfile

        path = self.folder / "letter.docx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        self.assertRefused(lambda: self.upload(path.read_bytes()), text="不是 Excel 工作簿")

    def test_a_supervisor_may_not_import(self) -> None:
        content = self.xlsx([HEADER, [2024, 0, 0, 0, 0]])
        self.assertRefused(lambda: self.upload(content, self.supervisor), kind="forbidden")

    def test_the_template_filled_in_imports(self) -> None:
        path = self.folder / "template.xlsx"
        path.write_bytes(figures_template_xlsx(self.office, [2024]))
        workbook = load_workbook(path)
        sheet: Any = workbook.worksheets[0]
        self.assertEqual([c.value for c in sheet[1]], ["机构代码", *HEADER])
        self.assertEqual([c.value for c in sheet[2]][:2], ["WCBGS", 2024])
        for column, value in zip("CDEF", (4, 0, 2, 0.5), strict=True):
            sheet[f"{column}2"] = value
        workbook.save(path)
        self.upload(path.read_bytes())
        row = EnforcementFigures.objects.get()
        self.assertEqual((row.licensing, row.coercion, row.fees), (4, 2, Decimal("0.5")))


# ---------------------------------------------------------------- 行政复议和行政诉讼


def appeal_data(**changes: Any) -> AppealData:
    values: dict[str, Any] = {
        "kind": Appeal.Kind.REVIEW,
        "case_number": "宛复决字〔2024〕7号",
        "body": "宛城区人民政府",
        "filed_on": dt.date(2024, 6, 3),
    }
    return AppealData(**(values | changes))


class AppealSaveTests(RegisterServiceTestCase):
    def save(self, appeal: Appeal | None = None, **changes: Any) -> Appeal:
        return appeal_save(
            actor=self.clerk,
            organisation=self.office,
            data=appeal_data(**changes),
            today=TODAY,
            appeal=appeal,
        )

    def test_a_pending_case_is_entered_and_decided_later(self) -> None:
        appeal = self.save()
        self.assertEqual((appeal.result, appeal.decided_on), ("", None))
        self.save(appeal, result="corrected", decided_on=dt.date(2024, 9, 1))
        appeal.refresh_from_db()
        self.assertEqual(appeal.result, Appeal.Result.CORRECTED)

    def test_a_result_needs_its_date_and_a_date_its_result(self) -> None:
        self.assertRefused(lambda: self.save(result="upheld"), field="decided_on")
        self.assertRefused(lambda: self.save(decided_on=dt.date(2024, 9, 1)), field="result")
        self.assertRefused(lambda: self.save(result="won", decided_on=TODAY), field="result")

    def test_a_decision_may_not_precede_filing_or_follow_today(self) -> None:
        self.assertRefused(
            lambda: self.save(result="upheld", decided_on=dt.date(2024, 6, 2)), field="decided_on"
        )
        self.assertRefused(
            lambda: self.save(result="upheld", decided_on=dt.date(2025, 3, 21)),
            field="decided_on",
        )
        self.assertRefused(lambda: self.save(filed_on=dt.date(2025, 3, 21)), field="filed_on")

    def test_it_links_the_application_by_its_tracking_number(self) -> None:
        application = self.register(received_on=dt.date(2024, 3, 4), today=TODAY)
        typed = f" {application.tracking_no.lower()} "
        appeal = self.save(tracking_no=typed)
        self.assertEqual(appeal.application, application)
        self.save(appeal, tracking_no="")
        appeal.refresh_from_db()
        self.assertIsNone(appeal.application)

    def test_another_organisations_application_is_not_found(self) -> None:
        theirs = application_register(
            actor=self.outsider,
            organisation=self.other,
            data=Registration(
                applicant=Applicant(
                    "natural", "李四", "resident_id", VALID_ID, phone="13800000000"
                ),
                channel="online",
                received_on=dt.date(2024, 3, 4),
                content="请公开2024年财政预算",
            ),
            today=TODAY,
        )
        for number in (theirs.tracking_no, "WCBGS-2024-9999"):
            self.assertRefused(
                lambda number=number: self.save(tracking_no=number),
                field="application",
                text="本机构没有申请编号",
            )

    def test_a_case_may_not_be_filed_before_its_application_was_received(self) -> None:
        application = self.register(received_on=dt.date(2024, 7, 1), today=TODAY)
        self.assertRefused(lambda: self.save(tracking_no=application.tracking_no), field="filed_on")

    def test_a_case_number_is_entered_once(self) -> None:
        appeal = self.save()
        self.assertRefused(
            lambda: self.save(case_number="宛复决字[2024]7号", kind="suit_direct"),
            kind="conflict",
            field="case_number",
        )
        self.save(appeal, body="南阳市人民政府")  # the case itself keeps its number

    def test_it_refuses_blank_texts_and_unknown_kinds(self) -> None:
        self.assertRefused(lambda: self.save(case_number=" "), field="case_number")
        self.assertRefused(lambda: self.save(body=""), field="body")
        self.assertRefused(lambda: self.save(kind="petition"), field="kind")

    def test_a_supervisor_may_not_enter_a_case(self) -> None:
        self.assertRefused(
            lambda: appeal_save(
                actor=self.supervisor, organisation=self.office, data=appeal_data(), today=TODAY
            ),
            kind="forbidden",
        )
