"""Cross-year rules X-01, X-02, X-04…X-06 and T2-02."""

from __future__ import annotations

import dataclasses

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules import AgencyLevel, CheckContext, check_report
from gongkai.domain.report.rules.context import DEFAULT_CONTEXT
from tests.report.rules.builders import (
    S5_TEXT,
    consistent_2019,
    consistent_2021,
    findings_of,
    previous_year,
    with_row,
    with_text,
    without_rows,
)


def pair() -> tuple[AnnualReport, AnnualReport]:
    report = consistent_2021()
    return report, previous_year(report)


def pair_findings(rule: str, context: CheckContext = DEFAULT_CONTEXT) -> list[Finding]:
    report, previous = pair()
    return findings_of(report, rule, previous, context)


def test_a_consistent_pair_has_no_findings() -> None:
    report, previous = pair()
    assert check_report(report, previous) == []


def test_cross_year_rules_need_the_previous_report() -> None:
    report, _ = pair()
    report = with_row(report, "t3", "carry_in", [1, 0, 0, 0, 0, 0, 1])
    assert findings_of(report, "X-01") == []


def test_reports_two_years_apart_are_not_compared() -> None:
    report, previous = pair()
    previous = dataclasses.replace(with_row(previous, "t3", "carry_out", [5] * 7), year=2021)
    assert check_report(report, previous) == []


class TestX01CarryOverTotal:
    def test_it_passes_a_matching_carry_over(self) -> None:
        assert pair_findings("X-01") == []

    def test_it_reports_a_carry_over_that_changed(self) -> None:
        report, previous = pair()
        previous = with_row(previous, "t3", "carry_out", [2, 0, 0, 0, 0, 0, 2])
        [found] = findings_of(report, "X-01", previous)
        assert found.severity is Severity.ERROR
        assert found.where == "t3.carry_in.total"
        assert found.message == "表三“总计”列：上年结转(0) ≠ 上年报告“四、结转下年度继续办理”(2)"

    def test_it_works_across_the_2020_to_2021_format_change(self) -> None:
        report = dataclasses.replace(consistent_2021(), year=2021, period=(2021, 2021))
        previous = with_row(consistent_2019(), "t3", "carry_out", [1, 0, 0, 0, 0, 0, 1])
        assert [f.where for f in findings_of(report, "X-01", previous)] == ["t3.carry_in.total"]

    def test_it_needs_both_rows(self) -> None:
        report, previous = pair()
        previous = without_rows(with_row(previous, "t3", "carry_in", [1] * 7), "t3", "carry_out")
        assert findings_of(report, "X-01", previous) == []


class TestX02CarryOverColumns:
    def test_it_passes_matching_columns(self) -> None:
        assert pair_findings("X-02") == []

    def test_it_warns_about_a_reclassified_applicant(self) -> None:
        report, previous = pair()
        report = with_row(report, "t3", "carry_in", [1, 0, 0, 0, 0, 0, 1])
        previous = with_row(previous, "t3", "carry_out", [0, 1, 0, 0, 0, 0, 1])
        found = findings_of(report, "X-02", previous)
        assert [(f.severity, f.where) for f in found] == [
            (Severity.WARNING, "t3.carry_in.natural"),
            (Severity.WARNING, "t3.carry_in.biz"),
        ]
        assert findings_of(report, "X-01", previous) == []


class TestT202InForceCarriesOver:
    def test_it_passes_when_in_force_carries_over(self) -> None:
        assert pair_findings("T2-02") == []

    def test_it_warns_with_the_difference(self) -> None:
        report, previous = pair()
        previous = with_row(previous, "t2", "normative_documents", [4, 1, 20])
        [found] = findings_of(report, "T2-02", previous)
        assert found.where == "t2.normative_documents.in_force"
        assert found.message == (
            "表二“行政规范性文件”：现行有效件数(27) ≠ 上年现行有效件数(20)+本年制发件数(10)"
            "−本年废止件数(0)=30（相差-3）"
        )

    def test_it_does_not_compare_with_the_2019_format(self) -> None:
        report = dataclasses.replace(consistent_2021(), year=2021)
        assert findings_of(report, "T2-02", consistent_2019()) == []


class TestX04ProblemsCopied:
    def test_it_passes_different_problems(self) -> None:
        assert pair_findings("X-04") == []

    def test_it_flags_a_copy_with_only_the_year_changed(self) -> None:
        report, previous = pair()
        previous = with_text(previous, 5, S5_TEXT.replace("2024", "2023"))
        [found] = findings_of(report, "X-04", previous)
        assert found.where == "s5"
        assert found.message == "第五部分与上年报告内容雷同（除年份和数字外完全相同）"

    def test_it_flags_a_near_copy_with_its_similarity(self) -> None:
        report, previous = pair()
        previous = with_text(previous, 5, S5_TEXT.replace("四是进一步加强网络安全建设。", ""))
        [found] = findings_of(report, "X-04", previous)
        assert "高度相似（5字片段重合度0.9" in found.message

    def test_short_boilerplate_is_not_compared(self) -> None:
        report, previous = pair()
        report, previous = with_text(report, 5, "无。"), with_text(previous, 5, "无。")
        assert findings_of(report, "X-04", previous) == []


class TestX05NarrativeCopied:
    def test_it_passes_a_new_narrative(self) -> None:
        assert pair_findings("X-05") == []

    def test_it_flags_a_narrative_copied_from_last_year(self) -> None:
        report, previous = pair()
        copied = dataclasses.replace(previous, sections=report.sections)
        [found] = findings_of(report, "X-05", copied)
        assert (found.where, found.message) == (
            "report",
            "第一、五、六部分正文与上年报告内容雷同（除年份和数字外完全相同）",
        )


class TestX06NoFollowUp:
    GOVERNMENT = CheckContext(agency_level=AgencyLevel.GOVERNMENT)

    def test_a_department_is_not_asked_for_a_follow_up(self) -> None:
        assert pair_findings("X-06") == []

    def test_a_government_report_without_a_follow_up_is_warned(self) -> None:
        [found] = pair_findings("X-06", self.GOVERNMENT)
        assert found.where == "s5"
        assert found.message == "第五部分未说明上年报告所列问题的整改情况（各级人民政府应报告）"

    def test_a_government_report_with_a_follow_up_passes(self) -> None:
        report, previous = pair()
        report = with_text(
            report, 5, S5_TEXT + "\n针对2023年报告指出的目录更新不及时问题，已完成整改。"
        )
        assert findings_of(report, "X-06", previous, context=self.GOVERNMENT) == []

    def test_township_governments_are_governments_but_street_offices_are_not(self) -> None:
        report, previous = pair()
        township = dataclasses.replace(report, agency="太平镇人民政府")
        street = dataclasses.replace(report, agency="新华街道办事处")
        assert [f.rule for f in findings_of(township, "X-06", previous)] == ["X-06"]
        assert findings_of(street, "X-06", previous) == []
