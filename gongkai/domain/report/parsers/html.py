"""HTML pages: paragraphs in reading order and every table row with its cells.

Merged cells need little care: the rows are read by their labels; a cell merged down (rowspan)
appears once, in the first row it spans; a blank or a figure merged across (colspan) is followed
by blank cells for the columns it covers, so a row keeps its width (a label merged across covers
the group-label columns, not figures). Entities (&nbsp;), nested markup, full-width
digits and brackets are normalised later by the extractor. The encoding is taken from the page's
meta charset, else UTF-8, else GB18030 (which also reads GBK and GB2312).
"""

from __future__ import annotations

import re

from lxml import etree

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import (
    Block,
    CellText,
    Paragraph,
    ReportParseError,
    TableRow,
)
from gongkai.domain.report.parsers.limits import check_time
from gongkai.domain.report.parsers.text import decode, text_blocks, utf16_encoding
from gongkai.domain.report.parsers.values import is_value_or_blank

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "center",
        "dt",
        "dd",
        "ul",
        "ol",
        "body",
        "tr",
        "title",
    }
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "select"})
_HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_GB_ALIASES = frozenset({"gbk", "gb2312", "gb_2312", "gb18030", "x-gbk", "cp936"})


def decode_html(data: bytes) -> str:
    if utf16_encoding(data) is not None:
        return decode(data)  # UTF-16 (by its byte-order mark or NULs), whatever the meta tag says
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if name in _GB_ALIASES else name
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def html_blocks(data: bytes) -> list[Block]:
    text = decode_html(data)
    # lxml refuses str input that still carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        # Plain etree elements: lxml.html's element classes cost a Python look-up per node.
        root = etree.fromstring(text, _HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReportParseError(f"无法解析 HTML 页面：{exc}") from exc
    if root is None:
        raise ReportParseError("HTML 页面没有内容")
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.blocks


class _Walker:
    """Depth-first walk that cuts inline text into paragraphs at block boundaries."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.line = 0
        self.tables = 0

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer.clear()
        # A paragraph may hold several lines (<br>, or text laid out with newlines).
        for block in text_blocks(text):
            if isinstance(block, Paragraph):
                self.blocks.append(Paragraph(block.text, Source(line=self.line or None)))
            else:
                self.blocks.append(block)

    def walk(self, element: etree._Element) -> None:
        # Recursion is bounded: without huge_tree libxml2 nests at most 256 elements.
        check_time()
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIPPED_TAGS or not tag:
            return
        if tag == "table":
            self.flush()
            self._table(element)
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        is_block = tag in _BLOCK_TAGS
        if is_block:
            self.flush()
            self.line = _line(element) or self.line
        self.buffer.append(element.text or "")
        for child in element:
            self.walk(child)
            self.buffer.append(child.tail or "")
        if is_block:
            self.flush()

    def _table(self, table: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        for row_number, row in enumerate(_own_rows(table), start=1):
            line = _line(row)
            cells: list[CellText] = []
            for cell in row.iterchildren("td", "th"):
                column = len(cells) + 1
                text = _cell_text(cell)
                cells.append(CellText(text, Source(line, None, number, row_number, column)))
                if not is_value_or_blank(text):
                    continue  # a label merged across the group-label columns covers no figure
                # A blank or a figure spanning columns stands for blank cells after it: they are
                # explicit, unlike cells a copy dropped (placement.py).
                for extra in range(1, _span(cell)):
                    cells.append(
                        CellText("", Source(line, None, number, row_number, column + extra))
                    )
            if cells:
                self.blocks.append(TableRow(tuple(cells), Source(None, None, number, row_number)))


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The rows of this table, not those of tables nested in its cells."""
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    return (
        [row for row in rows if isinstance(row, etree._Element)] if isinstance(rows, list) else []
    )


_MAX_SPAN = 20  # no table of the report is wider; a larger colspan is not believed


def _span(cell: etree._Element) -> int:
    try:
        span = int(str(cell.get("colspan") or "1").strip())
    except ValueError:
        return 1
    return span if 1 <= span <= _MAX_SPAN else 1


def _cell_text(cell: etree._Element) -> str:
    return " ".join("".join(str(t) for t in cell.itertext()).split())


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None
