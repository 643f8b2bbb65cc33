"""The roll-up of 宛城区人民政府 for 2024 over the demo data, and its aggregate report.

The demo office WCBGS has the 36 applications of the published Wancheng report (the truth file);
here the district government WCQ gets one application of a 商业企业 still open at the end of
2024 and one normative document issued in 2024, the finance bureau WCCZJ one application of a
自然人 still open at the end of 2024 and its enforcement figures, and the township WCHLZ one
行政复议 decided (upheld) in 2024. Every expected figure below comes from the truth file or from
those records, counted by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.cases.services import Applicant, Registration, application_register
from gongkai.domain.identity import credit_code_check_char
from gongkai.domain.report.build import counts
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.renderers import render
from gongkai.domain.report.renderers.json import report_to_dict
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.reports.checks import pre_publish
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import (
    Appeal,
    EnforcementFigures,
    NormativeDocument,
    ReportDraft,
    ReportVersion,
)
from gongkai.reports.rollup import KeyFigures, ReportState, aggregate_report, rollup
from gongkai.test import VALID_ID, Personas
from tests.report.rules.builders import consistent_2021, invalid, with_cell, with_row

TRUTH = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
TRUTH_FILE = TRUTH / "wancheng-office-2024.truth.json"
TODAY = dt.date(2025, 2, 10)
YEAR = 2024
LAYOUT = layout(FormatVersion.V2021)
Z7 = [0] * 7
Z5 = [0] * 5
_USCC17 = "91411302MA4000000"
VALID_CREDIT_CODE = _USCC17 + credit_code_check_char(_USCC17)


def truth_tables() -> dict[str, Any]:
    tables: dict[str, Any] = json.loads(TRUTH_FILE.read_text("utf-8"))["tables"]
    return tables


def zeroed(rows: dict[str, list[int | None]]) -> dict[str, list[int]]:
    return {key: [v or 0 for v in values] for key, values in rows.items()}


# The rows of tables 二/三/四 the records below fill, by hand: an application received in 2024
# and open on 12-31 is 一、本年新收 and 四、结转下年度; a review decided in 2024 as upheld is
# 行政复议·结果维持; a document issued in 2024 and in force is 本年制发 and 现行有效.
DISTRICT_T3 = {"new": [0, 1, 0, 0, 0, 0, 1], "carry_out": [0, 1, 0, 0, 0, 0, 1]}
DISTRICT_T2_NORMATIVE = [1, 0, 1]
FINANCE_T3 = {"new": [1, 0, 0, 0, 0, 0, 1], "carry_out": [1, 0, 0, 0, 0, 0, 1]}
TOWNSHIP_T4 = {"review": [1, 0, 0, 0, 1]}


class RollupData(Personas):
    """The personas (WCQ, WCBGS, WCCZJ), the demo (adds the township WCHLZ) and the records
    above. Not a TestCase: the test modules of the roll-up share it."""

    township: Organisation

    @classmethod
    def load(cls) -> None:
        cls.make_personas()
        load_demo(today=dt.date(2026, 11, 26))
        load_register_demo()
        cls.township = Organisation.objects.get(code="WCHLZ")
        cls.receive(cls.other, "natural", dt.date(2024, 6, 3))
        cls.receive(cls.district, "biz", dt.date(2024, 9, 2))
        NormativeDocument.objects.create(
            organisation=cls.district,
            kind=NormativeDocument.Kind.NORMATIVE,
            title="宛城区人民政府关于某项工作的规定",
            issued_on=dt.date(2024, 4, 1),
        )
        EnforcementFigures.objects.create(
            organisation=cls.other,
            year=YEAR,
            licensing=5,
            penalty=2,
            coercion=1,
            fees=Decimal("3.5"),
        )
        Appeal.objects.create(
            organisation=cls.township,
            kind=Appeal.Kind.REVIEW,
            case_number="宛复〔2024〕1号",
            body="宛城区人民政府",
            filed_on=dt.date(2024, 5, 6),
            result=Appeal.Result.UPHELD,
            decided_on=dt.date(2024, 7, 1),
        )

    @classmethod
    def receive(cls, organisation: Organisation, applicant_type: str, on: dt.date) -> None:
        """An application received `on` and never concluded (registered without an actor, as
        an import would)."""
        is_natural = applicant_type == "natural"
        application_register(
            actor=None,
            organisation=organisation,
            data=Registration(
                applicant=Applicant(
                    applicant_type,
                    "李四" if is_natural else "南阳某某建设有限公司",
                    "resident_id" if is_natural else "credit_code",
                    VALID_ID if is_natural else VALID_CREDIT_CODE,
                    phone="13800000000",
                ),
                channel="online",
                received_on=on,
                content="请公开2024年财政预算执行情况",
            ),
            today=on,
        )


def publish(
    organisation: Organisation,
    report: AnnualReport,
    *,
    number: int = 1,
    on: dt.date = dt.date(2025, 1, 20),
    findings: list[dict[str, str]] | None = None,
) -> ReportVersion:
    """A published version row as report_publish would store it (set-up, not under test)."""
    return ReportVersion.objects.create(
        organisation=organisation,
        year=YEAR,
        number=number,
        published_on=on,
        data=report_to_dict(report),
        sha256="0" * 64,
        findings=findings or [],
    )


def office_as_published() -> AnnualReport:
    """A 2024 report of the office whose table 三 differs from its records: 33 received (17+13
    answered… by hand: natural 17+13=30, biz 2, other_org 1)."""
    report = with_row(consistent_2021(), "t3", "new", [30, 2, 0, 0, 0, 1, 33])
    report = with_row(report, "t3", "r_open", [17, 2, 0, 0, 0, 0, 19])
    return with_row(report, "t3", "r_total", [30, 2, 0, 0, 0, 1, 33])


def finding(rule: str, severity: str) -> dict[str, str]:
    return {"rule": rule, "severity": severity, "where": "t3", "message": "…"}


class RollupRowsTests(RollupData, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.load()

    def rows(self) -> dict[str, Any]:
        return {row.organisation.code: row for row in rollup(self.district, YEAR, TODAY).rows}

    def test_it_lists_the_government_first_then_everything_below_it(self) -> None:
        result = rollup(self.district, YEAR, TODAY)
        codes = [(row.organisation.code, row.depth) for row in result.rows]
        self.assertEqual(codes, [("WCQ", 0), ("WCBGS", 1), ("WCCZJ", 1), ("WCHLZ", 1)])

    def test_it_reaches_organisations_two_levels_down(self) -> None:
        section = Organisation.objects.create(
            code="WCHLZ-1", name="红泥湾镇党政办", kind="department", parent=self.township
        )
        codes = [row.organisation.code for row in rollup(self.district, YEAR, TODAY).rows]
        self.assertEqual(codes, ["WCQ", "WCBGS", "WCCZJ", "WCHLZ", "WCHLZ-1"])
        self.assertEqual(rollup(self.township, YEAR, TODAY).rows[1].organisation, section)

    def test_nothing_published_and_the_deadlines_of_each_kind(self) -> None:
        rows = self.rows()
        states = {code: row.state for code, row in rows.items()}
        self.assertEqual(
            states,
            {
                "WCQ": ReportState.NOT_STARTED,
                "WCBGS": ReportState.EDITING,  # the demo saved the office's 2024 narrative
                "WCCZJ": ReportState.NOT_STARTED,
                "WCHLZ": ReportState.NOT_STARTED,
            },
        )
        self.assertEqual({row.version for row in rows.values()}, {None})
        # 条例第四十九条: government 3-31, departments 1-31; the township's local date 2-20.
        due = {code: row.deadline.due for code, row in rows.items()}
        self.assertEqual(
            due,
            {
                "WCQ": dt.date(2025, 3, 31),
                "WCBGS": dt.date(2025, 1, 31),
                "WCCZJ": dt.date(2025, 1, 31),
                "WCHLZ": dt.date(2025, 2, 20),
            },
        )
        # 2025-02-10: 18 days left in February + 31 in March; 10 days past 1-31; 10 days to 2-20.
        timing = {code: (row.timing.text, row.timing.late) for code, row in rows.items()}
        self.assertEqual(
            timing,
            {
                "WCQ": ("剩余49天", False),
                "WCBGS": ("逾期10天", True),
                "WCCZJ": ("逾期10天", True),
                "WCHLZ": ("剩余10天", False),
            },
        )

    def test_key_figures_come_from_the_records(self) -> None:
        truth = zeroed(truth_tables()["t3"])
        office = KeyFigures(
            new=truth["new"][6],
            carry_in=truth["carry_in"][6],
            answered=truth["r_total"][6],
            carry_out=truth["carry_out"][6],
        )
        self.assertEqual(office, KeyFigures(36, 0, 36, 0, 0, 0))
        rows = self.rows()
        self.assertEqual(rows["WCQ"].figures, KeyFigures(new=1, carry_out=1))
        self.assertEqual(rows["WCBGS"].figures, office)
        self.assertEqual(rows["WCCZJ"].figures, KeyFigures(new=1, carry_out=1))
        self.assertEqual(rows["WCHLZ"].figures, KeyFigures(reviews=1))
        totals = rollup(self.district, YEAR, TODAY).totals
        self.assertEqual(totals, KeyFigures(38, 0, 36, 2, 1, 0))

    def test_unpublished_counts_are_the_check_before_publishing_without_the_deadline(self) -> None:
        for code, row in self.rows().items():
            check = pre_publish(row.organisation, YEAR, TODAY)
            content = [f for f in check.findings if not f.rule.startswith("P-")]
            errors = sum(f.severity is Severity.ERROR for f in content)
            warnings = sum(f.severity is Severity.WARNING for f in content)
            self.assertEqual((row.errors, row.warnings), (errors, warnings), code)
        # Without a saved narrative 五 still says （待填写）: S-10, an error.
        self.assertGreater(self.rows()["WCCZJ"].errors, 0)

    def test_a_saved_draft_means_editing(self) -> None:
        ReportDraft.objects.create(organisation=self.other, year=YEAR, overview="本年度……")
        ReportDraft.objects.create(organisation=self.township, year=YEAR - 1)
        states = {code: row.state for code, row in self.rows().items()}
        self.assertEqual(states["WCCZJ"], ReportState.EDITING)
        self.assertEqual(states["WCHLZ"], ReportState.NOT_STARTED)  # last year's draft

    def test_a_published_report_is_read_from_its_version(self) -> None:
        findings = [finding("S-05", "warning"), finding("P-01", "error"), finding("N-07", "info")]
        publish(self.office, office_as_published(), findings=findings)
        row = self.rows()["WCBGS"]
        self.assertEqual(row.state, ReportState.PUBLISHED)
        self.assertEqual(row.version, 1)
        self.assertEqual(row.first_published_on, dt.date(2025, 1, 20))
        self.assertEqual((row.timing.text, row.timing.late), ("按时发布", False))
        self.assertEqual((row.errors, row.warnings), (0, 1))  # P-01 is the 时限 column's
        self.assertEqual(row.figures, KeyFigures(33, 0, 33, 0, 0, 0))
        self.assertEqual(row.source, "已发布第1版")

    def test_a_second_version_is_a_correction_dated_by_the_first(self) -> None:
        publish(self.office, office_as_published(), on=dt.date(2025, 2, 3))
        publish(
            self.office,
            consistent_2021(),
            number=2,
            on=dt.date(2025, 2, 8),
            findings=[finding("T3-01", "error"), finding("S-05", "warning")],
        )
        row = self.rows()["WCBGS"]
        self.assertEqual(row.state, ReportState.CORRECTED)
        self.assertEqual(row.version, 2)
        self.assertEqual(row.first_published_on, dt.date(2025, 2, 3))
        self.assertEqual((row.timing.text, row.timing.late), ("逾期3天发布", True))
        self.assertEqual((row.errors, row.warnings), (1, 1))
        self.assertEqual(row.figures, KeyFigures(36, 0, 36, 0, 0, 0))  # version 2's

    def test_a_township_late_against_its_local_date(self) -> None:
        publish(self.township, consistent_2021(), on=dt.date(2025, 2, 25))
        row = rollup(self.district, YEAR, dt.date(2025, 3, 1)).rows[3]
        self.assertEqual(row.organisation, self.township)
        self.assertEqual(row.timing.text, "逾期5天发布")


class AggregateReportTests(RollupData, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.load()

    def expected_t3(self) -> dict[str, list[int]]:
        """The truth file's table 三 plus the two open applications."""
        expected = zeroed(truth_tables()["t3"])
        for rows in (DISTRICT_T3, FINANCE_T3):
            for key, values in rows.items():
                expected[key] = [a + b for a, b in zip(expected[key], values, strict=True)]
        return expected

    def test_tables_are_the_cell_wise_sum_of_the_organisations(self) -> None:
        summed = aggregate_report(self.district, YEAR).report
        self.assertEqual(counts(summed.t3), self.expected_t3())
        self.assertEqual(counts(summed.t3)["new"], [34, 3, 0, 0, 0, 1, 38])
        self.assertEqual(
            counts(summed.t4),
            {"review": TOWNSHIP_T4["review"], "suit_direct": Z5, "suit_after_review": Z5},
        )
        t2 = {key: [cell.value for cell in cells] for key, cells in summed.t2.items()}
        truth_t2 = truth_tables()["t2"]
        self.assertEqual(
            t2,
            {
                "regulations": truth_t2["regulations"],
                "normative_documents": [
                    a + b
                    for a, b in zip(
                        truth_t2["normative_documents"], DISTRICT_T2_NORMATIVE, strict=True
                    )
                ],
                # office 0 (truth) + finance bureau's figures; the others left them blank.
                "licensing": [truth_t2["licensing"] + 5],
                "penalty": [truth_t2["penalty"] + 2],
                "coercion": [truth_t2["coercion"] + 1],
                "fees": [Decimal(truth_t2["fees"]) + Decimal("3.5")],
            },
        )

    def test_the_identities_still_hold(self) -> None:
        summed = aggregate_report(self.district, YEAR).report
        broken = [
            f
            for f in check_report(summed)
            if f.severity is Severity.ERROR and f.rule.startswith(("T3-", "T4-"))
        ]
        self.assertEqual(broken, [])

    def test_it_names_its_sources(self) -> None:
        publish(self.office, office_as_published())
        result = aggregate_report(self.district, YEAR)
        self.assertTrue(result.provisional)
        texts = [source.text for source in result.sources]
        self.assertEqual(
            texts,
            [
                "宛城区人民政府：尚未发布，采用本系统当前数据",
                "宛城区人民政府办公室：已发布的第1版（2025-01-20发布）",
                "宛城区财政局：尚未发布，采用本系统当前数据",
                "宛城区红泥湾镇人民政府：尚未发布，采用本系统当前数据",
            ],
        )
        self.assertIn(texts[1], result.report.section_text(6))
        self.assertEqual([note.message for note in result.report.notes], texts)

    def test_a_published_version_replaces_the_current_data(self) -> None:
        publish(self.office, office_as_published())
        summed = aggregate_report(self.district, YEAR).report
        # The version's 33 received, not the records' 36, plus the two open applications.
        self.assertEqual(counts(summed.t3)["new"], [31, 3, 0, 0, 0, 1, 35])

    def test_the_docx_export_reads_back_to_the_same_tables(self) -> None:
        summed = aggregate_report(self.district, YEAR).report
        again = parse_report(render(summed, "docx"), "aggregate.docx").report
        self.assertEqual(counts(again.t3), self.expected_t3())
        self.assertEqual(counts(again.t4), counts(summed.t4))
        self.assertEqual(counts(again.t2), counts(summed.t2))
        self.assertEqual(again.t2["fees"][0].value, Decimal("3.5"))
        self.assertEqual(again.year, YEAR)

    def test_a_version_with_a_cell_that_is_not_a_number_cannot_be_summed(self) -> None:
        publish(self.office, with_cell(consistent_2021(), "t3", "r_open", 0, invalid("二十")))
        with self.assertRaisesMessage(
            ValueError, "宛城区人民政府办公室的报告中表三“（一）予以公开”行"
        ):
            aggregate_report(self.district, YEAR)
