"""Scanned PDFs and images: OCR with RapidOCR (PP-OCR Chinese models shipped in the wheel), then
the recognised boxes rebuilt into lines and table rows for the common extractor.

Every box OCR returns is a line of text with a position and a confidence. Boxes are grouped by
height into lines; a line with figures (numbers or placeholders) is a table row. Consecutive rows
form a table region, which ends at a line with text over the figures' columns (a header, or a
paragraph running across the page). The columns of a region are the clusters of its figures'
x-centres, so a blank cell keeps its place; text left of the figures is the row's label, and
label text on the lines just above or below a row (a label wrapped over several lines) is joined
to it. Each figure keeps OCR's confidence (`CellText.confidence`); the extractor turns a figure
below `Limits.ocr_min_confidence` into an unreadable cell (decision AU-OCR-2).

Nothing is downloaded: the models are in the rapidocr-onnxruntime wheel (decision AU-OCR-1).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING, Any

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import (
    Block,
    CellText,
    Paragraph,
    ReportParseError,
    TableRow,
)
from gongkai.domain.report.parsers.limits import active_limits, allow_ocr_time, check_time
from gongkai.domain.report.parsers.values import is_value_text

if TYPE_CHECKING:
    from PIL.Image import Image

# Pages are rendered so that their long side is about this many pixels: PP-OCR's detector works
# on images up to 2,000 pixels (RapidOCR's max_side_len) — about 170 dpi for an A4 page.
TARGET_LONG_SIDE = 2000
MAX_DPI = 200


@dataclass(frozen=True)
class Box:
    """One recognised text line: its text, OCR's confidence (0…1) and its bounding box."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


# ---------------------------------------------------------------- the engine


@cache
def _engine() -> Any:
    # RapidOCR logs through its own stream handler; keep it quiet (nothing on stdout or stderr).
    for name in ("RapidOCR", "rapidocr_onnxruntime", "OrtInferSession"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from rapidocr_onnxruntime import RapidOCR

    # text_score 0: keep every box, however unsure; the confidence decides, not a silent drop
    # (a dropped figure would be read as a blank cell).
    engine = RapidOCR(text_score=0.0, print_verbose=False)
    for name in logging.root.manager.loggerDict:
        if "rapidocr" in name.lower() or "ort" in name.lower():
            logging.getLogger(name).setLevel(logging.ERROR)
    return engine


def recognise(image: Image) -> list[Box]:
    """The text boxes of one page image."""
    import numpy as np

    # RapidOCR takes arrays in OpenCV's channel order (BGR).
    array = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
    engine = _engine()
    result, _ = engine(array, use_cls=False, text_score=0.0)
    boxes: list[Box] = []
    for points, text, score in result or []:
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        text = str(text).strip()
        if text:
            box = Box(text, float(score), min(xs), min(ys), max(xs), max(ys))
            boxes.append(_reread(engine, array, box) if _worth_rereading(box) else box)
    return boxes


# A figure read with less confidence than this is read a second time, alone (see _reread).
REREAD_BELOW = 0.95


def _worth_rereading(box: Box) -> bool:
    return box.confidence < REREAD_BELOW and len(box.text) <= 16 and is_value_text(box.text)


def _reread(engine: Any, array: Any, box: Box) -> Box:
    """Recognise a figure's own bounding box alone (recognition only): in the page pass a short
    figure ("0") often scores 0.7–0.9 though it is right, and alone it scores 0.98+. Where the two
    readings differ, the cell keeps the lower confidence of the two (decision AU-OCR-2)."""
    x0, y0 = max(int(box.x0), 0), max(int(box.y0), 0)
    crop = array[y0 : int(box.y1) + 1, x0 : int(box.x1) + 1]
    if crop.size == 0:
        return box
    result, _ = engine(crop, use_det=False, use_cls=False)
    if not result:
        return box
    text, score = str(result[0][0]).strip(), float(result[0][1])
    if not text:
        return box
    if _clean(text) != _clean(box.text):
        score = min(score, box.confidence)
    return Box(text, score, box.x0, box.y0, box.x1, box.y1)


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# ---------------------------------------------------------------- inputs


def image_blocks(data: bytes) -> list[Block]:
    """Blocks of a PNG, JPEG or TIFF (every frame of a multi-page TIFF is a page)."""
    from PIL import Image as PILImage
    from PIL import ImageSequence

    limit = active_limits().max_image_pixels
    try:
        image = PILImage.open(io.BytesIO(data))  # reads the header only
        if image.width * image.height > limit:
            raise ReportParseError(
                f"图片有 {image.width}×{image.height} 像素，超过 {limit:,} 像素的上限，"
                "不像是年度报告的扫描页"
            )
        frames = sum(1 for _ in ImageSequence.Iterator(image))
    except ReportParseError:
        raise
    except PILImage.DecompressionBombError as exc:
        raise ReportParseError("图片像素过多，不像是年度报告的扫描页") from exc
    except Exception as exc:
        raise ReportParseError(
            f"图片已损坏或格式不受支持，无法读取（{type(exc).__name__}）"
        ) from exc
    _check_pages(frames)
    allow_ocr_time()
    blocks: list[Block] = []
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        check_time()
        page = _fit(frame.copy())
        blocks.extend(page_blocks(recognise(page), number, Ink(page)))
    return blocks


def pdf_page_blocks(data: bytes, pages: Sequence[int]) -> dict[int, list[Block]]:
    """OCR the given pages (1-based) of a PDF: page number → its blocks."""
    import pypdfium2

    _check_pages(len(pages))
    allow_ocr_time()
    document = pypdfium2.PdfDocument(data)
    try:
        result: dict[int, list[Block]] = {}
        for number in pages:
            check_time()
            page = document[number - 1]
            width, height = page.get_size()
            scale = min(MAX_DPI / 72, TARGET_LONG_SIDE / max(width, height, 1))
            image = page.render(scale=scale).to_pil()
            result[number] = page_blocks(recognise(image), number, Ink(image))
        return result
    finally:
        document.close()


def _check_pages(count: int) -> None:
    limit = active_limits().max_ocr_pages
    if count > limit:
        raise ReportParseError(
            f"需要文字识别的扫描页共 {count} 页，超过 {limit} 页的上限，请提供带文字层的版本"
        )


def _fit(image: Image) -> Image:
    """A page image no larger than the detector reads (a 600 dpi scan gains nothing)."""
    longest = max(image.size)
    if longest <= TARGET_LONG_SIDE:
        return image
    ratio = TARGET_LONG_SIDE / longest
    return image.resize((round(image.width * ratio), round(image.height * ratio)))


# ---------------------------------------------------------------- boxes → lines → rows


def lines_of(boxes: Iterable[Box]) -> list[list[Box]]:
    """Boxes grouped into lines: a box joins a line whose vertical centre it overlaps."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        for line in reversed(lines[-3:]):
            reference = median(b.cy for b in line)
            height = min(box.height, median(b.height for b in line))
            if abs(box.cy - reference) < height * 0.5:
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _is_figure(box: Box) -> bool:
    return is_value_text(box.text)


# Rows of one table are at most this many text heights apart (a label wrapped over four lines).
_MAX_ROW_GAP = 6


@dataclass
class _Row:
    line: list[Box]
    labels: list[Box]  # the row's own label boxes, then wrapped lines joined to it
    cells: list[Box]  # figures (and anything else right of the label) in reading order
    cy: float


@dataclass
class _Region:
    rows: list[_Row] = field(default_factory=list)
    left: float = float("inf")  # x where the figures' columns begin


class Ink:
    """The page's pixels, to tell a blank cell from a figure OCR did not detect."""

    def __init__(self, image: Image) -> None:
        import numpy as np

        self._grey = np.asarray(image.convert("L"))

    def inked(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether the area holds a mark: more than INK_SHARE of its pixels are dark."""
        area = self._grey[max(int(y0), 0) : max(int(y1), 0), max(int(x0), 0) : max(int(x1), 0)]
        return bool(area.size) and float((area < DARK).mean()) > INK_SHARE


# A pixel darker than this is ink; an empty cell has less than INK_SHARE of them in its middle
# (a "1" in a 150 dpi cell is about 7 %, Gaussian scanner noise far below 1 %).
DARK = 160
INK_SHARE = 0.015


def page_blocks(boxes: Sequence[Box], page: int, ink: Ink | None = None) -> list[Block]:
    """The paragraphs and table rows of one OCR'd page, in reading order.

    With the page's `ink`, a column of a row where OCR found nothing but the page has a mark is
    unreadable (confidence 0), not blank: a figure the detector missed must not read as blank."""
    if not boxes:
        return []
    unit = median(b.height for b in boxes)
    tolerance = unit * 0.8
    lines = lines_of(boxes)
    regions: list[_Region] = []
    current: _Region | None = None
    others: list[list[Box]] = []  # lines that are not table rows
    for line in lines:
        first = next((i for i, b in enumerate(line) if _is_figure(b)), None)
        if first is not None and first == 0 and len(line) == 1 and current is None:
            first = None  # a lone number outside any table (a page number, a figure)
        cy = median(b.cy for b in line)
        if current is not None and cy - current.rows[-1].cy > unit * _MAX_ROW_GAP:
            current = None  # far below the last row: a page number, another table
            if first == 0 and len(line) == 1:
                first = None
        if first is not None:
            row = _Row(line, line[:first], line[first:], cy)
            if current is None:
                current = _Region()
                regions.append(current)
            current.rows.append(row)
            current.left = min(current.left, line[first].x0)
            continue
        if current is not None and any(b.x1 > current.left for b in line):
            current = None  # a header over the figures, or text across the page: table ends
        others.append(line)
    placed: list[tuple[float, Block]] = []
    joined: set[int] = set()
    for region in regions:
        _join_wrapped_labels(region, others, joined, unit)
    for line in others:
        rest = [box for box in line if id(box) not in joined]
        if rest:
            placed.append((median(b.cy for b in rest), _paragraph(rest, page)))
    for table, region in enumerate(regions, start=1):
        columns = _columns(region, tolerance)
        spacing = min((b - a for a, b in pairwise(columns)), default=unit * 3)
        for number, row in enumerate(region.rows, start=1):
            missed = _missed(row, columns, spacing, unit, ink)
            placed.append((row.cy, _table_row(row, columns, missed, page, table, number)))
    placed.sort(key=lambda pair: pair[0])
    return [block for _, block in placed]


def _join_wrapped_labels(
    region: _Region, others: list[list[Box]], joined: set[int], unit: float
) -> None:
    """Label text within reach of a row (a label wrapped above or below its figures) joins it.

    A wrapped label continues in its own column: a box joins when it lies under (or over) a
    label box of the row; a row of figures alone takes the whole label-only line beside it. A
    centred sub-table header left of a lone figure ("第二十条第（六）项") does not join, nor does
    a group label in a column of its own ("（六）" beside the third line of a row's label).
    """
    if not region.rows:
        return
    reach = unit * 1.8
    top = region.rows[0].cy - reach
    bottom = region.rows[-1].cy + reach
    for line in others:
        free = [box for box in line if id(box) not in joined]
        if not free:
            continue
        cy = median(b.cy for b in free)
        if not top <= cy <= bottom or any(b.x1 > region.left for b in free):
            continue
        nearest = min(region.rows, key=lambda row: abs(row.cy - cy))
        if abs(nearest.cy - cy) > reach:
            continue
        if nearest.labels:
            free = [box for box in free if any(_overlap(box, own) for own in nearest.labels)]
        nearest.labels.extend(free)
        joined.update(id(box) for box in free)


def _overlap(a: Box, b: Box) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _columns(region: _Region, tolerance: float) -> list[float]:
    """The x-centres of the region's columns: clusters of its cells' centres."""
    centres = sorted(b.cx for row in region.rows for b in row.cells)
    clusters: list[list[float]] = []
    for x in centres:
        if clusters and x - clusters[-1][-1] <= tolerance:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [median(cluster) for cluster in clusters]


def _label_cells(labels: Sequence[Box]) -> list[list[Box]]:
    """Label boxes stacked in one column (a wrapped label) become one cell, read top to bottom."""
    groups: list[list[Box]] = []
    for box in sorted(labels, key=lambda b: b.x0):
        for group in groups:
            if any(box.x0 < other.x1 and other.x0 < box.x1 for other in group):
                group.append(box)
                break
        else:
            groups.append([box])
    return [sorted(group, key=lambda b: (b.cy, b.x0)) for group in groups]


def _missed(
    row: _Row, columns: Sequence[float], spacing: float, unit: float, ink: Ink | None
) -> set[int]:
    """Columns of the row with no box whose middle is inked on the page."""
    if ink is None:
        return set()
    taken = {_nearest(columns, box.cx) for box in row.cells}
    half_width, half_height = spacing * 0.3, unit * 0.4
    return {
        column
        for column, x in enumerate(columns)
        if column not in taken
        and ink.inked(x - half_width, row.cy - half_height, x + half_width, row.cy + half_height)
    }


def _nearest(columns: Sequence[float], x: float) -> int:
    return min(range(len(columns)), key=lambda i: abs(columns[i] - x))


def _table_row(
    row: _Row, columns: Sequence[float], missed: set[int], page: int, table: int, number: int
) -> TableRow:
    cells: list[CellText] = []
    for group in _label_cells(row.labels):
        text = restore_ordinal("".join(b.text for b in group))
        cells.append(CellText(text, Source(page=page, table=table, row=number)))
    by_column: dict[int, list[Box]] = {}
    for box in row.cells:
        by_column.setdefault(_nearest(columns, box.cx), []).append(box)
    offset = len(cells)
    for column in range(len(columns)):
        found = by_column.get(column, [])
        source = Source(page=page, table=table, row=number, column=offset + column + 1)
        if not found:
            # Nothing read: a blank cell, or (ink there) a figure missed, unreadable.
            cells.append(CellText("", source, 0.0 if column in missed else None))
            continue
        text = "".join(b.text for b in found)
        confidence = min(b.confidence for b in found)
        cells.append(CellText(text, source, round(confidence, 4)))
    return TableRow(tuple(cells), Source(page=page, table=table, row=number))


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")


@cache
def _ordinal_labels() -> dict[str, str]:
    """Row labels of table 三 without their leading ordinal → the full label, where unique."""
    from gongkai.domain.report.schema import FormatVersion, layout, normalize_label

    found: dict[str, set[str]] = {}
    for version in (FormatVersion.V2021, FormatVersion.V2019):
        for row in layout(version).t3_rows:
            bare = _ORDINAL.sub("", row.label)
            if bare != row.label:
                found.setdefault(normalize_label(bare), set()).add(row.label)
    return {bare: next(iter(labels)) for bare, labels in found.items() if len(labels) == 1}


def restore_ordinal(text: str) -> str:
    """A row label whose leading ordinal OCR lost: "一、" and "二、" are horizontal strokes that
    touch the table's rulings, and come back as "本年新收政府信息公开申请数量". Only a label that
    is exactly an official one without its ordinal gets it back."""
    from gongkai.domain.report.schema import normalize_label

    return _ordinal_labels().get(normalize_label(text), text)


def _paragraph(line: Sequence[Box], page: int) -> Paragraph:
    return Paragraph(" ".join(_texts(line)), Source(page=page))


def _texts(line: Sequence[Box]) -> Iterator[str]:
    for box in line:
        yield box.text
