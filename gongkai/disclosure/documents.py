"""A letter's text, as rendered from its template, turned into a .docx in official layout.

The markup (also described in templates/disclosure/letters/README.md):

- the first non-blank line is the title;
- a blank line starts a new paragraph; lines in between are joined into one paragraph (no
  space between Chinese characters), so long sentences can be wrapped in the template;
- ``# text``   a heading line (黑体);
- ``= text``   a centred line, e.g. the 文号-like line ``〔2025〕7号`` (no 第: GB/T 9704-2012
  §7.2.4); placed right after the title it gets one empty line below it;
- ``< text``   a line flush with the left margin, e.g. the addressee ``张三：``;
- ``> text``   a line of the signature block: consecutive ``>`` lines are set as a block after one
  empty line, the last one (the date) four characters in from the right margin and the others
  centred above it (GB/T 9704-2012 §7.3.5.1, letters that carry a seal); the paragraph before it
  and a note after it (附注, §7.3.6) are kept on its page, never a signature page alone (§7.3.5.4);
- a marker is a ``#``, ``=``, ``<`` or ``>`` followed by a space at the start of a line.

A multi-line value from a case (correction items, a clerk's note) arrives joined with U+2028
LINE SEPARATOR (see `gongkai.disclosure.context`): each of its lines becomes a paragraph of the
kind the template put the value in, and none of them is read as markup.

Layout (GB/T 9704-2012 《党政机关公文格式》): A4; margins 37/35/28/26 mm; title 方正小标宋简体
二号 centred; body 仿宋_GB2312 三号, two-character first-line indent, 28.95 pt fixed line; headings
黑体 三号; page numbers "— 1 —". Page, styles and page numbers come from the annual report's
renderer, so letters and reports share one implementation of the standard.
"""

from __future__ import annotations

import enum
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

# The official document layout (GB/T 9704-2012) the annual report uses too.
from gongkai.domain.document_layout import (
    BODY_FONT,
    LINE,
    SIZE_3,
    STYLE_BODY,
    STYLE_HEADING1,
    STYLE_TITLE,
    define_styles,
    page_numbers,
    page_setup,
    paragraph_style,
)

LINE_SEPARATOR = "\u2028"
STYLE_LEFT = "Letter Flush Left"
STYLE_CENTRE = "Letter Centred"
STYLE_RIGHT = "Letter Signature"
DATE_INDENT_CHARS = 4  # 成文日期一般右空四字 (GB/T 9704-2012 §7.3.5.1)

_MARKER = re.compile(r"^([#=<>])(?:\s+(.*))?$")


class BlockKind(enum.StrEnum):
    BODY = "body"
    HEADING = "heading"
    CENTRE = "centre"
    LEFT = "left"
    RIGHT = "right"


_KIND_OF_MARKER = {
    "#": BlockKind.HEADING,
    "=": BlockKind.CENTRE,
    "<": BlockKind.LEFT,
    ">": BlockKind.RIGHT,
}


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Letter:
    title: str
    blocks: tuple[Block, ...]


class MarkupError(ValueError):
    """The rendered text cannot be a letter (it has no title)."""


def parse_letter(text: str) -> Letter:
    """The title and the blocks of a rendered letter template (markup in the module docstring)."""
    title: str | None = None
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.extend(_split(BlockKind.BODY, _join(pending)))
            pending.clear()

    # Split on "\n" only: str.splitlines() would also split the U+2028 inside values.
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif title is None:
            title = line.replace(LINE_SEPARATOR, "")
        elif match := _MARKER.match(line):
            flush()
            content = (match.group(2) or "").strip()
            if content:
                blocks.extend(_split(_KIND_OF_MARKER[match.group(1)], content))
        else:
            pending.append(line)
    flush()
    if not title:
        raise MarkupError("告知书模板没有标题：第一行非空文字应为标题")
    return Letter(title=title, blocks=tuple(blocks))


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # Chinese runs on without a space; two Latin words or numbers keep one between them.
        latin = _latin(text[-1]) and _latin(line[0])
        text += (" " if latin else "") + line
    return text


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _split(kind: BlockKind, text: str) -> list[Block]:
    parts = (part.strip() for part in text.split(LINE_SEPARATOR))
    return [Block(kind, part) for part in parts if part]


def neutralise(value: str) -> str:
    """`value` with a leading markup marker made full-width, so a value never becomes markup."""
    if _MARKER.match(value):
        return chr(ord(value[0]) + 0xFEE0) + value[1:]  # '#' → '＃', '>' → '＞', …
    return value


# ---------------------------------------------------------------- .docx


def letter_docx(text: str, *, author: str = "") -> bytes:
    """The rendered letter `text` as .docx bytes in GB/T 9704-2012 layout."""
    return render_docx(parse_letter(text), author=author)


def render_docx(letter: Letter, *, author: str = "") -> bytes:
    doc = new_document()
    page_setup(doc)
    define_styles(doc)
    _letter_styles(doc)
    properties = doc.core_properties
    properties.title = letter.title
    properties.author = author
    properties.last_modified_by = author
    properties.comments = ""
    previous = _add(doc, letter.title, STYLE_TITLE)
    groups = _groups(letter.blocks)
    for index, group in enumerate(groups):
        if group[0].kind is BlockKind.RIGHT:
            # The signature never stands alone on a page (GB/T 9704-2012 §7.3.5.4): the text
            # before it goes over with it.
            previous.paragraph_format.keep_with_next = True
            previous = _signature(doc, [block.text for block in group])
            continue
        if index > 0 and groups[index - 1][0].kind is BlockKind.RIGHT:
            # The 附注 under the date (GB/T 9704-2012 §7.3.6) stays with the signature.
            previous.paragraph_format.keep_with_next = True
        previous = _add(doc, group[0].text, _STYLE_OF_KIND[group[0].kind])
        if index == 0 and group[0].kind is BlockKind.CENTRE:
            # The 文号 under the title: one empty line between it and the addressee.
            previous.paragraph_format.space_after = Pt(LINE)
    page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_STYLE_OF_KIND = {
    BlockKind.BODY: STYLE_BODY,
    BlockKind.HEADING: STYLE_HEADING1,
    BlockKind.CENTRE: STYLE_CENTRE,
    BlockKind.LEFT: STYLE_LEFT,
}


def _letter_styles(doc: Any) -> None:
    paragraph_style(doc, STYLE_LEFT, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph_style(doc, STYLE_CENTRE, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(doc, STYLE_RIGHT, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _add(doc: Any, text: str, style: str) -> Any:
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(text)
    return paragraph


def _groups(blocks: tuple[Block, ...]) -> list[list[Block]]:
    """Blocks in runs: consecutive signature lines together, every other block alone."""
    groups: list[list[Block]] = []
    for block in blocks:
        if groups and block.kind is BlockKind.RIGHT and groups[-1][0].kind is BlockKind.RIGHT:
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _signature(doc: Any, lines: list[str]) -> Any:
    """Signature and date: one empty line above; the date 右空四字, the rest centred on it.
    Returns the last paragraph."""
    date_width = display_width(lines[-1])
    for index, line in enumerate(lines):
        paragraph = _add(doc, line, STYLE_RIGHT)
        chars = DATE_INDENT_CHARS + (date_width - display_width(line)) / 2
        paragraph.paragraph_format.right_indent = Pt(SIZE_3 * max(chars, 0))
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(LINE)
    return paragraph


def display_width(text: str) -> float:
    """Width in characters of the body font: CJK and full-width count 1, the rest ½."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)
