"""Positioned characters of a PDF's text layer, read once per page with PDFium (pypdfium2).

PDFium reads a Chinese report's text layer about twenty times faster than pdfminer (which
pdfplumber drives): it is Chrome's own PDF engine, in C, and pdfplumber already depends on it.
Every character comes with its loose box (the font's advance and ascent/descent, so that the
characters of one word touch), in page points with the origin at the top left of the page as it
is displayed: a page with /Rotate is turned upright here, so a landscape page reads like any other.

Characters become words (runs with no gap wider than a quarter of their height) and words become
lines (words whose vertical centres agree); the table reader works on words, the paragraphs on
lines. Vertical and horizontal rulings (thin filled rectangles and stroked lines) are collected as
well, for tables that have them.
"""

from __future__ import annotations

import bisect
import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gongkai.domain.report.parsers.limits import check_time

# A gap wider than this share of the text's height separates two words (table cells have padding
# on both sides; the characters of a CJK word, even justified, nearly touch).
WORD_GAP = 0.25
# Two words are on one line when their vertical centres are this share of their height apart.
LINE_TOLERANCE = 0.35


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    # The left edge of every character, to split a word where a label ends inside it.
    edges: list[float] = field(default_factory=list)

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Line:
    words: list[Word]
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass(slots=True)
class PageText:
    number: int
    width: float
    height: float
    lines: list[Line]
    # Rulings as (x, top, bottom) for vertical ones and (y, x0, x1) for horizontal ones.
    verticals: list[tuple[float, float, float]] = field(default_factory=list)
    horizontals: list[tuple[float, float, float]] = field(default_factory=list)

    @property
    def words(self) -> Iterator[Word]:
        for line in self.lines:
            yield from line.words

    @property
    def char_count(self) -> int:
        return sum(len(word.text) for word in self.words)


def open_document(data: bytes) -> Any:
    import pypdfium2

    return pypdfium2.PdfDocument(data)


def page_text(document: Any, index: int) -> PageText:
    """The words, lines and rulings of page `index` (0-based) of an open PDFium document."""
    import pypdfium2.raw as pdfium

    page = document[index]
    try:
        transform = _upright(page)
        chars = _chars(page, transform, pdfium)
        verticals, horizontals = _rulings(page, transform, pdfium)
        width, height = page.get_width(), page.get_height()
    finally:
        page.close()
    lines = _lines(chars)
    if verticals:
        _split_at_rulings(lines, verticals)
    return PageText(index + 1, width, height, lines, verticals, horizontals)


Transform = tuple[float, float, float, float, float, float]  # X = a·x + b·y + c, Y = d·x + e·y + f


def _upright(page: Any) -> Transform:
    """PDF user space (origin bottom left, unrotated) → the upright page, origin top left."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (0.0, 1.0, -bottom, 1.0, 0.0, -left)
    if rotation == 180:
        return (-1.0, 0.0, right, 0.0, 1.0, -bottom)
    if rotation == 270:
        return (0.0, -1.0, top, -1.0, 0.0, right)
    return (1.0, 0.0, -left, 0.0, -1.0, top)


def _box(
    transform: Transform, left: float, bottom: float, right: float, top: float
) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = transform
    xs = (a * left + b * bottom + c, a * right + b * top + c)
    ys = (d * left + e * bottom + f, d * right + e * top + f)
    return min(xs), min(ys), max(xs), max(ys)


Char = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom


def _chars(page: Any, transform: Transform, pdfium: Any) -> list[Char]:
    textpage = page.get_textpage()
    try:
        count = pdfium.FPDFText_CountChars(textpage)
        if count <= 0:
            return []
        # The whole page's text in one call (UTF-16, one code unit per character index).
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        pdfium.FPDFText_GetText(
            textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
        )
        units = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
        rect = pdfium.FS_RECTF()
        a, b, c, d, e, f = transform
        chars: list[Char] = []
        get_box = pdfium.FPDFText_GetLooseCharBox
        generated = pdfium.FPDFText_IsGenerated
        for index, text in enumerate(units):
            if not index & 0xFFF:
                check_time()  # a page may hold any number of characters
            if text.isspace():
                if not generated(textpage, index):
                    chars.append((" ", 0.0, 0.0, 0.0, 0.0))  # a real space ends a word
                continue
            if not get_box(textpage, index, rect):
                continue
            # _box inlined: this loop runs once per character of the document.
            left, low, right, high = rect.left, rect.bottom, rect.right, rect.top
            xa, xb = a * left + b * low + c, a * right + b * high + c
            ya, yb = d * left + e * low + f, d * right + e * high + f
            chars.append((text, min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)))
        return chars
    finally:
        textpage.close()


def _lines(chars: list[Char]) -> list[Line]:
    """Words grouped into lines, top to bottom, each line's words left to right."""
    words = _words(chars)
    words.sort(key=lambda w: w.middle)
    lines: list[Line] = []
    for word in words:
        line = lines[-1] if lines else None
        if line is not None:
            reference = line.words[0]
            tolerance = LINE_TOLERANCE * max(reference.height, word.height, 1.0)
            if abs(word.middle - reference.middle) <= tolerance:
                line.words.append(word)
                line.top = min(line.top, word.top)
                line.bottom = max(line.bottom, word.bottom)
                continue
        lines.append(Line([word], word.top, word.bottom))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        _merge_touching(line)
    return lines


def _words(chars: list[Char]) -> list[Word]:
    """Runs of characters in content order that touch on one baseline."""
    words: list[Word] = []
    current: Word | None = None
    for text, x0, top, x1, bottom in chars:
        if text == " ":
            current = None
            continue
        if current is not None:
            # Either middle inside the other's range: a flat glyph such as 一, whose box some
            # fonts (Type 3) give as its ink only, stays on its line.
            height = max(current.height, bottom - top, 1.0)
            middle = (top + bottom) / 2
            same_line = top <= current.middle <= bottom or current.top <= middle <= current.bottom
            gap = x0 - current.x1
            if same_line and -WORD_GAP * height <= gap <= WORD_GAP * height:
                current.text += text
                current.x1 = max(current.x1, x1)
                current.top = min(current.top, top)
                current.bottom = max(current.bottom, bottom)
                current.edges.append(x0)
                continue
        current = Word(text, x0, x1, top, bottom, [x0])
        words.append(current)
    return words


def _merge_touching(line: Line) -> None:
    """Words of one line that touch (drawn by separate text operations) become one word."""
    merged: list[Word] = []
    for word in line.words:
        last = merged[-1] if merged else None
        if last is not None:
            height = max(last.height, word.height, 1.0)
            if -WORD_GAP * height <= word.x0 - last.x1 <= WORD_GAP * height:
                last.text += word.text
                last.x1 = max(last.x1, word.x1)
                last.top = min(last.top, word.top)
                last.bottom = max(last.bottom, word.bottom)
                last.edges.extend(word.edges)
                continue
        merged.append(word)
    line.words = merged


def _split_at_rulings(lines: list[Line], verticals: list[tuple[float, float, float]]) -> None:
    """Text never crosses a cell border: a word that runs over a vertical ruling (a label and
    the figure after it in a tight table) is two words."""
    rulings = sorted(verticals)
    xs = [x for x, _, _ in rulings]
    for line in lines:
        words: list[Word] = []
        for word in line.words:
            words.extend(_split_word(word, rulings, xs))
        line.words = words


def _split_word(
    word: Word, rulings: list[tuple[float, float, float]], xs: list[float]
) -> list[Word]:
    start = bisect.bisect_right(xs, word.x0 + 0.5)
    end = bisect.bisect_left(xs, word.x1 - 0.5)
    cuts = sorted({x for x, top, bottom in rulings[start:end] if top <= word.middle <= bottom})
    if not cuts:
        return [word]
    pieces: list[Word] = []
    rest = word
    for cut in cuts:
        index = next((i for i, edge in enumerate(rest.edges) if edge >= cut), len(rest.edges))
        if index == 0 or index == len(rest.edges):
            continue
        left = Word(rest.text[:index], rest.x0, cut, rest.top, rest.bottom, rest.edges[:index])
        right_x0 = rest.edges[index]
        rest = Word(rest.text[index:], right_x0, rest.x1, rest.top, rest.bottom, rest.edges[index:])
        pieces.append(left)
    pieces.append(rest)
    return pieces


# A ruling is at most this thick (points); a cell background is thicker and is no ruling.
_RULING_WIDTH = 2.5


def _rulings(
    page: Any, transform: Transform, pdfium: Any
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Thin path objects: table borders drawn as lines or as filled hairline rectangles."""
    verticals: list[tuple[float, float, float]] = []
    horizontals: list[tuple[float, float, float]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw_page = page.raw
    count = pdfium.FPDFPage_CountObjects(raw_page)
    path_type = pdfium.FPDF_PAGEOBJ_PATH
    for index in range(count):
        if not index & 0xFFF:
            check_time()  # a page may hold any number of drawing objects
        obj = pdfium.FPDFPage_GetObject(raw_page, index)
        if pdfium.FPDFPageObj_GetType(obj) != path_type:
            continue
        if not pdfium.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        x0, y0, x1, y1 = _box(transform, left.value, bottom.value, right.value, top.value)
        if x1 - x0 <= _RULING_WIDTH and y1 - y0 > _RULING_WIDTH:
            verticals.append(((x0 + x1) / 2, y0, y1))
        elif y1 - y0 <= _RULING_WIDTH and x1 - x0 > _RULING_WIDTH:
            horizontals.append(((y0 + y1) / 2, x0, x1))
    return verticals, horizontals
