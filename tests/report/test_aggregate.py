"""The aggregate (汇总) report: a hand-summed example, the identities over random sums, and the
reports that cannot be added up."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.report.aggregate import AggregateError, aggregate
from gongkai.domain.report.build import counts
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.model import AnnualReport, Cell
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.rules.builders import (
    Value,
    consistent_2019,
    consistent_2021,
    invalid,
    placeholder,
    sections,
    table,
    with_cell,
    without_rows,
)
from tests.report.strategies import consistent_reports

Z7 = [0] * 7
Z5 = [0] * 5
NATURAL, TOTAL = 0, 6


def report_of(
    agency: str,
    t2: dict[str, list[Value]],
    t3: dict[str, list[Value]],
    t4: dict[str, list[Value]],
) -> AnnualReport:
    """A 2024 report whose t3/t4 rows not given are zero."""
    lay = layout(FormatVersion.V2021)
    return AnnualReport(
        format=FormatVersion.V2021,
        year=2024,
        agency=agency,
        sections=sections({}, FormatVersion.V2021),
        t2=table(t2),
        t3=table({row.key: t3.get(row.key, Z7) for row in lay.t3_rows}),
        t4=table({g.key: t4.get(g.key, Z5) for g in lay.t4_groups}),
    )


# Two small reports; every expected figure below was added up by hand.
OFFICE = report_of(
    "宛城区人民政府办公室",
    t2={
        "regulations": [0, 0, 0],
        "normative_documents": [2, 1, 5],
        "licensing": [7],
        "penalty": [3],
        "coercion": [0],
        "fees": [Decimal("1.25")],
    },
    t3={
        "new": [3, 1, 0, 0, 0, 0, 4],
        "carry_in": [1, 0, 0, 0, 0, 0, 1],
        "r_open": [2, 0, 0, 0, 0, 0, 2],
        "r_partial": [0, 1, 0, 0, 0, 0, 1],
        "r_total": [2, 1, 0, 0, 0, 0, 3],
        "carry_out": [2, 0, 0, 0, 0, 0, 2],
    },
    t4={"review": [1, 0, 0, 1, 2]},
)
FINANCE = report_of(
    "宛城区财政局",
    t2={
        "regulations": [0, 0, 0],
        "normative_documents": [0, 0, 3],
        "licensing": [None],  # blank: counts as 0
        "penalty": [10],
        "coercion": [2],
        "fees": [Decimal("0.5")],
    },
    t3={
        "new": [0, 0, 0, 0, 2, 0, 2],
        "carry_in": [None, 0, 0, 0, 0, 0, 0],
        "r_na_notheld": [0, 0, 0, 0, 1, 0, 1],
        "r_other_nocorrect": [0, 0, 0, 0, 1, 0, 1],
        "r_total": [0, 0, 0, 0, 2, 0, 2],
    },
    t4={"suit_direct": [0, 1, 0, 0, 1]},
)


class TestHandSummedExample:
    def summed(self) -> AnnualReport:
        finance = with_cell(FINANCE, "t3", "r_deny_secret", NATURAL, placeholder("/"))
        return aggregate([OFFICE, finance], agency="宛城区人民政府", year=2024)

    def test_table_3_is_the_cell_wise_sum(self) -> None:
        t3 = counts(self.summed().t3)
        assert t3["new"] == [3, 1, 0, 0, 2, 0, 6]
        assert t3["carry_in"] == [1, 0, 0, 0, 0, 0, 1]
        assert t3["r_open"] == [2, 0, 0, 0, 0, 0, 2]
        assert t3["r_partial"] == [0, 1, 0, 0, 0, 0, 1]
        assert t3["r_deny_secret"] == Z7
        assert t3["r_na_notheld"] == [0, 0, 0, 0, 1, 0, 1]
        assert t3["r_other_nocorrect"] == [0, 0, 0, 0, 1, 0, 1]
        assert t3["r_total"] == [2, 1, 0, 0, 2, 0, 5]
        assert t3["carry_out"] == [2, 0, 0, 0, 0, 0, 2]
        assert t3["r_np_repeat"] == Z7

    def test_tables_2_and_4_are_the_cell_wise_sum(self) -> None:
        summed = self.summed()
        t2 = {key: [cell.value for cell in cells] for key, cells in summed.t2.items()}
        assert t2 == {
            "regulations": [0, 0, 0],
            "normative_documents": [2, 1, 8],
            "licensing": [7],
            "penalty": [13],
            "coercion": [2],
            "fees": [Decimal("1.75")],
        }
        assert counts(summed.t4) == {
            "review": [1, 0, 0, 1, 2],
            "suit_direct": [0, 1, 0, 0, 1],
            "suit_after_review": Z5,
        }

    def test_every_summed_cell_is_a_printed_number(self) -> None:
        summed = self.summed()
        for rows in (summed.t2, summed.t3, summed.t4):
            for cells in rows.values():
                assert all(cell.is_number for cell in cells)
        assert summed.t2["fees"][0].raw == "1.75"
        assert summed.t3["new"][TOTAL].raw == "6"

    def test_the_fee_sum_is_exact_and_plain(self) -> None:
        thirds = [
            dataclasses.replace(OFFICE, t2={**OFFICE.t2, "fees": (Cell.of(Decimal(v)),)})
            for v in ("0.1000", "0.2000", "99.7000")
        ]
        fees = aggregate(thirds, agency="某区人民政府", year=2024).t2["fees"][0]
        assert fees.value == Decimal(100)
        assert fees.raw == "100"

    def test_it_says_what_it_sums(self) -> None:
        summed = self.summed()
        assert summed.agency == "宛城区人民政府"
        assert summed.title == "宛城区人民政府2024年政府信息公开工作年度报告（汇总）"
        assert summed.year == 2024 and summed.period == (2024, 2024)
        assert summed.source_kind == "records"
        assert [s.number for s in summed.sections] == [1, 2, 3, 4, 5, 6]
        overview = summed.section_text(1)
        assert "汇总了2个机构" in overview
        assert "宛城区人民政府办公室、宛城区财政局" in overview
        assert (
            "共收到政府信息公开申请6件，上年结转1件；办结5件，结转下年度继续办理2件。" in overview
        )
        assert "被申请行政复议2件、提起行政诉讼1件" in overview

    def test_it_passes_the_rule_engine_without_errors(self) -> None:
        findings = check_report(self.summed())
        assert [f for f in findings if f.severity is Severity.ERROR] == []

    def test_one_report_sums_to_its_own_tables(self) -> None:
        summed = aggregate([OFFICE], agency="宛城区人民政府", year=2024)
        assert counts(summed.t3) == counts(OFFICE.t3)
        assert counts(summed.t4) == counts(OFFICE.t4)

    def test_it_sums_the_2019_format_with_its_signed_columns(self) -> None:
        summed = aggregate([consistent_2019()] * 2, agency="宛城区人民政府", year=2020)
        assert summed.format is FormatVersion.V2019
        # consistent_2019: licensing [12, -2, 30], procurement [1, 25.1], r_other [.., 1, 1]
        assert [c.value for c in summed.t2["licensing"]] == [24, -4, 60]
        assert [c.value for c in summed.t2["procurement"]] == [2, Decimal("50.2")]
        assert counts(summed.t3)["r_other"] == [0, 0, 0, 0, 0, 2, 2]


class TestIdentitiesHoldForSums:
    @settings(max_examples=40, deadline=None)
    @given(st.data())
    def test_sums_of_consistent_reports_break_no_identity(self, data: st.DataObject) -> None:
        version = data.draw(st.sampled_from([FormatVersion.V2021, FormatVersion.V2019]))
        year = 2024 if version is FormatVersion.V2021 else 2020
        reports = [
            dataclasses.replace(report, year=year, period=(year, year))
            for report in data.draw(
                st.lists(consistent_reports(versions=(version,)), min_size=1, max_size=4)
            )
        ]
        summed = aggregate(reports, agency="某区人民政府", year=year)

        errors = [
            f
            for f in check_report(summed)
            if f.severity is Severity.ERROR and f.rule.startswith(("T3-", "T4-", "S-03", "S-04"))
        ]
        assert errors == []
        for name in ("t2", "t3", "t4"):
            expected = {
                key: [
                    sum((getattr(r, name)[key][i].as_number for r in reports), 0)
                    for i in range(len(cells))
                ]
                for key, cells in getattr(reports[0], name).items()
            }
            got = {key: [c.value for c in cells] for key, cells in getattr(summed, name).items()}
            assert got == expected


class TestWhatCannotBeSummed:
    def test_a_cell_that_is_not_a_number_names_agency_and_cell(self) -> None:
        finance = with_cell(FINANCE, "t3", "r_open", NATURAL, invalid("十二"))
        with pytest.raises(AggregateError) as raised:
            aggregate([OFFICE, finance], agency="宛城区人民政府", year=2024)
        message = str(raised.value)
        assert "宛城区财政局" in message
        assert "（一）予以公开" in message and "自然人" in message
        assert "十二" in message

    def test_a_fraction_in_a_count_cell_is_refused(self) -> None:
        finance = with_cell(FINANCE, "t4", "review", 0, Decimal("1.5"))
        with pytest.raises(AggregateError, match=r"宛城区财政局.*行政复议.*不是整数"):
            aggregate([OFFICE, finance], agency="宛城区人民政府", year=2024)

    def test_a_missing_row_is_not_a_zero(self) -> None:
        finance = without_rows(FINANCE, "t3", "carry_out")
        with pytest.raises(AggregateError, match=r"宛城区财政局.*表三“四、结转下年度继续办理”行"):
            aggregate([OFFICE, finance], agency="宛城区人民政府", year=2024)

    def test_a_table_only_some_reports_have_is_refused(self) -> None:
        finance = dataclasses.replace(FINANCE, t2={})
        with pytest.raises(AggregateError, match="宛城区财政局的报告缺少表二"):
            aggregate([OFFICE, finance], agency="宛城区人民政府", year=2024)

    def test_a_table_no_report_has_stays_absent(self) -> None:
        reports = [dataclasses.replace(r, t2={}) for r in (OFFICE, FINANCE)]
        assert aggregate(reports, agency="宛城区人民政府", year=2024).t2 == {}

    def test_formats_cannot_be_mixed(self) -> None:
        other = dataclasses.replace(consistent_2019(), year=2024, agency="某某乡人民政府")
        with pytest.raises(AggregateError, match="某某乡人民政府的报告格式"):
            aggregate([consistent_2021(), other], agency="宛城区人民政府", year=2024)

    def test_another_year_cannot_be_added(self) -> None:
        with pytest.raises(AggregateError, match="2024年度的，不能汇总进2025年度"):
            aggregate([OFFICE], agency="宛城区人民政府", year=2025)

    def test_a_report_without_national_tables_cannot_be_added(self) -> None:
        old = AnnualReport(format=FormatVersion.PRE2019, year=2024, agency="某某局")
        with pytest.raises(AggregateError, match="某某局的报告没有国家统一格式的表格"):
            aggregate([old], agency="宛城区人民政府", year=2024)

    def test_nothing_to_sum(self) -> None:
        with pytest.raises(AggregateError, match="没有可汇总"):
            aggregate([], agency="宛城区人民政府", year=2024)
