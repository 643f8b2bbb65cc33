"""Plain text in every flattened layout seen in published reports (shared/corpus/README.md).

- Word exported to text: one cell per line starting with a TAB, a blank line between table rows,
  a lone TAB for a blank cell, a cell broken over two lines ("\\t商业" + "企业").
- Pipe-separated rows ("规章 | 0 | 0 | 0 |"), with empty cells between spaced bars; bars run
  together ("3 | 3 | ||||||") are padding, not cells.
- One cell per line ending in " |", or "|" on a line of its own between cells, with padding lines
  of bars only for merged cells.
- One cell per paragraph, cells separated by blank lines.
- Whitespace-separated rows as PDF text layers give them ("0 0 0 0 0 …", "行政许可 0").
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import Block, CellText, Paragraph, TableRow
from gongkai.domain.report.parsers.values import is_value_text

# Word's export leaves bookmarks such as "[bookmark: _GoBack]" in front of a paragraph.
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# "Page 8 - title" and "P. 8" lines of PDF flip-book pages, and "— 3 —" page numbers.
_PAGE_FURNITURE = re.compile(
    r"^(?:P\.\s*\d+|[-—－–]\s*\d+\s*[-—－–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)$"
)
_LABEL_THEN_VALUES = re.compile(r"^(?P<label>\S.*?)\s+(?P<values>\S+(?:\s+\S+)*)$")
_SENTENCE_END = re.compile(r"[。；;]")
# A unit printed apart from its figure in a row of figures: "33 件 2 件".
_UNIT_APART = re.compile(r"([\d０-９])[ \t\u3000]+(件|个|项|条|万元|元)(?=\s|$)")


def decode(data: bytes) -> str:
    """Decode UTF-16 with its byte-order mark (Windows' "Unicode" text) or without one (by where
    its NUL bytes fall), UTF-8 (with or without BOM), else GB18030 (a superset of GBK and
    GB2312)."""
    wide = utf16_encoding(data)
    if wide is not None:
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


_SNIFF = 4096


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 codec the bytes are in, or None.

    With a byte-order mark, "utf-16". Without one, UTF-16 shows itself by NUL bytes, which UTF-8
    and GB18030 text never holds: every ASCII character (digits, line breaks, "|") is its byte
    and a NUL, the NUL second in little-endian, first in big-endian. A character such as 一
    (U+4E00) puts a NUL on the other side, so the side holding two thirds of them decides;
    there must be one NUL per 32 characters at least (the corpus has one per 18 or more), and
    the sample must decode."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:_SNIFF]
    sample = sample[: len(sample) - len(sample) % 2]
    first, second = sample[0::2].count(0), sample[1::2].count(0)
    if first + second < max(4, len(sample) // 64):
        return None
    if second >= 2 * first:
        encoding = "utf-16-le"
    elif first >= 2 * second:
        encoding = "utf-16-be"
    else:
        return None  # NULs on both sides: binary, not text
    for cut in (sample, sample[:-2]):  # the sample may end inside a surrogate pair
        try:
            cut.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def text_blocks(text: str) -> list[Block]:
    """Split a report's text into paragraphs and table rows, whatever the flattened layout."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_BOOKMARK.sub("", line) for line in lines]
    if _is_tab_layout(lines):
        return _tab_layout_blocks(lines)
    return _line_blocks(lines)


def _is_tab_layout(lines: list[str]) -> bool:
    tabbed = sum(1 for line in lines if line.startswith("\t"))
    return tabbed >= 10


def _tab_layout_blocks(lines: list[str]) -> list[Block]:
    """Word's text export: TAB-prefixed cells, rows separated by blank lines."""
    blocks: list[Block] = []
    row: list[CellText] = []
    row_start = 0

    def flush() -> None:
        if row:
            blocks.append(TableRow(tuple(row), Source(line=row_start)))
            row.clear()

    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not row:
                row_start = number
            row.append(CellText(line.strip(), Source(line=number)))
        elif not line.strip():
            flush()
        elif row:
            # A line without the TAB right after a cell continues that cell ("商业" / "企业").
            last = row[-1]
            row[-1] = CellText(f"{last.text}\n{line.strip()}", last.source)
        else:
            blocks.extend(_line_block(line, number))
    flush()
    return blocks


def _line_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for number, line in enumerate(lines, start=1):
        blocks.extend(_line_block(line, number))
    return blocks


def _line_block(line: str, number: int) -> list[Block]:
    stripped = line.strip()
    if not stripped or _PAGE_FURNITURE.match(stripped):
        return []
    source = Source(line=number)
    if "|" in stripped:
        return _pipe_block(stripped, source)
    values = _whitespace_row(stripped)
    if values is not None:
        return [TableRow(tuple(CellText(v, source) for v in values), source)]
    return [Paragraph(stripped, source)]


def _pipe_block(line: str, source: Source) -> list[Block]:
    pieces = [piece.strip() for piece in line.split("|")]
    # "a | b |" ends with a bar: the empty piece after it is not a cell.
    if pieces and pieces[-1] == "":
        pieces.pop()
    if pieces and pieces[0] == "" and line.startswith("|"):
        pieces.pop(0)
    if not any(pieces):
        return []  # padding for merged cells: "||||"
    if "||" in line:
        # Bars run together stand for cells the copy did not keep ("3 | 3 | ||||||"): how many
        # and where is unknown, so none is taken for a blank; the row is placed (placement.py).
        pieces = [piece for piece in pieces if piece]
    if len(pieces) == 1:
        return [Paragraph(pieces[0], source)]
    return [TableRow(tuple(CellText(p, source) for p in pieces), source)]


def _whitespace_row(line: str) -> list[str] | None:
    """Cells of a whitespace-separated row, or None when the line is prose.

    "0 0 0 0 0" is a row of values; "行政许可 0" and "（一）予以公开 20 2 0 0 0 1 22" are a label
    followed by values. A sentence that merely ends with a number is not a row.
    """
    if len(line.split(maxsplit=1)) < 2:
        return None  # one word: prose or a single cell (most lines; checked before NFKC)
    if _UNIT_APART.search(line):
        line = _UNIT_APART.sub(r"\1\2", line)  # "33 件" is one figure
    words = unicodedata.normalize("NFKC", line).split()
    if len(words) < 2:
        return None
    if all(is_value_text(word) for word in words):
        return words
    match = _LABEL_THEN_VALUES.match(line)
    if not match:
        return None
    tail: list[str] = []
    head_words = line.split()
    while head_words and is_value_text(unicodedata.normalize("NFKC", head_words[-1])):
        tail.insert(0, head_words.pop())
    label = " ".join(head_words)
    if not tail or not label or len(label) > 60 or _SENTENCE_END.search(label):
        return None
    if any(is_value_text(unicodedata.normalize("NFKC", w)) for w in head_words):
        return None
    return [label, *tail]
