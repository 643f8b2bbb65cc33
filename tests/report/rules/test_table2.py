"""Section 二 plausibility T2-01, T2-03, T2-04 (T2-02 is in test_crossyear.py)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from gongkai.domain.report.model import Cell, CellState
from gongkai.domain.report.rules import AdminTier, AgencyLevel, CheckContext
from gongkai.domain.report.rules.table2 import cannot_make_rules
from tests.report.rules.builders import consistent_2019, consistent_2021, findings_of, with_row


class TestT201InForceCoversNew:
    def test_it_passes_when_in_force_covers_this_years_documents(self) -> None:
        assert findings_of(consistent_2021(), "T2-01") == []

    def test_it_warns_when_in_force_is_below_issued_minus_abolished(self) -> None:
        report = with_row(consistent_2021(), "t2", "normative_documents", [10, 0, 3])
        [found] = findings_of(report, "T2-01")
        assert found.where == "t2.normative_documents.in_force"
        assert (
            found.message
            == "表二“行政规范性文件”：现行有效件数(3) < 本年制发件数(10)−本年废止件数(0)"
        )

    def test_it_does_not_read_the_2019_columns(self) -> None:
        report = with_row(consistent_2019(), "t2", "normative_documents", [10, 0, 3])
        assert findings_of(report, "T2-01") == []


class TestT203RulesBelowCity:
    def test_a_county_office_with_no_rules_passes(self) -> None:
        assert findings_of(consistent_2021(), "T2-03") == []

    def test_a_county_office_reporting_rules_is_warned(self) -> None:
        report = with_row(consistent_2021(), "t2", "regulations", [0, 0, 6])
        [found] = findings_of(report, "T2-03")
        assert found.where == "t2.regulations.in_force"
        assert found.message == "表二“规章”现行有效件数为6：县级及乡镇机关无权制定规章，应为0"

    def test_a_city_government_may_report_rules(self) -> None:
        report = with_row(consistent_2021(), "t2", "regulations", [1, 0, 6])
        report = dataclasses.replace(report, agency="南阳市人民政府")
        assert findings_of(report, "T2-03") == []

    def test_the_context_overrides_the_guess_from_the_name(self) -> None:
        report = with_row(consistent_2021(), "t2", "regulations", [1, 0, 6])
        context = CheckContext(admin_tier=AdminTier.CITY)
        assert findings_of(report, "T2-03", context=context) == []

    def test_a_township_by_context_cannot_make_rules(self) -> None:
        report = dataclasses.replace(consistent_2021(), agency=None, title=None)
        assert cannot_make_rules(report, CheckContext(agency_level=AgencyLevel.TOWNSHIP))
        assert not cannot_make_rules(report, CheckContext())

    def test_a_report_without_a_name_that_says_wo_zhen_is_a_township(self) -> None:
        report = dataclasses.replace(
            consistent_2021(), agency=None, title=None, preamble="现结合我镇实际。"
        )
        assert cannot_make_rules(report, CheckContext())

    def test_it_applies_to_the_2019_columns_too(self) -> None:
        report = with_row(consistent_2019(), "t2", "regulations", [2, 2, 2])
        [found] = findings_of(report, "T2-03")
        assert "本年新制作数量为2" in found.message


class TestT204FeeUnit:
    def test_a_fee_in_wan_yuan_passes(self) -> None:
        report = with_row(consistent_2021(), "t2", "fees", [Decimal("1.25")])
        assert findings_of(report, "T2-04") == []

    def test_a_cell_written_in_yuan_is_warned(self) -> None:
        cell = Cell(value=Decimal(3500), state=CellState.VALUE, raw="3500元")
        report = dataclasses.replace(
            consistent_2021(), t2={**consistent_2021().t2, "fees": (cell,)}
        )
        [found] = findings_of(report, "T2-04")
        assert found.where == "t2.fees.amount"
        assert found.message == "表二“行政事业性收费”本年收费金额填写为“3500元”：单位应为万元"

    def test_a_cell_in_wan_yuan_with_its_unit_passes(self) -> None:
        cell = Cell(value=Decimal(2), state=CellState.VALUE, raw="2万元")
        report = dataclasses.replace(
            consistent_2021(), t2={**consistent_2021().t2, "fees": (cell,)}
        )
        assert findings_of(report, "T2-04") == []

    def test_a_value_at_the_threshold_is_warned(self) -> None:
        report = with_row(consistent_2021(), "t2", "fees", [12000])
        [found] = findings_of(report, "T2-04")
        assert "疑似按元填写" in found.message

    def test_the_threshold_comes_from_the_context(self) -> None:
        report = with_row(consistent_2021(), "t2", "fees", [12000])
        context = CheckContext(fee_yuan_threshold=Decimal(50000))
        assert findings_of(report, "T2-04", context=context) == []
