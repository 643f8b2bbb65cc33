"""The JSON format: report_to_dict, render(r, "json"), docs/report.schema.json and parse_json."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from gongkai.domain.report.model import AnnualReport, Cell, CellState, ExtraRow, ParseNote
from gongkai.domain.report.parsers.json import ReportJsonError, parse_json
from gongkai.domain.report.renderers import render, report_to_dict
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.fixtures import CORPUS
from tests.report.renderers.jsonschema_lite import errors
from tests.report.renderers.samples import distinct_report
from tests.report.strategies import consistent_reports

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "report.schema.json").read_text("utf-8")
)
TRUTH_FILES = sorted(CORPUS.glob("*.truth.json"))


def rendered(report: AnnualReport) -> Any:
    return json.loads(render(report, "json"))


def plain(report: AnnualReport) -> Any:
    """report_to_dict, typed loosely for indexing in assertions."""
    return report_to_dict(report)


class TestSchema:
    @settings(max_examples=40, deadline=None)
    @given(consistent_reports())
    def test_every_rendered_report_matches_the_schema(self, report: AnnualReport) -> None:
        assert errors(SCHEMA, rendered(report)) == []

    @pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.name)
    def test_the_corpus_truth_files_match_the_schema(self, path: Path) -> None:
        # The truth files were written by hand in the shape of `gongkai check --json`.
        assert errors(SCHEMA, json.loads(path.read_text("utf-8"))) == []

    def test_the_schema_lists_the_rows_of_each_layout(self) -> None:
        for version, suffix in ((FormatVersion.V2021, "2021"), (FormatVersion.V2019, "2019")):
            lay = layout(version)
            t3 = SCHEMA["$defs"][f"t3_{suffix}"]
            assert t3["required"] == [row.key for row in lay.t3_rows]
            t2 = SCHEMA["$defs"][f"t2_{suffix}"]
            assert t2["required"] == [row.key for _, row in lay.t2_rows]
        assert SCHEMA["$defs"]["t4"]["required"] == [
            g.key for g in layout(FormatVersion.V2021).t4_groups
        ]

    def test_it_rejects_a_2019_report_with_2021_rows(self) -> None:
        document = rendered(distinct_report(FormatVersion.V2021))
        document["format"] = "2019"
        assert errors(SCHEMA, document)

    @pytest.mark.parametrize(
        "change",
        [
            lambda d: d["tables"]["t3"].update(r_open=[1, 2, 3]),
            lambda d: d["tables"]["t3"].update(r_bogus=[0] * 7),
            lambda d: d["tables"]["t4"]["review"].__setitem__(0, "0"),
            lambda d: d["tables"]["t2"].update(licensing=[3]),
            lambda d: d.update(format="2022"),
            lambda d: d["placeholders"].update({"t3.r_open": "/"}),
            lambda d: d.pop("tables"),
        ],
    )
    def test_it_rejects_malformed_documents(self, change: Callable[[Any], object]) -> None:
        document = rendered(distinct_report())
        change(document)
        assert errors(SCHEMA, document)


class TestReportToDict:
    def test_it_has_the_check_json_keys_with_2021_t2_shape(self) -> None:
        document = plain(distinct_report())
        assert list(document)[:4] == ["format", "agency", "year", "title"]
        assert document["format"] == "2021"
        tables = document["tables"]
        assert isinstance(tables, dict)
        t2 = tables["t2"]
        assert isinstance(t2, dict)
        assert t2["regulations"] == [1, 2, 3]
        assert t2["licensing"] == 21  # a one-column row is a number, not a list
        assert t2["fees"] == 5.5  # Decimal("5.5") 万元 as a JSON number
        assert tables["t4"] == {
            "review": [1000, 1001, 1002, 1003, 1004],
            "suit_direct": [1010, 1011, 1012, 1013, 1014],
            "suit_after_review": [1020, 1021, 1022, 1023, 1024],
        }

    def test_blank_and_placeholder_cells_are_null_and_the_placeholder_text_is_kept(self) -> None:
        document = plain(distinct_report())
        t3 = document["tables"]["t3"]
        assert t3["r_open"][5] is None
        assert t3["carry_in"][0] is None
        assert document["placeholders"] == {"t3.r_open.other_org": "/"}
        assert document["invalid"] == {}
        assert document["printed"] == {}

    def test_2019_reports_use_r_other_and_the_2019_t2_keys(self) -> None:
        document = plain(distinct_report(FormatVersion.V2019))
        t3 = document["tables"]["t3"]
        assert "r_other" in t3 and "r_other_nofee" not in t3
        t2 = document["tables"]["t2"]
        assert list(t2) == [
            "regulations",
            "normative_documents",
            "licensing",
            "other_services",
            "penalty",
            "coercion",
            "fees",
            "procurement",
        ]
        assert t2["fees"] == [61, 62]
        assert t2["procurement"] == [71, 7.6]

    def test_missing_rows_are_null_and_missing_tables_are_null(self) -> None:
        report = AnnualReport(FormatVersion.V2021, t3={"new": tuple(Cell.of(1) for _ in range(7))})
        tables = plain(report)["tables"]
        assert tables["t2"] is None and tables["t4"] is None
        t3 = tables["t3"]
        assert t3["new"] == [1] * 7 and t3["carry_in"] is None
        assert len(t3) == 25

    def test_a_short_row_is_padded_with_nulls(self) -> None:
        report = AnnualReport(FormatVersion.V2021, t4={"review": (Cell.of(1), Cell.of(2))})
        assert plain(report)["tables"]["t4"]["review"] == [1, 2, None, None, None]

    def test_invalid_and_oddly_printed_cells_keep_their_text(self) -> None:
        report = AnnualReport(
            FormatVersion.V2019,
            t2={
                "procurement": (
                    Cell(12, CellState.VALUE, "12个"),
                    Cell(Decimal(251000), CellState.VALUE, "251000元"),
                )
            },
            t4={"review": (Cell(None, CellState.INVALID, "十二"), *(Cell.of(0) for _ in range(4)))},
        )
        document = plain(report)
        assert document["printed"] == {
            "t2.procurement.items": "12个",
            "t2.procurement.amount": "251000元",
        }
        assert document["invalid"] == {"t4.review.upheld": "十二"}

    def test_the_json_is_utf8_with_one_line_per_table_row(self) -> None:
        text = render(distinct_report(), "json").decode("utf-8")
        assert '"agency": "某某县人民政府办公室"' in text
        assert '      "new": [100, 101, 102, 103, 104, 105, 106],' in text
        assert '"fees": 5.5' in text


def assert_round_trip(report: AnnualReport) -> None:
    again = parse_json(render(report, "json"))
    assert report_to_dict(again) == report_to_dict(report)


class TestRoundTrip:
    @settings(max_examples=60, deadline=None)
    @given(consistent_reports())
    def test_parse_json_inverts_render(self, report: AnnualReport) -> None:
        assert_round_trip(report)

    def test_cell_states_survive(self) -> None:
        again = parse_json(render(distinct_report(), "json"))
        assert again.t3["r_open"][5] == Cell(None, CellState.PLACEHOLDER, "/")
        assert again.t3["carry_in"][0] == Cell.blank()
        assert again.t2["fees"] == (Cell(Decimal("5.5"), CellState.VALUE, "5.5"),)
        assert again.sections == distinct_report().sections

    def test_unreadable_cells_and_ocr_confidence_survive(self) -> None:
        report = distinct_report()
        t3 = dict(report.t3)
        doubtful = Cell(None, CellState.UNREADABLE, "29", confidence=0.41)
        sure = Cell(7, CellState.VALUE, "7", confidence=0.98)
        t3["r_open"] = (doubtful, sure, *report.t3["r_open"][2:])
        data = json.loads(render(dataclasses.replace(report, t3=t3), "json"))
        assert data["unreadable"] == {"t3.r_open.natural": "29"}
        assert data["confidence"] == {"t3.r_open.natural": 0.41, "t3.r_open.biz": 0.98}
        again = parse_json(json.dumps(data).encode())
        assert again.t3["r_open"][:2] == (doubtful, sure)

    def test_everything_else_survives(self) -> None:
        report = AnnualReport(
            FormatVersion.V2019,
            year=2020,
            period=(2020, 2020),
            t2={"fees": (Cell.of(3), Cell(None, CellState.INVALID, "增加"))},
            extra_rows=(
                ExtraRow(
                    "t3",
                    "（三）小计",
                    (Cell.of(4), Cell.blank(), Cell(None, CellState.PLACEHOLDER, "—")),
                ),
            ),
            notes=(ParseNote("表格四缺少表头"),),
            source_kind="pdf",
        )
        again = parse_json(render(report, "json"))
        assert again.extra_rows == report.extra_rows
        assert again.notes == report.notes
        assert again.t2 == report.t2
        assert (again.source_kind, again.period) == ("pdf", (2020, 2020))

    def test_a_fee_keeps_its_decimals(self) -> None:
        report = AnnualReport(FormatVersion.V2021, t2={"fees": (Cell.of(Decimal("1234.5678")),)})
        assert parse_json(render(report, "json")).t2["fees"][0].value == Decimal("1234.5678")

    def test_a_missing_one_column_row_differs_from_a_blank_one(self) -> None:
        cells = {"regulations": tuple(Cell.of(0) for _ in range(3)), "penalty": (Cell.blank(),)}
        report = AnnualReport(FormatVersion.V2021, t2=cells)
        document = plain(report)
        t2 = document["tables"]["t2"]
        assert t2["penalty"] is None and t2["licensing"] is None
        assert "t2.licensing" in document["missing_rows"]
        assert "t2.penalty" not in document["missing_rows"]
        again = parse_json(render(report, "json"))
        assert again.t2 == cells

    def test_a_null_one_column_row_without_missing_rows_is_a_blank_cell(self) -> None:
        report = parse_json(b'{"format": "2021", "tables": {"t2": {"licensing": null}}}')
        assert report.t2 == {"licensing": (Cell.blank(),)}

    @pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.name)
    def test_it_reads_the_corpus_truth_files(self, path: Path) -> None:
        truth = json.loads(path.read_text("utf-8"))
        report = parse_json(path.read_bytes())
        assert report.format.value == truth["format"]
        assert (report.year, report.agency) == (truth["year"], truth["agency"])
        assert report_to_dict(report)["tables"] == truth["tables"]
        assert report.source_kind == "json"


class TestParseJsonErrors:
    @pytest.mark.parametrize(
        ("data", "fragment"),
        [
            (b"\xff\xfe{}", "UTF-8"),
            (b"{", "不是有效的 JSON"),
            (b"[]", "JSON 顶层 应为 JSON 对象"),
            (b'{"format": "2030", "tables": {}}', "format 的值“2030”无效"),
            (b'{"format": "2021"}', "tables 应为 JSON 对象，不是 null"),
            (
                b'{"format": "2021", "tables": {"t3": {"r_other": [0,0,0,0,0,0,0]}}}',
                "本格式没有的行：r_other",
            ),
            (
                b'{"format": "2021", "tables": {"t4": {"review": [0, 0]}}}',
                "应为 5 个数值或 null 组成的数组",
            ),
            (
                b'{"format": "2021", "tables": {"t4": {"review": [0, 0, "0", 0, 0]}}}',
                "tables.t4.review[2]（其他结果） 应为数值或 null，不是 字符串“0”",
            ),
            (b'{"format": "2021", "tables": {"t2": {"licensing": [3]}}}', "应为一个数值或 null"),
            (
                b'{"format": "2021", "tables": {"t4": {"review": [true, 0, 0, 0, 0]}}}',
                "不是 布尔值",
            ),
            (b'{"format": "2021", "tables": {"t4": {"review": [NaN, 0, 0, 0, 0]}}}', "不允许 NaN"),
            (
                b'{"format": "2021", "tables": {"t4": {"review": [1, 0, 0, 0, 1]}},'
                b' "placeholders": {"t4.review.upheld": "/"}}',
                "对应的单元格有数值",
            ),
            (
                b'{"format": "2021", "tables": {}, "placeholders": {"t3.nope.x": "/"}}',
                "不对应表格中的任何单元格",
            ),
            (
                b'{"format": "2021", "tables": {}, "sections": [{"number": 7, "heading": "other"}]}',
                "1 至 6",
            ),
            (
                b'{"format": "2021", "tables": {}, "sections": [{"number": 1}]}',
                "heading 应为字符串，不是 null",
            ),
            (b'{"format": "2021", "tables": {}, "period": [2020]}', "period 应为"),
            (b'{"format": "2021", "tables": {}, "year": "2020"}', "year 应为整数"),
            (
                b'{"format": "2021", "tables": {"t2": {"fees": "0"}}}',
                "tables.t2.fees（本年收费金额（单位：万元））",
            ),
            (
                b'{"format": "2021", "tables": {"t4": {"review": [0, 0, 0, 0, 0]}}, "missing_rows": ["t4.review"]}',
                "不是 null",
            ),
            (
                b'{"format": "2021", "tables": {}, "missing_rows": ["t3.new"]}',
                "missing_rows 中的 t3.new 不是所给表格中的行",
            ),
        ],
    )
    def test_it_names_what_is_wrong_in_chinese(self, data: bytes, fragment: str) -> None:
        with pytest.raises(ReportJsonError) as caught:
            parse_json(data)
        assert isinstance(caught.value, ValueError)
        assert fragment in str(caught.value)

    def test_it_ignores_check_output_fields_and_accepts_missing_rows(self) -> None:
        data = json.dumps(
            {
                "file": "a.docx",
                "format": "2021",
                "agency": None,
                "year": 2023,
                "tables": {"t2": None, "t3": {"new": [1, 2, 3, 4, 5, 6, 21]}, "t4": None},
                "findings": [
                    {"rule": "S-03", "severity": "error", "where": "t3", "message": "缺行"}
                ],
            }
        ).encode()
        report = parse_json(data)
        assert list(report.t3) == ["new"]
        assert report.t2 == {} and report.t4 == {}
