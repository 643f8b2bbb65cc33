"""`gongkai stats` and the .xlsx / .docx / .json files: written, opened and read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from gongkai.cli.main import main
from gongkai.test import BaseTestCase
from tests.supervision.test_stats import make_application

D = dt.date


class StatsCliTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # March 2025: one reply on time (15 working days), one open and overdue; 2 new in the year.
        make_application(cls.office, D(2025, 2, 10), D(2025, 3, 3), "r_open", due=D(2025, 3, 10))
        make_application(cls.office, D(2025, 3, 5), channel="mail", applicant_type="biz",
                         due=D(2025, 3, 28))  # fmt: skip
        make_application(cls.other, D(2025, 3, 12), D(2025, 3, 19), "r_open", due=D(2025, 4, 10))

    def run_cli(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = main(["stats", *args])
        return status, out.getvalue(), err.getvalue()

    def test_json_to_stdout_and_to_a_file(self) -> None:
        status, out, _ = self.run_cli("--org", "WCBGS", "--period", "2025-03", "--json")
        self.assertEqual(status, 0)
        data = json.loads(out)
        self.assertEqual(data["this_period"]["t3"]["new"], [0, 1, 0, 0, 0, 0, 1])
        self.assertEqual(data["this_period"]["t3"]["carry_in"][6], 1)
        self.assertEqual(data["year_to_date"]["t3"]["new"][6], 2)
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "s.json"
            status, *_ = self.run_cli(
                "--org", "WCQ", "--period", "2025Q1", "--rollup", "--to", str(target)
            )
            self.assertEqual(status, 0)
            data = json.loads(target.read_text("utf-8"))
        self.assertEqual(data["org"], "WCQ")
        self.assertEqual(data["this_period"]["t3"]["new"][6], 3)
        self.assertEqual([o["org"] for o in data["organisations"]], ["WCQ", "WCBGS", "WCCZJ"])

    def test_the_readable_table(self) -> None:
        status, out, _ = self.run_cli("--org", "WCBGS", "--period", "2025-03")
        self.assertEqual(status, 0)
        self.assertIn("统计报表", out)
        self.assertIn("本年累计", out)

    def test_xlsx_side_by_side(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "s.xlsx"
            self.assertEqual(
                self.run_cli("--org", "WCBGS", "--period", "2025-03", "--to", str(target))[0], 0
            )
            book = load_workbook(target)
        t3 = book["表三"]
        self.assertEqual(t3["A1"].value, "宛城区人民政府办公室2025年3月政府信息公开工作统计报表")
        self.assertEqual((t3["B3"].value, t3["I3"].value), ("本期", "本年累计"))
        self.assertEqual(t3["A5"].value, "一、本年新收政府信息公开申请数量")
        row = [c.value for c in t3[5]]
        self.assertEqual(row[1:8], [0, 1, 0, 0, 0, 0, 1])  # this month: the mail from a company
        self.assertEqual(row[8:15], [1, 1, 0, 0, 0, 0, 2])  # year to date
        figures = {
            (r[0].value, r[1].value): (r[2].value, r[3].value)
            for r in book["其他指标"].iter_rows(min_row=3)
        }
        self.assertEqual(figures[("依申请公开", "期末已逾期未办结")], (1, 1))
        self.assertEqual(figures[("办理用时（工作日）", "中位数")], (15, 15))
        self.assertEqual(figures[("新收申请（按渠道）", "邮寄（需签收）")], (1, 1))

    def test_docx_for_the_leaders(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "s.docx"
            self.assertEqual(
                self.run_cli("--org", "WCBGS", "--period", "2025-03", "--to", str(target))[0], 0
            )
            doc = Document(str(target))
        paragraphs = [p.text for p in doc.paragraphs if p.text]
        self.assertEqual(paragraphs[0], "宛城区人民政府办公室2025年3月政府信息公开工作统计报表")
        self.assertIn("本期新收政府信息公开申请1件", paragraphs[1])
        # 1 replied on time ÷ (1 replied + 1 open and overdue)
        self.assertIn("按时办结率50.0%", paragraphs[1])
        t3 = doc.tables[0]
        self.assertEqual([c.text for c in t3.rows[0].cells], ["项目", "本期", "本年累计"])
        self.assertEqual(
            [c.text for c in t3.rows[1].cells], ["一、本年新收政府信息公开申请数量", "1", "2"]
        )
        self.assertAlmostEqual(doc.sections[0].top_margin.mm, 37, places=1)  # GB/T 9704

    def test_rollup_files_list_each_organisation(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            xlsx, docx = Path(tmp) / "r.xlsx", Path(tmp) / "r.docx"
            for target in (xlsx, docx):
                args = ("--org", "WCQ", "--period", "2025-03", "--rollup", "--to", str(target))
                self.assertEqual(self.run_cli(*args)[0], 0)
            book = load_workbook(xlsx)
            doc = Document(str(docx))
        units = [[c.value for c in row] for row in book["分机构"].iter_rows(min_row=2)]
        # code, name, new, concluded, open, overdue this month; new, concluded this year
        self.assertEqual(units, [["WCQ", "宛城区人民政府", 0, 0, 0, 0, 0, 0],
                                 ["WCBGS", "宛城区人民政府办公室", 1, 1, 1, 1, 2, 1],
                                 ["WCCZJ", "宛城区财政局", 1, 1, 0, 0, 1, 1]])  # fmt: skip
        self.assertEqual(book["表三"]["O5"].value, 3)  # 本年累计 总计 of 新收
        self.assertIn("五、分机构情况", [p.text for p in doc.paragraphs])
        self.assertIn("本级及所属机构本期新收政府信息公开申请2件", doc.paragraphs[1].text)

    def test_bad_input_exits_2_with_a_chinese_message(self) -> None:
        status, _, err = self.run_cli("--org", "WCBGS", "--period", "2025-13")
        self.assertEqual(status, 2)
        self.assertIn("月份无效", err)
        self.assertNotIn("Traceback", err)
        status, _, err = self.run_cli("--org", "WCBGS", "--period", "三月")
        self.assertEqual((status, "无法识别统计期" in err), (2, True))
        status, _, err = self.run_cli("--org", "NOPE", "--period", "2025-03")
        self.assertEqual((status, "找不到机构代码" in err), (2, True))
        status, _, err = self.run_cli("--org", "WCBGS", "--period", "2025-03", "--to", "x.pdf")
        self.assertEqual((status, "不支持的输出格式" in err), (2, True))
