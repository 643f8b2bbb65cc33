"""Section 三 identities T3-01…T3-08: one passing and one failing example each."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.report.findings import Severity
from gongkai.domain.report.model import AnnualReport, ExtraRow, Source
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.rules.builders import (
    cells,
    consistent_2019,
    consistent_2021,
    findings_of,
    invalid,
    table,
    with_cell,
    with_row,
    with_text,
    without_rows,
)

TOTAL = 6  # column index of 总计
NATURAL = 0


class TestT301ColumnBalance:
    def test_it_passes_a_balanced_table(self) -> None:
        assert findings_of(consistent_2021(), "T3-01") == []

    def test_it_names_the_column_and_the_four_figures(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_total", TOTAL, 35)
        [found] = findings_of(report, "T3-01")
        assert found.severity is Severity.ERROR
        assert found.where == "t3.new.total"
        assert found.message == "表三“总计”列：第一项(36)+第二项(0) ≠ 第三项(35)+第四项(0)"

    def test_it_checks_each_applicant_column(self) -> None:
        report = with_cell(consistent_2021(), "t3", "carry_out", 5, 2)
        [found] = findings_of(report, "T3-01")
        assert found.where == "t3.new.other_org"
        assert "“法人或其他组织（其他）”列" in found.message


class TestT302RowTotal:
    def test_it_passes_rows_that_add_up(self) -> None:
        assert findings_of(consistent_2021(), "T3-02") == []

    def test_it_names_the_row_and_both_sums(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_open", NATURAL, 19)
        [found] = findings_of(report, "T3-02")
        assert found.where == "t3.r_open.total"
        assert found.message == "表三“（一）予以公开”行：各类申请人合计(21) ≠ 总计(22)"

    def test_it_gives_numbered_rows_their_group(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_deny_secret", TOTAL, 1)
        [found] = findings_of(report, "T3-02")
        assert "“（三）不予公开 1.属于国家秘密”行" in found.message


class TestT303ResultsTotal:
    def test_it_passes_when_the_leaves_add_up(self) -> None:
        assert findings_of(consistent_2021(), "T3-03") == []

    def test_it_reports_a_total_that_is_not_the_sum_of_the_results(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_na_notheld", NATURAL, 1)
        found = findings_of(report, "T3-03")
        assert [f.where for f in found] == ["t3.r_total.natural"]
        assert found[0].message == "表三“自然人”列：各项办理结果之和(34) ≠ （七）总计(33)"


class TestT304CarryOutBounded:
    def test_it_passes_a_carry_over_within_the_intake(self) -> None:
        assert findings_of(consistent_2021(), "T3-04") == []

    def test_it_reports_more_carried_forward_than_handled(self) -> None:
        report = with_cell(consistent_2021(), "t3", "carry_out", TOTAL, 40)
        [found] = findings_of(report, "T3-04")
        assert found.where == "t3.carry_out.total"
        assert found.message == "表三“总计”列：结转下年度继续办理(40) > 本年新收(36)+上年结转(0)"


class TestT305LargeBacklog:
    def test_it_is_silent_without_a_backlog(self) -> None:
        assert findings_of(consistent_2021(), "T3-05") == []

    def test_it_warns_when_the_backlog_exceeds_the_intake(self) -> None:
        report = with_cell(consistent_2021(), "t3", "carry_out", TOTAL, 37)
        [found] = findings_of(report, "T3-05")
        assert found.severity is Severity.WARNING
        assert found.where == "t3.carry_out.total"


class TestT306NothingDecided:
    def test_it_is_silent_when_results_are_reported(self) -> None:
        assert findings_of(consistent_2021(), "T3-06") == []

    def test_it_warns_when_applications_have_no_result(self) -> None:
        report = with_row(consistent_2021(), "t3", "r_total", [0] * 7)
        [found] = findings_of(report, "T3-06")
        assert found.message == "表三：本年新收与上年结转共36件，但办理结果总计为0"


class TestT307FeeRow:
    def _unpaid(self) -> AnnualReport:
        report = with_row(consistent_2021(), "t3", "r_other_nofee", [1, 0, 0, 0, 0, 0, 1])
        report = with_row(report, "t3", "r_other_other", [0] * 7)
        return with_row(report, "t3", "r_open", [19, 2, 0, 0, 0, 1, 22])

    def test_it_is_silent_when_section_6_allows_a_fee_notice(self) -> None:
        report = with_text(self._unpaid(), 6, "本年度发出收费通知1件，申请人逾期未缴纳。")
        assert findings_of(report, "T3-07") == []

    def test_it_warns_when_section_6_says_no_fee_was_charged(self) -> None:
        [found] = findings_of(self._unpaid(), "T3-07")
        assert found.where == "t3.r_other_nofee.total"
        assert "未收取任何信息处理费" in found.message

    def test_the_unpaid_report_is_otherwise_consistent(self) -> None:
        errors = [f for f in check_report(self._unpaid()) if f.severity is Severity.ERROR]
        assert errors == []

    def test_it_does_not_apply_to_the_2019_format(self) -> None:
        assert findings_of(consistent_2019(), "T3-07") == []


class TestT308Subtotal:
    def _with_subtotal(self, values: list[int], label: str = "（三）不予公开小计") -> AnnualReport:
        extra = ExtraRow("t3", label, cells(values))
        return dataclasses.replace(consistent_2021(), extra_rows=(extra,))

    def test_it_passes_a_correct_subtotal(self) -> None:
        assert findings_of(self._with_subtotal([0] * 7), "T3-08") == []

    def test_it_reports_a_subtotal_that_is_not_the_sum_of_its_rows(self) -> None:
        found = findings_of(self._with_subtotal([1, 0, 0, 0, 0, 0, 1]), "T3-08")
        assert [f.where for f in found] == ["t3.extra.natural", "t3.extra.total"]
        assert found[0].message == "表三“（三）不予公开”小计“自然人”列：小计(1) ≠ 各分项之和(0)"

    def test_it_finds_the_group_of_a_bare_subtotal_by_its_position(self) -> None:
        report = consistent_2021()
        rows = {
            k: tuple(dataclasses.replace(c, source=Source(line=i)) for c in v)
            for i, (k, v) in enumerate(report.t3.items())
        }
        line_after_na = list(report.t3).index("r_na_unclear")
        extra = ExtraRow("t3", "小计", cells([0, 0, 0, 0, 0, 0, 3]), Source(line=line_after_na))
        report = dataclasses.replace(report, t3=rows, extra_rows=(extra,))
        [found] = findings_of(report, "T3-08")
        assert "（四）无法提供" in found.message

    def test_a_bare_subtotal_opening_the_next_group_passes(self) -> None:
        report = consistent_2021()
        rows = {
            k: tuple(dataclasses.replace(c, source=Source(line=10 * i)) for c in v)
            for i, (k, v) in enumerate(report.t3.items())
        }
        # Between （三）8 and （四）1, equal to the sum of （四）: it opens group （四）.
        line = 10 * list(report.t3).index("r_na_notheld") - 5
        report = with_row(report, "t3", "r_na_notheld", [1, 0, 0, 0, 0, 0, 1])
        rows["r_na_notheld"] = report.t3["r_na_notheld"]
        extra = ExtraRow("t3", "小计", cells([1, 0, 0, 0, 0, 0, 1]), Source(line=line))
        report = dataclasses.replace(report, t3=rows, extra_rows=(extra,))
        assert findings_of(report, "T3-08") == []

    def test_a_subtotal_is_reported_but_never_summed(self) -> None:
        report = self._with_subtotal([5] * 7)
        assert findings_of(report, "T3-03") == []
        assert [f.rule for f in findings_of(report, "S-06")] == ["S-06"]


class TestPartialReport:
    def test_a_report_cut_off_in_table_3_has_no_arithmetic_findings(self) -> None:
        t3_keys = [row.key for row in layout(FormatVersion.V2021).t3_rows]
        cut = t3_keys[t3_keys.index("r_deny_process") :]
        report = without_rows(consistent_2021(), "t3", *cut)
        report = without_rows(report, "t4", "review", "suit_direct", "suit_after_review")
        # Rows that were seen disagree with rows that were not: 36 + 5 ≠ 36 + 0.
        report = with_row(report, "t3", "carry_in", [5, 0, 0, 0, 0, 0, 5])
        rules = {f.rule for f in check_report(report)}
        assert rules == {"S-03"}

    def test_a_row_cut_short_is_not_used(self) -> None:
        report = consistent_2021()
        short = report.t3["r_open"][:6]
        report = dataclasses.replace(report, t3={**report.t3, "r_open": short})
        rules = sorted(f.rule for f in check_report(report))
        assert rules == ["S-03"]

    def test_a_cell_that_is_not_a_number_makes_its_identities_unverifiable(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_open", NATURAL, invalid("二十"))
        assert sorted(f.rule for f in check_report(report)) == ["S-04"]


class TestFormat2019:
    def test_the_2019_table_with_a_single_other_row_passes(self) -> None:
        assert check_report(consistent_2019()) == []

    def test_the_2019_other_row_counts_as_a_result_leaf(self) -> None:
        report = with_cell(consistent_2019(), "t3", "r_other", 5, 0)
        report = with_cell(report, "t3", "r_other", TOTAL, 0)
        rules = {f.rule for f in check_report(report)}
        assert rules == {"T3-03"}


class TestPreFormat:
    def test_pre_2019_and_unknown_reports_get_no_table_rules(self) -> None:
        for version in (FormatVersion.PRE2019, FormatVersion.UNKNOWN):
            report = dataclasses.replace(
                with_cell(consistent_2021(), "t3", "r_total", TOTAL, 1), format=version
            )
            table_rules = [f for f in check_report(report) if f.rule.startswith(("T", "N"))]
            assert table_rules == []


# Property: any table built to satisfy the identities has no T3/T4 error ---------------------


@st.composite
def balanced_report(draw: st.DrawFn) -> AnnualReport:
    version = draw(st.sampled_from([FormatVersion.V2021, FormatVersion.V2019]))
    lay = layout(version)
    count = st.integers(min_value=0, max_value=500)
    leaves = {row.key: [draw(count) for _ in range(6)] for row in lay.t3_leaves}
    done = [sum(values[c] for values in leaves.values()) for c in range(6)]
    carry_out = [draw(count) for _ in range(6)]
    carry_in = [draw(st.integers(0, done[c] + carry_out[c])) for c in range(6)]
    new = [done[c] + carry_out[c] - carry_in[c] for c in range(6)]
    rows = {**leaves, "new": new, "carry_in": carry_in, "r_total": done, "carry_out": carry_out}
    t3 = {key: [*rows[key], sum(rows[key])] for key in (row.key for row in lay.t3_rows)}
    t4 = {}
    for group in lay.t4_groups:
        parts = [draw(count) for _ in range(4)]
        t4[group.key] = [*parts, sum(parts)]
    return dataclasses.replace(
        consistent_2021() if version is FormatVersion.V2021 else consistent_2019(),
        t3=table(t3),
        t4=table(t4),
    )


@settings(max_examples=60, deadline=None)
@given(balanced_report())
def test_balanced_tables_never_give_a_table_3_or_4_error(report: AnnualReport) -> None:
    errors = [
        f
        for f in check_report(report)
        if f.rule.startswith(("T3", "T4")) and f.severity is Severity.ERROR
    ]
    assert errors == []
