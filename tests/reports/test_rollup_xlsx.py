"""The roll-up workbook read back with openpyxl: official headers, per-organisation numbers equal
to the records (truth file and hand-counted rows), and a 合计 row equal to their sum."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import TestCase
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.reports.rollup import rollup
from gongkai.reports.rollup_xlsx import rollup_workbook
from tests.reports.test_rollup import (
    DISTRICT_T2_NORMATIVE,
    DISTRICT_T3,
    FINANCE_T3,
    LAYOUT,
    TODAY,
    TOWNSHIP_T4,
    YEAR,
    RollupData,
    office_as_published,
    publish,
    truth_tables,
    zeroed,
)

FIRST_DATA_ROW, FIRST_DATA_COLUMN = 4, 5  # below the title and two header rows; after 序号…来源
ORDER = ["宛城区人民政府", "宛城区人民政府办公室", "宛城区财政局", "宛城区红泥湾镇人民政府"]


def flat(rows: dict[str, list[Any]], keys: list[str]) -> list[Any]:
    return [value for key in keys for value in rows[key]]


T3_KEYS = [row.key for row in LAYOUT.t3_rows]
T4_KEYS = [group.key for group in LAYOUT.t4_groups]
T2_KEYS = [row.key for _, row in LAYOUT.t2_rows]


class RollupWorkbookTests(RollupData, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.load()

    def workbook(self) -> Any:
        content = rollup_workbook(rollup(self.district, YEAR, TODAY))
        return load_workbook(io.BytesIO(content))

    def data(self, sheet: Worksheet) -> dict[str, list[Any]]:
        """Organisation name (or 合计) → the numbers of its row."""
        return {
            str(row[1]): list(row[FIRST_DATA_COLUMN - 1 :])
            for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
        }

    def test_sheets_title_and_frozen_headers(self) -> None:
        book = self.workbook()
        self.assertEqual(book.sheetnames, ["汇总状态", "表二", "表三", "表四"])
        sheet = book["表三"]
        self.assertIn("宛城区人民政府", sheet["A1"].value)
        self.assertIn("2024年度", sheet["A1"].value)
        self.assertEqual(sheet.freeze_panes, "E4")
        self.assertEqual(book["汇总状态"].freeze_panes, "C3")

    def test_headers_are_the_official_labels_row_over_column(self) -> None:
        sheet = self.workbook()["表三"]
        self.assertEqual(sheet["E2"].value, "一、本年新收政府信息公开申请数量")
        self.assertIn("E2:K2", {str(r) for r in sheet.merged_cells.ranges})
        header = [sheet.cell(3, FIRST_DATA_COLUMN + i).value for i in range(7)]
        self.assertEqual(
            header,
            [
                "自然人",
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "法人或其他组织（其他）",
                "总计",
            ],
        )
        # （三）不予公开 1.属于国家秘密 is the 5th row of the table: columns 4×7 further on.
        self.assertEqual(
            sheet.cell(2, FIRST_DATA_COLUMN + 28).value, "（三）不予公开 1.属于国家秘密"
        )
        table2 = self.workbook()["表二"]
        self.assertEqual(table2["E2"].value, "规章")
        self.assertEqual(table2["E3"].value, "本年制发件数")
        self.assertEqual(table2["N2"].value, "行政事业性收费")
        self.assertEqual(table2["N3"].value, "本年收费金额（单位：万元）")
        self.assertEqual(self.workbook()["表四"]["J2"].value, "行政诉讼（未经复议直接起诉）")

    def test_table_3_rows_equal_the_records_and_the_total_their_sum(self) -> None:
        rows = self.data(self.workbook()["表三"])
        self.assertEqual(list(rows), [*ORDER, "合计"])
        zeros = [0] * (7 * len(T3_KEYS))
        finance = {key: FINANCE_T3.get(key, [0] * 7) for key in T3_KEYS}
        district = {key: DISTRICT_T3.get(key, [0] * 7) for key in T3_KEYS}
        self.assertEqual(rows["宛城区人民政府"], flat(district, T3_KEYS))
        self.assertEqual(rows["宛城区人民政府办公室"], flat(zeroed(truth_tables()["t3"]), T3_KEYS))
        self.assertEqual(rows["宛城区财政局"], flat(finance, T3_KEYS))
        self.assertEqual(rows["宛城区红泥湾镇人民政府"], zeros)
        self.assertEqual(
            rows["合计"], [sum(column) for column in zip(*(rows[o] for o in ORDER), strict=True)]
        )

    def test_table_4_rows_and_total(self) -> None:
        rows = self.data(self.workbook()["表四"])
        township = {key: TOWNSHIP_T4.get(key, [0] * 5) for key in T4_KEYS}
        self.assertEqual(rows["宛城区红泥湾镇人民政府"], flat(township, T4_KEYS))
        self.assertEqual(rows["宛城区人民政府办公室"], flat(truth_tables()["t4"], T4_KEYS))
        self.assertEqual(
            rows["合计"], [sum(column) for column in zip(*(rows[o] for o in ORDER), strict=True)]
        )

    def test_table_2_keeps_blank_figures_blank_and_adds_them_as_zero(self) -> None:
        rows = self.data(self.workbook()["表二"])
        truth = truth_tables()["t2"]
        office = [*truth["regulations"], *truth["normative_documents"]]
        office += [truth[key] for key in ("licensing", "penalty", "coercion", "fees")]
        self.assertEqual(rows["宛城区人民政府办公室"], office)
        self.assertEqual(rows["宛城区财政局"], [0, 0, 0, 0, 0, 0, 5, 2, 1, 3.5])
        # No 执法和收费数据 entered for the government or the township: blank, not 0.
        district = [0, 0, 0, *DISTRICT_T2_NORMATIVE, None, None, None, None]
        self.assertEqual(rows["宛城区人民政府"], district)
        self.assertEqual(rows["宛城区红泥湾镇人民政府"], [0, 0, 0, 0, 0, 0, None, None, None, None])
        total = [
            sum(v or 0 for v in column) for column in zip(*(rows[o] for o in ORDER), strict=True)
        ]
        self.assertEqual(rows["合计"], total)
        self.assertEqual(Decimal(str(rows["合计"][-1])), Decimal("3.5"))

    def test_a_published_organisation_is_exported_from_its_version(self) -> None:
        publish(self.office, office_as_published())
        sheet = self.workbook()["表三"]
        self.assertEqual(sheet["D5"].value, "已发布第1版")
        self.assertEqual(sheet["D6"].value, "未发布，采用当前数据")
        new_row = [sheet.cell(5, FIRST_DATA_COLUMN + i).value for i in range(7)]
        self.assertEqual(new_row, [30, 2, 0, 0, 0, 1, 33])

    def test_the_status_sheet(self) -> None:
        sheet = self.workbook()["汇总状态"]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        self.assertEqual([row[1] for row in rows], [*ORDER, "合计"])
        office = rows[1]
        self.assertEqual(office[3], "编辑中")
        self.assertEqual(office[6].date().isoformat(), "2025-01-31")
        self.assertEqual(office[7], "逾期10天")
        # 新收, 上年结转, 办结, 结转下年度, 行政复议, 行政诉讼: the truth file's office totals, and
        # for the whole district plus the two open applications and the review.
        self.assertEqual(list(office[10:]), [36, 0, 36, 0, 0, 0])
        self.assertEqual(list(rows[-1][10:]), [38, 0, 36, 2, 1, 0])
        self.assertEqual(rows[-1][3], "已发布0/4")
