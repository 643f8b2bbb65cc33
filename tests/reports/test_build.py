"""The 2024 report of the demo office, built from its records, equals the published Wancheng
report cell for cell in tables 二, 三 and 四 (the blank cell there is a 0 here)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.domain.report.build import counts
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.renderers import render
from gongkai.domain.report.rules import check_report
from gongkai.reports.build import build_annual_report
from gongkai.reports.checks import current_report
from gongkai.reports.demo import load_register_demo
from gongkai.reports.tables import t3_cell_applications

TRUTH = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "corpus"
    / "wancheng-office-2024.truth.json"
)


def zeroed(rows: dict[str, list[int | None]]) -> dict[str, list[int]]:
    return {key: [v or 0 for v in values] for key, values in rows.items()}


class DemoReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=dt.date(2026, 11, 26))
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.built = build_annual_report(organisation=cls.office, year=2024)
        cls.truth = json.loads(TRUTH.read_text("utf-8"))["tables"]

    def test_table_3_equals_the_published_report(self) -> None:
        self.assertEqual(counts(self.built.report.t3), zeroed(self.truth["t3"]))

    def test_tables_2_and_4_equal_the_published_report(self) -> None:
        t2 = counts(self.built.report.t2)
        for key in ("regulations", "normative_documents"):
            self.assertEqual(t2[key], self.truth["t2"][key])
        for key in ("licensing", "penalty", "coercion", "fees"):
            self.assertEqual(t2[key], [self.truth["t2"][key]])
        self.assertEqual(counts(self.built.report.t4), self.truth["t4"])

    def test_every_number_links_to_its_applications(self) -> None:
        year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        cell = t3_cell_applications(self.office.pk, *year, "r_partial", "natural")
        self.assertEqual(cell.count(), 13)
        self.assertTrue(all(a.outcome == "r_partial" for a in cell))

    def test_the_report_with_its_narrative_passes_the_rule_engine_without_errors(self) -> None:
        findings = check_report(current_report(self.office, 2024).report)
        self.assertEqual([f for f in findings if f.severity.value == "error"], [])

    def test_the_generated_draft_asks_for_the_office_s_own_words(self) -> None:
        rules = {f.rule for f in check_report(self.built.report) if f.severity.value == "error"}
        self.assertEqual(rules, {"S-10"})  # placeholders in 一 and 五 block publishing

    def test_exports_read_back_to_the_same_tables(self) -> None:
        for fmt in ("docx", "html", "json", "txt"):
            again = parse_report(render(self.built.report, fmt), f"r.{fmt}").report
            self.assertEqual(counts(again.t3), counts(self.built.report.t3), fmt)
            self.assertEqual(counts(again.t4), counts(self.built.report.t4), fmt)
            self.assertEqual(again.year, 2024)

    def test_the_2025_report_carries_over_what_2024_left_open(self) -> None:
        built_2025 = build_annual_report(organisation=self.office, year=2025)
        self.assertEqual(
            counts(built_2025.report.t3)["carry_in"], counts(self.built.report.t3)["carry_out"]
        )
