"""Section 四 identities T4-01…T4-04."""

from __future__ import annotations

from decimal import Decimal

from gongkai.domain.report.findings import Severity
from tests.report.rules.builders import (
    consistent_2021,
    findings_of,
    invalid,
    with_cell,
    with_row,
    without_rows,
)


class TestT401Review:
    def test_it_passes_a_review_row_that_adds_up(self) -> None:
        report = with_row(consistent_2021(), "t4", "review", [1, 1, 0, 1, 3])
        assert findings_of(report, "T4-01") == []

    def test_it_spells_out_the_sum(self) -> None:
        report = with_row(consistent_2021(), "t4", "review", [1, 0, 0, 0, 2])
        [found] = findings_of(report, "T4-01")
        assert found.severity is Severity.ERROR
        assert found.where == "t4.review.total"
        assert (
            found.message
            == "表四“行政复议”：结果维持(1)+结果纠正(0)+其他结果(0)+尚未审结(0)=1 ≠ 总计(2)"
        )


class TestT402DirectSuit:
    def test_it_passes_a_row_that_adds_up(self) -> None:
        report = with_row(consistent_2021(), "t4", "suit_direct", [0, 2, 0, 0, 2])
        assert findings_of(report, "T4-02") == []

    def test_it_reports_a_wrong_total(self) -> None:
        report = with_row(consistent_2021(), "t4", "suit_direct", [0, 2, 0, 0, 1])
        [found] = findings_of(report, "T4-02")
        assert found.where == "t4.suit_direct.total"
        assert found.message.startswith("表四“行政诉讼（未经复议直接起诉）”：")


class TestT403SuitAfterReview:
    def test_it_passes_a_row_that_adds_up(self) -> None:
        assert findings_of(consistent_2021(), "T4-03") == []

    def test_it_reports_a_wrong_total(self) -> None:
        report = with_cell(consistent_2021(), "t4", "suit_after_review", 3, 1)
        [found] = findings_of(report, "T4-03")
        assert found.message == (
            "表四“行政诉讼（复议后起诉）”：结果维持(0)+结果纠正(0)+其他结果(0)+尚未审结(1)=1 ≠ 总计(0)"
        )

    def test_a_missing_group_is_not_checked(self) -> None:
        report = without_rows(consistent_2021(), "t4", "suit_after_review")
        assert findings_of(report, "T4-03") == []


class TestT404ValidCounts:
    def test_it_passes_zero_counts(self) -> None:
        assert findings_of(consistent_2021(), "T4-04") == []

    def test_it_reports_negative_fractional_and_unreadable_cells(self) -> None:
        report = with_cell(consistent_2021(), "t4", "review", 0, -1)
        report = with_cell(report, "t4", "review", 1, Decimal("0.5"))
        report = with_cell(report, "t4", "suit_direct", 2, invalid("一"))
        found = findings_of(report, "T4-04")
        assert [(f.where, f.message) for f in found] == [
            ("t4.review.upheld", "表四“行政复议”“结果维持”为负数(-1)"),
            ("t4.review.corrected", "表四“行政复议”“结果纠正”不是整数(0.5)"),
            ("t4.suit_direct.other", "表四“行政诉讼（未经复议直接起诉）”“其他结果”不是数字：“一”"),
        ]

    def test_table_4_cells_are_not_reported_again_by_s04(self) -> None:
        report = with_cell(consistent_2021(), "t4", "review", 0, -1)
        assert findings_of(report, "S-04") == []
