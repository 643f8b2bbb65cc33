"""Scanned reports (issue 13): image-only PDFs and page images read by OCR, and OFD / other zips.

The material is in tests/data/scan/ (README there: how it was made, truth = the corpus truth
files). OCR takes seconds a page, so each document is read once per module. What is checked:
every cell OCR read equals the truth or is unreadable — never a wrong value — and no arithmetic
error is reported that the report does not have; a blurred, noisy copy gives unreadable cells
and S-11 warnings, never errors about the agency's arithmetic.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Cell, CellState
from gongkai.domain.report.parsers import (
    Limits,
    ParseResult,
    ReportParseError,
    detect_kind,
    parse_report,
)
from gongkai.domain.report.parsers.ocr import Box, page_blocks, restore_ordinal
from gongkai.domain.report.rules import check_report

DATA = Path(__file__).resolve().parents[1] / "data" / "scan"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

ARITHMETIC = ("T2-", "T3-", "T4-")


def _truth(name: str) -> dict[str, Any]:
    tables: dict[str, Any] = json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))[
        "tables"
    ]
    return tables


def _cells(report: AnnualReport, truth: dict[str, Any]) -> list[tuple[str, Cell, Any]]:
    """(where, cell read, true value) for every truth cell of a row the report has."""
    found: list[tuple[str, Cell, Any]] = []
    for table in ("t2", "t3", "t4"):
        rows = getattr(report, table)
        for key, values in (truth.get(table) or {}).items():
            if values is None or key not in rows:
                continue
            expected = values if isinstance(values, list) else [values]
            assert len(rows[key]) == len(expected), f"{table}.{key}"
            found += [
                (f"{table}.{key}.{n}", cell, value)
                for n, (cell, value) in enumerate(zip(rows[key], expected, strict=True))
            ]
    return found


def _never_wrong(report: AnnualReport, truth: dict[str, Any]) -> tuple[int, int]:
    """Assert that each cell is the truth or unreadable; return (right, unreadable)."""
    right = unreadable = 0
    for where, cell, value in _cells(report, truth):
        if cell.state is CellState.UNREADABLE:
            unreadable += 1
            continue
        assert cell.value == value, f"{where}: read {cell.raw!r}, truth {value!r}"
        right += 1
    return right, unreadable


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


@pytest.fixture(scope="module")
def scanned_pdf() -> ParseResult:
    return parse_report((DATA / "wancheng-office-2024-tables.pdf").read_bytes(), "scan.pdf")


@pytest.fixture(scope="module")
def page_png() -> ParseResult:
    return parse_report((DATA / "pipe-rows-2024-p2.png").read_bytes(), "page.png")


def _degraded(data: bytes) -> bytes:
    """The page blurred (radius 1) with Gaussian noise (σ 25, seeded), like a poor scan."""
    import numpy as np
    from PIL import Image, ImageFilter

    image = Image.open(io.BytesIO(data)).convert("L").filter(ImageFilter.GaussianBlur(1.0))
    pixels = np.asarray(image).astype(np.float32)
    pixels += np.random.default_rng(13).normal(0, 25, pixels.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def degraded_png() -> ParseResult:
    return parse_report(_degraded((DATA / "pipe-rows-2024-p2.png").read_bytes()), "bad.png")


class TestQuiet:
    def test_ocr_prints_nothing(self, capfd: pytest.CaptureFixture[str]) -> None:
        """First in the module: loading the models and reading a page write nothing."""
        from PIL import Image, ImageDraw

        image = Image.new("L", (400, 120), 255)
        ImageDraw.Draw(image).rectangle((40, 40, 60, 80), fill=0)
        out = io.BytesIO()
        image.save(out, "PNG")
        with pytest.raises(ReportParseError):
            parse_report(out.getvalue(), "blank.png")
        assert capfd.readouterr() == ("", "")


class TestScannedPdf:
    def test_it_is_read_through_ocr_not_refused(self, scanned_pdf: ParseResult) -> None:
        assert scanned_pdf.kind == "pdf"
        report = scanned_pdf.report
        assert report.format.value == "2021"
        assert len(report.t3) == 25 and set(report.t2) == set(_truth("wancheng-office-2024")["t2"])
        assert set(report.t4) == {"review", "suit_direct", "suit_after_review"}

    def test_every_cell_is_the_truth_or_unreadable(self, scanned_pdf: ParseResult) -> None:
        right, unreadable = _never_wrong(scanned_pdf.report, _truth("wancheng-office-2024"))
        # 10 cells of table 二, 175 of table 三, 15 of table 四: nearly all read.
        assert right + unreadable == 10 + 175 + 15
        assert right >= 0.9 * (right + unreadable)

    def test_each_figure_carries_its_confidence(self, scanned_pdf: ParseResult) -> None:
        cells = [cell for _, cell, _ in _cells(scanned_pdf.report, _truth("wancheng-office-2024"))]
        figures = [cell for cell in cells if cell.state is not CellState.BLANK]
        assert figures and all(cell.confidence is not None for cell in figures)
        assert all(0 < (cell.confidence or 0) <= 1 for cell in figures)
        # The blank "其他" cell of （一）予以公开 stays blank, in its own column.
        assert scanned_pdf.report.t3["r_open"][5].state is CellState.BLANK
        assert scanned_pdf.report.t3["r_open"][6].value == 22

    def test_no_arithmetic_error(self, scanned_pdf: ParseResult) -> None:
        findings = check_report(scanned_pdf.report)
        assert [f for f in _errors(findings) if f.rule.startswith(ARITHMETIC)] == []
        # The pages hold the tables only: missing sections 一, 五, 六 are the only errors.
        assert {f.rule for f in _errors(findings)} <= {"S-01"}

    def test_unreadable_cells_are_warned_with_page_and_position(
        self, scanned_pdf: ParseResult
    ) -> None:
        warnings = [f for f in check_report(scanned_pdf.report) if f.rule == "S-11"]
        unreadable = [
            c
            for _, c, _ in _cells(scanned_pdf.report, _truth("wancheng-office-2024"))
            if c.state is CellState.UNREADABLE
        ]
        assert len(warnings) == len(unreadable)
        assert all("页" in w.message and "列" in w.message for w in warnings)


class TestPageImage:
    def test_a_png_is_read(self, page_png: ParseResult) -> None:
        assert page_png.kind == "image"
        truth = _truth("pipe-rows-2024")
        expected = {key for key, cells in truth["t3"].items() if cells is not None}
        assert set(page_png.report.t3) == expected
        right, unreadable = _never_wrong(page_png.report, truth)
        assert right + unreadable == 70
        assert right >= 63

    def test_no_arithmetic_error(self, page_png: ParseResult) -> None:
        errors = _errors(check_report(page_png.report))
        assert [f for f in errors if f.rule.startswith(ARITHMETIC)] == []


class TestDegradedImage:
    def test_doubtful_figures_are_unreadable_never_wrong(self, degraded_png: ParseResult) -> None:
        _, unreadable = _never_wrong(degraded_png.report, _truth("pipe-rows-2024"))
        assert unreadable > 0

    def test_they_give_s11_warnings_not_errors(self, degraded_png: ParseResult) -> None:
        findings = check_report(degraded_png.report)
        assert [f for f in findings if f.rule == "S-11"]
        assert all(f.severity is Severity.WARNING for f in findings if f.rule == "S-11")
        assert [f for f in _errors(findings) if f.rule.startswith(ARITHMETIC)] == []


# ---------------------------------------------------------------- rows from boxes (no OCR)


def _box(text: str, x0: float, y0: float, width: float = 40, confidence: float = 0.99) -> Box:
    return Box(text, confidence, x0, y0, x0 + width, y0 + 20)


class TestRowsFromBoxes:
    def test_a_blank_cell_keeps_its_column(self) -> None:
        boxes = [
            *(_box("一、本年新收政府信息公开申请数量", 10, 100, 300),),
            *(_box(str(n), 400 + 60 * i, 100) for i, n in enumerate([3, 1, 0, 0, 0, 0, 4])),
            _box("（一）予以公开", 10, 130, 150),
            *(_box(str(n), 400 + 60 * i, 130) for i, n in [(0, 2), (1, 1), (6, 3)]),
        ]
        _, second = page_blocks(boxes, 1)
        assert [c.text for c in second.cells] == ["（一）予以公开", "2", "1", "", "", "", "", "3"]

    def test_a_label_wrapped_over_two_lines_is_joined(self) -> None:
        boxes = [
            _box("（二）部分公开（区分处理的，只计这一", 10, 100, 300),
            _box("16", 400, 112),
            _box("17", 460, 112),
            _box("情形，不计其他情形）", 10, 124, 200),
        ]
        [row] = page_blocks(boxes, 1)
        assert row.cells[0].text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"

    def test_a_header_over_the_figures_ends_a_table(self) -> None:
        boxes = [
            _box("规章", 10, 100),
            *(_box("0", 400 + 60 * i, 100) for i in range(3)),
            _box("第二十条第（五）项", 300, 130, 180),
            _box("行政许可", 10, 160),
            _box("0", 460, 160),
        ]
        blocks = page_blocks(boxes, 1)
        assert [c.text for c in blocks[-1].cells] == ["行政许可", "0"]  # type: ignore[union-attr]

    def test_confidence_is_carried(self) -> None:
        boxes = [_box("规章", 10, 100), _box("7", 400, 100, confidence=0.5)]
        [row] = page_blocks(boxes, 1)
        assert row.cells[1].confidence == 0.5  # type: ignore[union-attr]

    def test_a_lost_ordinal_is_restored(self) -> None:
        assert restore_ordinal("上年结转政府信息公开申请数量") == "二、上年结转政府信息公开申请数量"
        assert restore_ordinal("1.属于国家秘密") == "1.属于国家秘密"


# ---------------------------------------------------------------- formats


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


class TestDetection:
    @pytest.mark.parametrize(
        ("head", "kind"),
        [
            (b"\x89PNG\r\n\x1a\n", "image"),
            (b"\xff\xd8\xff\xe0", "image"),
            (b"II*\x00", "image"),
            (b"MM\x00*", "image"),
        ],
    )
    def test_images_by_magic_bytes(self, head: bytes, kind: str) -> None:
        assert detect_kind(head + b"\x00" * 64, "report.txt") == kind

    def test_zips_are_told_apart(self) -> None:
        assert detect_kind(_zip({"word/document.xml": b"<w/>"})) == "docx"
        assert detect_kind(_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b""})) == "ofd"
        assert detect_kind(_zip({"readme.txt": b"x"})) == "zip"

    def test_ofd_is_refused_with_a_clear_message(self) -> None:
        with pytest.raises(
            ReportParseError, match="暂不支持 OFD 格式，请提供 PDF、Word 或网页版本"
        ):
            parse_report(_zip({"OFD.xml": b"<ofd:OFD/>"}), "report.ofd")

    def test_another_zip_is_refused(self) -> None:
        with pytest.raises(ReportParseError, match="压缩包"):
            parse_report(_zip({"a.txt": b"x"}), "reports.zip")

    def test_an_oversized_image_is_refused_before_it_is_decoded(self) -> None:
        from PIL import Image

        out = io.BytesIO()
        Image.new("1", (9000, 9000), 1).save(out, "PNG")
        with pytest.raises(ReportParseError, match="像素的上限"):
            parse_report(out.getvalue(), "huge.png", Limits(max_image_pixels=50_000_000))

    def test_a_broken_image_is_refused(self) -> None:
        with pytest.raises(ReportParseError, match="图片"):
            parse_report(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "page.png")
