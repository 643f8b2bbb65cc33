"""Reading a generated letter back with python-docx."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.oxml.ns import qn


def opened(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def text_of(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in opened(content).paragraphs)


def paragraph(document: Any, text: str) -> Any:
    (found,) = [p for p in document.paragraphs if p.text == text]
    return found


def containing(document: Any, fragment: str) -> Any:
    found = [p for p in document.paragraphs if fragment in p.text]
    assert found, f"no paragraph contains {fragment!r}"
    return found[0]


def east_asian_font(par: Any) -> str:
    """The CJK font a paragraph is shown in: its run's w:eastAsia, else its style's."""
    for element in (par.runs[0]._r, par.style.element):
        fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return str(fonts.get(qn("w:eastAsia")))
    raise AssertionError("no East Asian font")
