"""The report as a sequence of printable blocks, shared by the HTML, .docx and text renderers.

Order: title, preamble, then each section with its heading, its narrative and (sections 二, 三,
四) its table. A table whose section heading is missing from the report is still drawn, where
the section would have been.

`Section.text` is the whole text under a heading, sub-headings included (that is what the
parsers store); `Section.subsections` is a structured view of the same text. A sub-section
whose heading is not a line of the text (a report built from records may give only
sub-sections) is drawn after the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.domain.report.model import AnnualReport, Section
from gongkai.domain.report.renderers.grid import Grid, table_grids

# Sections that carry a fixed table: 二 → t2, 三 → t3, 四 → t4.
TABLE_OF_SECTION = {2: "t2", 3: "t3", 4: "t4"}
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: 一、总体情况; 2: （一）主动公开
    number: int | None = None  # the official section number of a level-1 heading


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    grid: Grid


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    title: str | None
    preamble: tuple[str, ...]
    blocks: tuple[Block, ...]


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a narrative text; each is one paragraph."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def is_subheading(line: str) -> bool:
    """（一）主动公开 — a short numbered line, not a paragraph that merely starts with （一）."""
    return bool(_SUBHEADING.match(line)) and len(line) <= 20 and "。" not in line


def build_document(report: AnnualReport) -> Document:
    grids = table_grids(report)
    pending = dict(
        sorted((number, name) for number, name in TABLE_OF_SECTION.items() if name in grids)
    )
    blocks: list[Block] = []
    for section in report.sections:
        if section.number is not None:
            for number in [n for n in pending if n < section.number]:
                blocks.append(Table(grids[pending.pop(number)]))
        blocks.extend(_section_blocks(section))
        if section.number in pending:
            blocks.append(Table(grids[pending.pop(section.number)]))
    blocks.extend(Table(grids[name]) for name in pending.values())
    # A title broken over lines is one title: Chinese needs no space where the line broke.
    title = "".join(line.strip() for line in report.title.splitlines()) if report.title else None
    return Document(title, tuple(lines_of(report.preamble)), tuple(blocks))


def _section_blocks(section: Section) -> list[Block]:
    blocks: list[Block] = [Heading(" ".join(section.heading.split()), 1, section.number)]
    lines = lines_of(section.text)
    blocks.extend(_narrative(lines, {sub.heading.strip() for sub in section.subsections}))
    for sub in section.subsections:
        if sub.heading.strip() not in lines:
            blocks.append(Heading(" ".join(sub.heading.split()), 2))
            blocks.extend(Paragraph(line) for line in lines_of(sub.text))
    return blocks


def _narrative(lines: list[str], subheadings: set[str]) -> list[Block]:
    return [
        Heading(line, 2) if line in subheadings or is_subheading(line) else Paragraph(line)
        for line in lines
    ]
