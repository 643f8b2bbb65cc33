"""Narrative against tables, N-01…N-09."""

from __future__ import annotations

import dataclasses

from gongkai.domain.report.findings import Severity
from gongkai.domain.report.model import AnnualReport
from tests.report.rules.builders import (
    S1_TEXT,
    consistent_2019,
    consistent_2021,
    findings_of,
    with_row,
    with_text,
    without_rows,
    without_sections,
)


def said_in_1(text: str, report: AnnualReport | None = None) -> AnnualReport:
    return with_text(report or consistent_2021(), 1, text)


class TestN01ReceivedCount:
    def test_it_passes_the_wancheng_sentence(self) -> None:
        assert findings_of(consistent_2021(), "N-01") == []

    def test_it_warns_about_another_number(self) -> None:
        report = said_in_1(S1_TEXT.replace("申请36件", "申请35件"))
        [found] = findings_of(report, "N-01")
        assert found.severity is Severity.WARNING
        assert found.where == "s1"
        assert found.message == "第一部分称“收到政府信息公开申请35件”，表三本年新收总计为36"

    def test_a_count_that_includes_the_carry_over_is_compared_with_both(self) -> None:
        report = with_row(consistent_2021(), "t3", "carry_in", [2, 0, 0, 0, 0, 0, 2])
        report = with_row(report, "t3", "carry_out", [2, 0, 0, 0, 0, 0, 2])
        assert (
            findings_of(said_in_1("共受理政府信息公开申请38件（含上年结转2件）。", report), "N-01")
            == []
        )
        [found] = findings_of(
            said_in_1("共受理政府信息公开申请36件（含上年结转2件）。", report), "N-01"
        )
        assert "本年新收+上年结转总计为38" in found.message

    def test_it_is_silent_when_the_row_was_not_read(self) -> None:
        report = without_rows(said_in_1("全年共收到政府信息公开申请35件。"), "t3", "new")
        assert findings_of(report, "N-01") == []


class TestN02NoApplications:
    def test_it_passes_a_report_with_applications(self) -> None:
        assert findings_of(consistent_2021(), "N-02") == []

    def test_it_reports_text_saying_none_against_a_table_with_some(self) -> None:
        [found] = findings_of(said_in_1("本年度未收到政府信息公开申请。"), "N-02")
        assert found.severity is Severity.ERROR
        assert found.message == "第一部分称“未收到政府信息公开申请”，但表三本年新收总计为36"

    def test_it_reports_text_with_applications_against_an_empty_table(self) -> None:
        empty = consistent_2021()
        for key in empty.t3:
            empty = with_row(empty, "t3", key, [0] * 7)
        [found] = findings_of(said_in_1("全年共收到政府信息公开申请3件。", empty), "N-02")
        assert found.message == "第一部分称“收到政府信息公开申请3件”，但表三本年新收总计为0"
        assert findings_of(said_in_1("全年共收到政府信息公开申请3件。", empty), "N-01") == []

    def test_a_zero_count_against_a_zero_table_passes(self) -> None:
        empty = consistent_2021()
        for key in empty.t3:
            empty = with_row(empty, "t3", key, [0] * 7)
        assert findings_of(said_in_1("本年度未收到政府信息公开申请。", empty), "N-02") == []


class TestN03CarryCounts:
    def test_it_passes_matching_carry_overs(self) -> None:
        report = said_in_1("上年结转政府信息公开申请0件，结转下年度继续办理0件。")
        assert findings_of(report, "N-03") == []

    def test_it_warns_about_a_different_carry_over(self) -> None:
        [found] = findings_of(said_in_1("结转下年度继续办理2件。"), "N-03")
        assert found.message == "第一部分称“结转下年度继续办理2件”，表三结转下年度继续办理总计为0"


class TestN04AppealCounts:
    def _with_appeals(self) -> AnnualReport:
        report = with_row(consistent_2021(), "t4", "review", [1, 0, 0, 1, 2])
        return with_row(report, "t4", "suit_direct", [0, 0, 0, 1, 1])

    def test_it_passes_matching_counts(self) -> None:
        text = "因政府信息公开被申请行政复议2件，被提起行政诉讼1件。"
        assert findings_of(said_in_1(text, self._with_appeals()), "N-04") == []

    def test_it_warns_about_a_different_count(self) -> None:
        text = "因政府信息公开被申请行政复议3件，被提起行政诉讼1件。"
        [found] = findings_of(said_in_1(text, self._with_appeals()), "N-04")
        assert found.message == "第一部分称“行政复议3件”，表四行政复议总计为2"

    def test_review_cases_the_agency_decided_are_not_read(self) -> None:
        text = "全年办理行政复议案件25件。"
        assert findings_of(said_in_1(text, self._with_appeals()), "N-04") == []


class TestN05AppealsDenied:
    def test_it_passes_a_denial_with_an_empty_table(self) -> None:
        text = "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
        assert findings_of(said_in_1(text), "N-05") == []

    def test_it_reports_a_denial_against_cases_in_table_4(self) -> None:
        report = with_row(consistent_2021(), "t4", "suit_after_review", [1, 0, 0, 0, 1])
        text = "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
        [found] = findings_of(said_in_1(text, report), "N-05")
        assert found.severity is Severity.ERROR
        assert "行政诉讼总计（两栏合计）为1" in found.message

    def test_it_reports_cases_in_the_text_against_an_empty_table(self) -> None:
        [found] = findings_of(said_in_1("因政府信息公开被申请行政复议1件。"), "N-05")
        assert found.message == "第一部分称“行政复议1件”，表四行政复议总计为0"
        assert findings_of(said_in_1("因政府信息公开被申请行政复议1件。"), "N-04") == []


class TestN06Section2Counts:
    def test_it_passes_matching_counts(self) -> None:
        report = said_in_1("全年制发行政规范性文件10件，现行有效规范性文件27件。")
        assert findings_of(report, "N-06") == []

    def test_it_warns_about_a_different_count(self) -> None:
        [found] = findings_of(said_in_1("全年制发行政规范性文件9件。"), "N-06")
        assert (
            found.message
            == "第一部分称“制发行政规范性文件9件”，表二“行政规范性文件”本年制发件数为10"
        )

    def test_it_maps_to_the_2019_columns(self) -> None:
        report = said_in_1("制定规范性文件3件，作出行政处罚决定6件。", consistent_2019())
        [found] = findings_of(report, "N-06")
        assert found.message == "第一部分称“作出行政处罚决定6件”，表二“行政处罚”处理决定数量为7"


class TestN07FeeStatement:
    def test_it_is_silent_when_section_6_states_the_fee(self) -> None:
        assert findings_of(consistent_2021(), "N-07") == []

    def test_it_notes_a_section_6_without_a_fee_statement(self) -> None:
        [found] = findings_of(with_text(consistent_2021(), 6, "无。"), "N-07")
        assert found.severity is Severity.INFO
        assert (found.where, found.message) == ("s6", "第六部分未说明信息处理费的收取情况")

    def test_it_notes_a_collected_amount(self) -> None:
        [found] = findings_of(with_text(consistent_2021(), 6, "全年收取信息处理费200元。"), "N-07")
        assert "收取信息处理费200元" in found.message

    def test_it_does_not_apply_before_the_fee_rules(self) -> None:
        assert findings_of(consistent_2019(), "N-07") == []


class TestN08PromisedParts:
    PROMISE = "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"

    def test_it_passes_a_promise_kept(self) -> None:
        report = dataclasses.replace(consistent_2021(), preamble=self.PROMISE)
        assert findings_of(report, "N-08") == []

    def test_it_reports_a_promise_broken_by_a_missing_section(self) -> None:
        report = dataclasses.replace(without_sections(consistent_2021(), 4), preamble=self.PROMISE)
        [found] = findings_of(report, "N-08")
        assert found.severity is Severity.ERROR
        assert (
            found.message == "报告开头称共六部分，但缺少：“四、政府信息公开行政复议、行政诉讼情况”"
        )

    def test_a_missing_tail_is_left_to_s01(self) -> None:
        report = dataclasses.replace(
            without_sections(consistent_2021(), 5, 6), preamble=self.PROMISE
        )
        assert findings_of(report, "N-08") == []
        assert len(findings_of(report, "S-01")) == 2


class TestN09Percentages:
    def test_it_passes_a_share_that_matches_the_table(self) -> None:
        report = said_in_1("予以公开22件，占61.1%；部分公开13件，占36.1%。")
        assert findings_of(report, "N-09") == []

    def test_a_rounded_down_share_passes(self) -> None:
        assert findings_of(said_in_1("自然人申请33件，占91.6%。"), "N-09") == []

    def test_it_warns_about_a_share_that_does_not_match(self) -> None:
        [found] = findings_of(said_in_1("予以公开22件，占33.9%。"), "N-09")
        assert found.message == "第一部分称“予以公开22件，占33.9%”，按表三计算为61.1%（22/36）"
