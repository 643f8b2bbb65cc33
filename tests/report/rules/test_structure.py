"""Structure and format rules S-01…S-11, F-01, F-02."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Cell, ExtraRow, Section, Source
from gongkai.domain.report.rules.structure import expected_format
from gongkai.domain.report.schema import FormatVersion
from tests.report.rules.builders import (
    cells,
    consistent_2019,
    consistent_2021,
    findings_of,
    invalid,
    placeholder,
    wancheng_as_published,
    with_cell,
    with_row,
    with_text,
    without_rows,
    without_sections,
)


class TestS01AllSections:
    def test_it_passes_six_sections(self) -> None:
        assert findings_of(consistent_2021(), "S-01") == []

    def test_it_reports_each_missing_section(self) -> None:
        report = without_sections(consistent_2021(), 4)
        [found] = findings_of(report, "S-01")
        assert found.severity is Severity.ERROR
        assert found.where == "s4"
        assert found.message == "缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”"

    def test_pre_2019_reports_have_their_own_structure(self) -> None:
        report = dataclasses.replace(
            without_sections(consistent_2021(), 4), format=FormatVersion.PRE2019
        )
        assert findings_of(report, "S-01") == []


class TestS02SectionOrder:
    def test_it_passes_sections_in_order(self) -> None:
        assert findings_of(consistent_2021(), "S-02") == []

    def test_it_reports_a_section_out_of_place(self) -> None:
        report = consistent_2021()
        s = report.sections
        report = dataclasses.replace(report, sections=(s[0], s[1], s[3], s[2], s[4], s[5]))
        [found] = findings_of(report, "S-02")
        assert found.where == "s3"
        assert found.message.startswith("“三、收到和处理政府信息公开申请情况”排在“四、")

    def test_a_repeated_heading_is_not_an_order_problem(self) -> None:
        assert findings_of(wancheng_as_published(), "S-02") == []


class TestS03TablesComplete:
    def test_it_passes_complete_tables(self) -> None:
        assert findings_of(consistent_2021(), "S-03") == []

    def test_it_lists_missing_rows_in_one_finding_per_table(self) -> None:
        report = without_rows(consistent_2021(), "t3", "r_total", "carry_out")
        [found] = findings_of(report, "S-03")
        assert found.where == "t3"
        assert found.message == "表三缺少2行：“（七）总计”、“四、结转下年度继续办理”"

    def test_it_reports_a_missing_table(self) -> None:
        report = dataclasses.replace(consistent_2021(), t4={})
        [found] = findings_of(report, "S-03")
        assert (found.where, found.message) == (
            "t4",
            "缺少表四（政府信息公开行政复议、行政诉讼情况）",
        )

    def test_it_reports_a_row_with_missing_columns(self) -> None:
        report = with_row(consistent_2021(), "t2", "normative_documents", [10, 0])
        [found] = findings_of(report, "S-03")
        assert found.message == "表二“行政规范性文件”行只有2列（应为3列）"

    def test_it_knows_the_2019_rows(self) -> None:
        assert findings_of(consistent_2019(), "S-03") == []
        report = without_rows(consistent_2019(), "t2", "procurement")
        [found] = findings_of(report, "S-03")
        assert "“政府集中采购”" in found.message


class TestS04ValidNumbers:
    def test_it_passes_valid_counts_and_signed_2019_changes(self) -> None:
        assert findings_of(consistent_2021(), "S-04") == []
        assert findings_of(consistent_2019(), "S-04") == []

    def test_it_reports_unreadable_negative_and_fractional_counts(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_partial", 0, invalid("十三"))
        report = with_cell(report, "t2", "licensing", 0, -1)
        report = with_cell(report, "t3", "new", 1, Decimal("2.5"))
        found = findings_of(report, "S-04")
        assert [(f.where, f.message) for f in found] == [
            ("t2.licensing.decisions", "表二“行政许可”行“本年处理决定数量”列为负数(-1)"),
            ("t3.new.biz", "表三“一、本年新收政府信息公开申请数量”行“商业企业”列不是整数(2.5)"),
            ("t3.r_partial.natural", "表三“（二）部分公开”行“自然人”列不是数字：“十三”"),
        ]

    def test_an_amount_may_have_decimals_but_not_a_minus(self) -> None:
        assert (
            findings_of(with_cell(consistent_2021(), "t2", "fees", 0, Decimal("0.35")), "S-04")
            == []
        )
        [found] = findings_of(with_cell(consistent_2021(), "t2", "fees", 0, Decimal("-1")), "S-04")
        assert found.where == "t2.fees.amount"


class TestS05BlankCells:
    def test_it_passes_a_table_without_blanks(self) -> None:
        assert findings_of(consistent_2021(), "S-05") == []

    def test_it_reports_each_blank_and_placeholder_cell_where_it_is(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_open", 5, None)
        report = with_cell(report, "t4", "review", 4, placeholder("/"))
        found = findings_of(report, "S-05")
        assert [(f.severity, f.where) for f in found] == [
            (Severity.WARNING, "t3.r_open.other_org"),
            (Severity.WARNING, "t4.review.total"),
        ]
        assert (
            found[0].message == "表三“（一）予以公开”行“法人或其他组织（其他）”列为空白（按0计算）"
        )
        assert found[1].message == "表四“行政复议”“总计”为占位符“/”（按0计算）"


class TestS11UnreadableCells:
    def test_a_low_confidence_reading_is_never_the_basis_of_an_arithmetic_error(self) -> None:
        # 予以公开/自然人 is 20 in the balanced table; OCR read "29" with 41% confidence.
        doubtful = Cell.unreadable("29", Source(page=3, row=7, column=2), confidence=0.41)
        report = with_cell(consistent_2021(), "t3", "r_open", 0, doubtful)
        found = check_findings(report)
        assert not [f for f in found if f.rule.startswith(("T3-", "T4-", "S-04"))]
        [s11] = [f for f in found if f.rule == "S-11"]
        assert s11.severity is Severity.WARNING
        assert s11.where == "t3.r_open.natural"
        assert s11.message == (
            "表三“（一）予以公开”行“自然人”列识别为“29”，置信度仅41%（第3页第7行第2列），"
            "无法确认，未参与勾稽校验，请对照原件核对"
        )

    def test_an_ambiguous_placement_says_it_could_not_place_the_number(self) -> None:
        report = with_cell(consistent_2021(), "t4", "review", 0, Cell.unreadable("3"))
        [s11] = findings_of(report, "S-11")
        assert (
            s11.message
            == "表四“行政复议”“结果维持”“3”无法确定属于哪一列，未参与勾稽校验，请对照原件核对"
        )
        assert findings_of(report, "T4-01") == []

    def test_the_same_wrong_number_read_with_certainty_is_an_error(self) -> None:
        report = with_cell(consistent_2021(), "t3", "r_open", 0, 29)
        assert findings_of(report, "T3-02")


def check_findings(report: AnnualReport) -> list[Finding]:
    from gongkai.domain.report.rules import check_report

    return check_report(report)


class TestS06ExtraRows:
    def test_it_is_silent_without_extra_rows(self) -> None:
        assert findings_of(consistent_2021(), "S-06") == []

    def test_it_reports_an_extra_row_as_info(self) -> None:
        extra = ExtraRow("t3", "法人或其他组织小计", cells([3, 0]))
        [found] = findings_of(dataclasses.replace(consistent_2021(), extra_rows=(extra,)), "S-06")
        assert found.severity is Severity.INFO
        assert found.message == "表三有非官方行“法人或其他组织小计”，不参与勾稽校验（3/0）"


class TestS07Period:
    def test_it_passes_a_period_of_the_report_year(self) -> None:
        assert findings_of(consistent_2021(), "S-07") == []

    def test_it_warns_about_another_year(self) -> None:
        report = dataclasses.replace(consistent_2021(), period=(2023, 2023))
        [found] = findings_of(report, "S-07")
        assert (found.where, found.message) == (
            "preamble",
            "统计期限为2023年，与报告年度2024年不一致",
        )

    def test_it_warns_about_a_period_over_two_years(self) -> None:
        report = dataclasses.replace(consistent_2021(), period=(2023, 2024))
        [found] = findings_of(report, "S-07")
        assert "2023年至2024年" in found.message


class TestS08YearsAgree:
    def test_it_passes_when_title_and_text_name_the_report_year(self) -> None:
        assert findings_of(consistent_2021(), "S-08") == []

    def test_it_warns_about_a_stale_title(self) -> None:
        report = dataclasses.replace(
            consistent_2021(), title="宛城区人民政府办公室2023年政府信息公开工作年度报告"
        )
        [found] = findings_of(report, "S-08")
        assert (found.where, found.message) == ("title", "标题年份(2023年)与报告年度(2024年)不一致")

    def test_it_warns_when_section_1_speaks_of_last_year(self) -> None:
        text = "2023年，我办坚持公开为常态。2023年度共主动公开信息50条。2024年继续完善制度。"
        [found] = findings_of(with_text(consistent_2021(), 1, text), "S-08")
        assert found.where == "s1"
        assert "2023年（2次）" in found.message

    def test_cited_document_numbers_are_not_years_of_the_text(self) -> None:
        text = "根据国办公开办函〔2021〕30号和《2023年政务公开工作要点》，2024年我办做好公开工作。"
        assert findings_of(with_text(consistent_2021(), 1, text), "S-08") == []


class TestS09RepeatedHeading:
    def test_it_passes_headings_that_appear_once(self) -> None:
        assert findings_of(consistent_2021(), "S-09") == []

    def test_it_warns_about_a_heading_that_appears_twice(self) -> None:
        [found] = findings_of(wancheng_as_published(), "S-09")
        assert found.severity is Severity.WARNING
        assert (found.where, found.message) == ("s1", "标题“一、总体情况”出现2次")

    def test_other_headings_may_repeat(self) -> None:
        report = consistent_2021()
        extra = Section(None, "附件", "")
        report = dataclasses.replace(report, sections=(*report.sections, extra, extra))
        assert findings_of(report, "S-09") == []


class TestF01FormatMatchesYear:
    def test_expected_format_by_year(self) -> None:
        assert expected_format(2018) is FormatVersion.PRE2019
        assert expected_format(2019) is FormatVersion.V2019
        assert expected_format(2020) is FormatVersion.V2019
        assert expected_format(2021) is FormatVersion.V2021

    def test_it_passes_the_format_of_the_year(self) -> None:
        assert findings_of(consistent_2021(), "F-01") == []
        assert findings_of(consistent_2019(), "F-01") == []

    def test_it_reports_the_2019_format_after_2020(self) -> None:
        report = dataclasses.replace(consistent_2019(), year=2022)
        [found] = findings_of(report, "F-01")
        assert found.severity is Severity.ERROR
        assert found.message == (
            "2022年度报告应使用2021版格式（国办公开办函〔2021〕30号），"
            "实际为2019版试行格式（国办公开办函〔2019〕60号）"
        )

    def test_it_reports_fixed_tables_before_2019(self) -> None:
        report = dataclasses.replace(consistent_2019(), year=2017)
        assert [f.rule for f in findings_of(report, "F-01")] == ["F-01"]

    def test_an_unknown_format_or_year_is_not_judged(self) -> None:
        assert (
            findings_of(
                dataclasses.replace(consistent_2021(), format=FormatVersion.UNKNOWN), "F-01"
            )
            == []
        )
        assert findings_of(dataclasses.replace(consistent_2019(), year=None), "F-01") == []


class TestF02Anachronism:
    def test_it_is_silent_for_the_right_format(self) -> None:
        assert findings_of(consistent_2019(), "F-02") == []

    def test_it_warns_about_a_2020_report_in_the_2021_format(self) -> None:
        report = dataclasses.replace(consistent_2021(), year=2020)
        [found] = findings_of(report, "F-02")
        assert found.severity is Severity.WARNING
        assert findings_of(report, "F-01") == []


class TestS10PlaceholderText:
    def test_it_passes_a_finished_text(self) -> None:
        assert findings_of(consistent_2021(), "S-10") == []

    def test_it_flags_each_section_still_holding_a_placeholder(self) -> None:
        report = with_text(consistent_2021(), 5, "（待填写：存在的主要问题及改进情况）")
        report = with_text(report, 6, "无。请在此填写其他事项")
        found = findings_of(report, "S-10")
        assert [(f.where, f.severity) for f in found] == [
            ("s5", Severity.ERROR),
            ("s6", Severity.ERROR),
        ]
        assert found[0].message == "第五部分含未替换的占位文字“待填写”"

    def test_a_section_about_filling_in_forms_is_not_a_placeholder(self) -> None:
        report = with_text(
            consistent_2021(), 5, "部分申请人填写申请表不规范，我办已在网站提供填写说明。"
        )
        assert findings_of(report, "S-10") == []
