"""PDF with a text layer: tables from positioned words, with or without rulings; the rest as lines.

The characters of every page are read once, with their positions, by PDFium (pdf_chars); the
tables 二/三/四 are rebuilt from them by their headers' columns (pdf_tables), whether the table
is ruled or not, its labels wrapped over lines, broken across pages or printed on a landscape
page. A figure the reader cannot place with certainty is reported as unreadable (S-11), never
guessed. A document in which no official table header is found is read as before, through
pdfplumber's ruled-table finder. Pages without a text layer (a scan) are read by OCR (ocr.py);
a PDF in which neither finds any text is refused with a clear message.
"""

from __future__ import annotations

import io
import logging
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from gongkai.domain.report.model import AnnualReport, Cell, Cells, Source
from gongkai.domain.report.parsers.blocks import (
    Block,
    CellText,
    Paragraph,
    ReportParseError,
    TableRow,
)
from gongkai.domain.report.parsers.limits import active_limits, check_time
from gongkai.domain.report.parsers.pdf_chars import PageText, open_document, page_text
from gongkai.domain.report.parsers.pdf_tables import Columns, Reading, read_tables
from gongkai.domain.report.parsers.text import text_blocks

# PDF fonts often map common characters to Kangxi radicals (⼀ U+2F00 for 一, ⼯ U+2F2F for 工):
# they look the same but match nothing, so fold both radical blocks to the unified ideographs.
_RADICALS = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in [*range(0x2E80, 0x2EFF), *range(0x2F00, 0x2FD6)]
    if unicodedata.normalize("NFKC", chr(code)) != chr(code)
}

# The supplement radicals have no compatibility mapping; these are the ones that stand for a
# whole simplified character in PDF text layers.
_RADICALS.update(
    zip(
        map(ord, "⺠⻓⻔⻢⻅⻋⻛⻜⻘⻬⻄⺟⺩⻉⻚⻨⻩⻰⻳⻦⻥⻆⻣⻤⻝⻧⻮⺁⺮"),
        "民长门马见车风飞青齐西母王贝页麦黄龙龟鸟鱼角骨鬼食卤齿厂竹",
        strict=True,
    )
)


def fold_radicals(text: str) -> str:
    return text.translate(_RADICALS)


class PdfReading(NamedTuple):
    blocks: list[Block]
    # Cells whose figure could not be placed with certainty: read as unreadable (AU-2).
    doubtful: frozenset[Source]


def pdf_blocks(data: bytes) -> list[Block]:
    return read_pdf(data).blocks


def read_pdf(data: bytes) -> PdfReading:
    """The blocks of a PDF: tables from positioned words (ruled or not), the rest as lines.

    When the header of table 三 is found nowhere, the document is read as before, by pdfplumber's
    ruled-table finder (tables whose header is not laid out as the official one)."""
    with _PDFIUM:
        blocks, doubtful, found_t3 = _read_words(data)
    if not found_t3:
        return PdfReading(plumber_blocks(data), frozenset())
    return PdfReading(blocks, frozenset(doubtful))


# PDFium is not thread-safe: one document at a time per process (a worker thread of the web app
# and a check in another must not interleave calls into it).
_PDFIUM = threading.Lock()


def _read_words(data: bytes) -> tuple[list[Block], set[Source], bool]:
    document = _open(data)
    try:
        blocks: list[Block] = []
        doubtful: set[Source] = set()
        found_t3 = False
        carried: Columns | None = None
        by_page: dict[int, list[Block]] = {}
        textless: list[int] = []  # pages without a text layer: scans, read by OCR
        table_number = 1
        for index in range(len(document)):
            check_time()
            page = page_text(document, index)
            if page.char_count == 0:
                textless.append(index + 1)
                continue
            reading = read_tables(page, carried, table_number)
            table_number += reading.tables
            found_t3 = found_t3 or reading.found_t3
            carried = reading.open_table
            doubtful |= reading.doubtful
            by_page[index + 1] = _page_blocks_from_words(page, reading)
    except ReportParseError:
        raise
    except Exception as exc:  # PDFium reports damage through several exception types
        raise ReportParseError(f"PDF 文件已损坏或不完整，无法读取（{type(exc).__name__}）") from exc
    finally:
        document.close()
    if textless:
        from gongkai.domain.report.parsers.ocr import pdf_page_blocks

        by_page.update(pdf_page_blocks(data, textless))
        if not any(by_page.values()):
            raise ReportParseError(
                "PDF 没有文字层（可能是扫描件），文字识别也未能读出任何文字；"
                "请提供带文字层的 PDF 或 Word 版本"
            )
        # A scan's tables come from OCR's rows: the word reader's fallback must not replace them.
        found_t3 = True
    for number in sorted(by_page):
        blocks.extend(by_page[number])
    return blocks, doubtful, found_t3


def _open(data: bytes) -> Any:
    try:
        document = open_document(data)
    except Exception as exc:
        raise ReportParseError(f"PDF 文件已损坏或不完整，无法读取（{type(exc).__name__}）") from exc
    pages = len(document)
    if pages > active_limits().max_pdf_pages:
        document.close()
        raise ReportParseError(
            f"PDF 共 {pages} 页，超过 {active_limits().max_pdf_pages} 页的上限，不像是年度报告"
        )
    return document


def _page_blocks_from_words(page: PageText, reading: Reading) -> list[Block]:
    placed = list(reading.placed)
    for line in page.lines:
        if id(line) in reading.used_lines:
            continue
        text = fold_radicals(line.text)
        placed.extend((line.top, _with_page(b, page.number)) for b in text_blocks(text))
    placed.sort(key=lambda pair: pair[0])
    return [_folded(block) for _, block in placed]


def _folded(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return block
    cells = tuple(CellText(fold_radicals(c.text), c.source) for c in block.cells)
    return TableRow(cells, block.source)


def plumber_blocks(data: bytes) -> list[Block]:
    """The previous reading, by pdfplumber: ruled tables through its table finder, the rest as
    lines. Kept for documents whose tables the word reader does not recognise."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks: list[Block] = []
            for number, page in enumerate(pdf.pages, start=1):
                check_time()
                blocks.extend(_page_blocks(page, number))
    except ReportParseError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise ReportParseError(f"PDF 文件已损坏或不完整，无法读取（{type(exc).__name__}）") from exc
    return blocks


def _page_blocks(page: Any, number: int) -> list[Block]:
    tables = page.find_tables()
    placed: list[tuple[float, list[Block]]] = []
    for table_number, table in enumerate(tables, start=1):
        placed.append((table.bbox[1], _table_blocks(table, number, table_number)))
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        return not any(
            x0 <= obj.get("x0", 0) <= x1 and top <= obj.get("top", 0) <= bottom
            for x0, top, x1, bottom in boxes
        )

    free = page.filter(outside) if boxes else page
    for line in free.extract_text_lines():
        blocks = [_with_page(block, number) for block in text_blocks(fold_radicals(line["text"]))]
        placed.append((line["top"], blocks))
    placed.sort(key=lambda pair: pair[0])
    return [block for _, blocks in placed for block in blocks]


def _with_page(block: Block, page: int) -> Block:
    if isinstance(block, Paragraph):
        return Paragraph(block.text, Source(page=page))
    cells = tuple(CellText(c.text, Source(page=page)) for c in block.cells)
    return TableRow(cells, Source(page=page))


def _table_blocks(table: Any, page: int, table_number: int) -> list[Block]:
    rows: list[Block] = []
    for row_number, row in enumerate(table.extract(), start=1):
        cells = tuple(
            CellText(
                fold_radicals(" ".join((text or "").split())),
                Source(page=page, table=table_number, row=row_number, column=column),
            )
            for column, text in enumerate(row, start=1)
            if text is not None  # None marks the continuation of a merged cell
        )
        if cells:
            rows.append(TableRow(cells, Source(page=page, table=table_number, row=row_number)))
    return rows


def mark_unreadable(report: AnnualReport, doubtful: frozenset[Source]) -> AnnualReport:
    """The report with every cell read from a doubtful place made unreadable (decision AU-2)."""
    if not doubtful:
        return report

    def fix(table: Mapping[str, Cells]) -> dict[str, Cells]:
        return {
            key: tuple(
                Cell.unreadable(cell.raw, cell.source) if cell.source in doubtful else cell
                for cell in cells
            )
            for key, cells in table.items()
        }

    return replace(report, t2=fix(report.t2), t3=fix(report.t3), t4=fix(report.t4))
