"""PDF with a text layer: ruled tables through pdfplumber's table finder, the rest as lines.

Tables broken across pages need nothing special: rows are read by their labels wherever they
are. Pages without a text layer (a scan: an image and no characters) are read by OCR (ocr.py).
"""

from __future__ import annotations

import io
import logging
import unicodedata
from typing import Any

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import (
    Block,
    CellText,
    Paragraph,
    ReportParseError,
    TableRow,
)
from gongkai.domain.report.parsers.limits import active_limits, check_time
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


def pdf_blocks(data: bytes) -> list[Block]:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks: list[Block] = []
            chars = 0
            pages = len(pdf.pages)
            if pages > active_limits().max_pdf_pages:
                raise ReportParseError(
                    f"PDF 共 {pages} 页，超过 {active_limits().max_pdf_pages} 页的上限，不像是年度报告"
                )
            by_page: dict[int, list[Block]] = {}
            scanned: list[int] = []  # pages without text but with an image: read by OCR
            drawn: list[int] = []  # pages without text or image (text drawn as paths)
            for number, page in enumerate(pdf.pages, start=1):
                check_time()
                chars += len(page.chars)
                if not page.chars:
                    (scanned if page.images else drawn).append(number)
                by_page[number] = _page_blocks(page, number)
    except ReportParseError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise ReportParseError(f"PDF 文件已损坏或不完整，无法读取（{type(exc).__name__}）") from exc
    if scanned or chars == 0:
        from gongkai.domain.report.parsers.ocr import pdf_page_blocks

        by_page.update(pdf_page_blocks(data, scanned if chars else scanned + drawn))
        if not chars and not any(by_page.values()):
            raise ReportParseError(
                "PDF 没有文字层（可能是扫描件），文字识别也未能读出任何文字；"
                "请提供带文字层的 PDF 或 Word 版本"
            )
    for number in sorted(by_page):
        blocks.extend(by_page[number])
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
