"""Word (.docx) documents: body paragraphs and table rows in document order.

The document part is read straight from the package with lxml rather than through
python-docx's object model, which builds a cell object per grid position and is several times
slower than loading the file. In WordprocessingML a horizontally merged cell is one `w:tc`
(with `w:gridSpan`), so a row reads like the printed table; a vertically merged cell continues
as an empty `w:tc` with `w:vMerge`, which reads as a blank — harmless, as group labels carry no
numbers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import (
    Block,
    CellText,
    Paragraph,
    ReportParseError,
    TableRow,
)
from gongkai.domain.report.parsers.limits import check_time, read_member
from gongkai.domain.report.parsers.text import text_blocks

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
_TAB, _BR, _CR = f"{_W}tab", f"{_W}br", f"{_W}cr"
_SDT, _SDT_CONTENT = f"{_W}sdt", f"{_W}sdtContent"
# No entities, no network, and libxml2's default limits (huge_tree off: nesting and single text
# nodes bounded) against hostile files.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def docx_blocks(data: bytes) -> list[Block]:
    body = _body(_document_xml(data))
    blocks: list[Block] = []
    counter = _Counter()
    for element in _children(body):
        check_time()
        if element.tag == _P:
            counter.paragraphs += 1
            source = Source(line=counter.paragraphs)
            for block in text_blocks(_paragraph_text(element)):
                blocks.append(
                    Paragraph(block.text, source) if isinstance(block, Paragraph) else block
                )
        elif element.tag == _TBL:
            counter.tables += 1
            blocks.extend(_table_rows(element, counter.tables))
    return blocks


class _Counter:
    paragraphs = 0
    tables = 0


def _document_xml(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ReportParseError("这不是 Word（.docx）文件：压缩包中没有 word/document.xml")
            return read_member(archive, "word/document.xml", "Word 正文（word/document.xml）")
    except ReportParseError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        ValueError,
        OSError,
        EOFError,
    ) as exc:
        raise ReportParseError(
            f"Word 文件已损坏或不完整，无法打开（{type(exc).__name__}）"
        ) from exc
    except Exception as exc:  # zlib.error and friends from a damaged member
        raise ReportParseError(f"Word 文件内容损坏，无法读取（{type(exc).__name__}）") from exc


def _body(xml: bytes) -> etree._Element:
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReportParseError(f"Word 文件内容损坏，无法读取（{exc.msg}）") from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise ReportParseError("Word 文件中没有正文")
    return body


def _children(parent: etree._Element) -> Iterator[etree._Element]:
    """Block-level children, looking through content controls (w:sdt) that wrap them."""
    for child in parent:
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        else:
            yield child


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(cell: etree._Element) -> str:
    paragraphs = [_paragraph_text(p) for p in cell.iter(_P)]
    return " ".join(" ".join(paragraphs).split())


def _table_rows(table: etree._Element, number: int) -> list[TableRow]:
    rows: list[TableRow] = []
    for row_number, row in enumerate(table.iter(_TR), start=1):
        if _nearest_table(row) is not table:
            continue  # a row of a table nested in a cell
        cells = tuple(
            CellText(_cell_text(cell), Source(None, None, number, row_number, column))
            for column, cell in enumerate(row.iterchildren(_TC), start=1)
        )
        if cells:
            rows.append(TableRow(cells, Source(None, None, number, row_number)))
    return rows


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent
