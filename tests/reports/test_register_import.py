"""The .xlsx import of the catalogue registers (主动公开信息, 规章和规范性文件): real workbooks
written by openpyxl, a good file, bad rows reported by row and column, all rows or none, the
template read back, and the zip checks before openpyxl opens anything."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook

from gongkai.cases.services import ServiceError
from gongkai.reports.models import NormativeDocument, ProactiveItem
from gongkai.reports.register_figures import FiguresImportError
from gongkai.reports.register_import import (
    normative_documents_import_xlsx,
    proactive_items_import_xlsx,
    register_template_xlsx,
)
from gongkai.test import BaseTestCase

TODAY = dt.date(2025, 3, 20)
ITEM_HEADER = ["索引号", "标题*", "发布日期*", "成文日期", "文号", "主题分类", "体裁", "有效性",
               "有效性变更日期", "政策解读", "解读形式", "所解读文件的索引号"]  # fmt: skip
DOC_HEADER = ["类别", "名称", "文号", "制发日期", "废止日期", "有效性"]


def workbook(header: list[str], *rows: list[Any], title_rows: int = 0) -> bytes:
    book = Workbook()
    sheet: Any = book.active
    for _ in range(title_rows):
        sheet.append(["宛城区人民政府办公室主动公开信息台账"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ProactiveImportTests(BaseTestCase):
    def load(self, content: bytes) -> Any:
        return proactive_items_import_xlsx(
            actor=self.clerk, organisation=self.office, content=content, today=TODAY
        )

    def good_rows(self) -> list[list[Any]]:
        code = self.office.code
        return [
            [f"{code}01202500001", "关于防汛的通知", dt.date(2025, 3, 3), "2025-02-28",
             "宛政办〔2025〕1号", "综合政务", "通知", "有效", None, "否", None, None],
            [None, "《关于防汛的通知》解读", "2025/3/4", None, None, "01", "解读", None, None,
             "是", "图片", f"{code}01202500001"],
            [None, "旧办法", "2025年3月5日", "2025-03-01", "宛政办〔2020〕3号", "财政、金融、审计",
             "意见", "废止", "2025-03-05", "否", None, None],
        ]  # fmt: skip

    def test_a_good_file_adds_every_row(self) -> None:
        result = self.load(workbook(ITEM_HEADER, *self.good_rows(), title_rows=2))
        self.assertEqual(result.created, 3)
        policy = ProactiveItem.objects.get(title="关于防汛的通知")
        interpretation = ProactiveItem.objects.get(title="《关于防汛的通知》解读")
        self.assertEqual(interpretation.interprets, policy)
        self.assertEqual(interpretation.interpretation_form, "image")
        self.assertEqual(interpretation.index_no, f"{self.office.code}01202500002")
        old = ProactiveItem.objects.get(title="旧办法")
        self.assertEqual((old.topic, old.genre, old.validity), ("03", "yijian", "repealed"))
        self.assertEqual(old.written_on, dt.date(2025, 3, 1))

    def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(self) -> None:
        rows = self.good_rows()
        rows[1][2] = "下周"  # 发布日期 not a date
        rows[2][5] = "天文"  # no such 主题
        rows.append([None, None, dt.date(2025, 3, 6)] + [None] * 9)  # no 标题
        with self.assertRaises(FiguresImportError) as raised:
            self.load(workbook(ITEM_HEADER, *rows))
        problems = raised.exception.problems
        self.assertIn("第3行“发布日期”列：“下周”不是日期（例如 2024-03-15）", problems)
        self.assertIn("第4行“主题分类”列：“天文”不在主题分类表中", problems)
        self.assertIn("第5行“标题”列：不能为空", problems)
        self.assertIn("未导入任何数据", raised.exception.message)
        self.assertFalse(ProactiveItem.objects.exists())

    def test_a_row_the_service_refuses_undoes_the_rows_before_it(self) -> None:
        rows = self.good_rows()
        rows.append([f"{self.office.code}01202500001", "重复索引号", "2025-03-06"] + [None] * 9)
        with self.assertRaises(FiguresImportError) as raised:
            self.load(workbook(ITEM_HEADER, *rows))
        self.assertEqual(len(raised.exception.problems), 1)
        self.assertTrue(raised.exception.problems[0].startswith("第5行“索引号”列："))
        self.assertFalse(ProactiveItem.objects.exists())

    def test_a_missing_required_column_is_named(self) -> None:
        with self.assertRaises(FiguresImportError) as raised:
            self.load(workbook(["标题", "文号"], ["通知", "1号"]))
        self.assertIn("缺少列：发布日期", raised.exception.problems[0])

    def test_the_template_reads_back_as_an_empty_import(self) -> None:
        content = register_template_xlsx(self.office, "proactive")
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        self.assertIn("标题*", header)
        self.assertIn("索引号", header)
        with self.assertRaises(FiguresImportError) as raised:
            self.load(content)
        self.assertEqual(raised.exception.problems, ("表中没有数据行",))

    def test_a_zip_bomb_or_non_workbook_is_refused_before_openpyxl(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", b"\0" * (20 * 1024 * 1024))
        with self.assertRaises(ServiceError) as raised:
            self.load(buffer.getvalue())
        self.assertIn("压缩", raised.exception.message)
        with self.assertRaises(ServiceError):
            self.load(b"not a workbook")

    def test_a_supervisor_may_not_import(self) -> None:
        with self.assertRaises(ServiceError):
            proactive_items_import_xlsx(
                actor=self.supervisor, organisation=self.office, today=TODAY,
                content=workbook(ITEM_HEADER, *self.good_rows()),
            )  # fmt: skip


class DocumentImportTests(BaseTestCase):
    def load(self, content: bytes) -> Any:
        return normative_documents_import_xlsx(
            actor=self.clerk, organisation=self.office, content=content, today=TODAY
        )

    def test_a_good_file_adds_documents_with_their_validity(self) -> None:
        result = self.load(workbook(
            DOC_HEADER,
            ["行政规范性文件", "关于甲的通知", "宛政办〔2024〕1号", "2024-02-01", None, None],
            ["规章", "乙办法", "宛政〔2019〕2号", "2019-05-01", "2023-06-30", "失效"],
        ))  # fmt: skip
        self.assertEqual(result.created, 2)
        lapsed = NormativeDocument.objects.get(title="乙办法")
        self.assertEqual((lapsed.kind, lapsed.validity), ("regulations", "lapsed"))
        self.assertEqual(NormativeDocument.objects.get(title="关于甲的通知").validity, "valid")

    def test_one_bad_row_saves_nothing(self) -> None:
        with self.assertRaises(FiguresImportError) as raised:
            self.load(workbook(
                DOC_HEADER,
                ["行政规范性文件", "关于甲的通知", "宛政办〔2024〕1号", "2024-02-01", None, None],
                ["行政规范性文件", "关于乙的通知", "宛政办〔2024〕1号", "2024-03-01", None, None],
                ["行政规范性文件", "丙", None, "2024-03-01", None, "废止"],
            ))  # fmt: skip
        problems = raised.exception.problems
        self.assertTrue(problems[0].startswith("第3行“文号”列："), problems)
        self.assertTrue(problems[1].startswith("第4行“废止日期”列："), problems)
        self.assertFalse(NormativeDocument.objects.exists())


class ImportScreenTests(BaseTestCase):
    def test_the_screen_lists_the_problems_and_offers_the_template(self) -> None:
        self.client.force_login(self.clerk)
        base = f"/reports/registers/{self.office.code}/documents/"
        template = self.client.get(base + "template.xlsx")
        self.assertEqual(template.status_code, 200)
        load_workbook(io.BytesIO(template.content))
        bad = workbook(DOC_HEADER, ["行政规范性文件", "丙", None, "不是日期", None, None])
        response = self.client.post(base + "import/", {"file": io.BytesIO(bad)}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("第2行“制发日期”列", response.content.decode())
