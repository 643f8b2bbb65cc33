"""From blocks to an AnnualReport: format, year, agency, sections and the tables 二/三/四.

Tables are found by their row labels, not by position, so that the same code reads a Word
table, an HTML table, a PDF text layer and every flattened text layout. Where the row structure
is known (a table row), the cells after the label in that row are the row's values, blanks
included; where it is lost (one cell per line), the values are the run of numbers that follows
the label. A row cut off by the end of the document is dropped with a note (spec.md: a partial
report yields what it contains, never arithmetic about rows it never saw).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import NamedTuple

from gongkai.domain.report.model import (
    AnnualReport,
    Cell,
    Cells,
    CellState,
    ExtraRow,
    ParseNote,
    Section,
    Source,
    Subsection,
)
from gongkai.domain.report.parsers.blocks import Block, Paragraph, ReportParseError
from gongkai.domain.report.parsers.limits import active_limits, check_time
from gongkai.domain.report.parsers.placement import (
    NO_GROUPS,
    T4_GROUPS,
    Collapsed,
    Groups,
    position_consistent,
    resolve_row,
    resolve_t3,
    row_groups,
)
from gongkai.domain.report.parsers.values import is_value_or_blank, is_value_text, parse_cell
from gongkai.domain.report.schema import FormatVersion, Layout, layout, normalize_label


class Item(NamedTuple):
    """One cell or paragraph in document order; `row` groups the cells of a known table row."""

    text: str
    source: Source
    row: int | None
    position: int  # index in the item list
    confidence: float | None = None  # OCR's confidence in the text (CellText.confidence)


def items_of(blocks: Sequence[Block]) -> list[Item]:
    items: list[Item] = []
    for row_id, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            items.append(Item(block.text, block.source, None, len(items)))
        else:
            for cell in block.cells:
                items.append(Item(cell.text, cell.source, row_id, len(items), cell.confidence))
    return items


# ---------------------------------------------------------------- format version (spec.md §2.5)

_MARKERS_2021 = (
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "申请人逾期未按收费通知要求缴纳费用",
    "国办公开办函〔2021〕30号",
)
_MARKERS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购总金额",
)
# Words of tables 三 and 四, which the 2019 and 2021 formats share.
_TABLE_WORDS = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "行政复议",
    "尚未审结",
    "复议后起诉",
)
_MARKERS_PRE2019 = ("国务院令第492号", "收费及减免", "依申请公开政府信息情况")


def detect_format(normalized_text: str, year: int | None) -> tuple[FormatVersion, str | None]:
    """The format version and, when it was only inferred from the year, a note saying so."""
    score_2021 = sum(normalize_label(m) in normalized_text for m in _MARKERS_2021)
    score_2019 = sum(normalize_label(m) in normalized_text for m in _MARKERS_2019)
    if score_2021 > score_2019:
        return FormatVersion.V2021, None
    if score_2019 > score_2021:
        return FormatVersion.V2019, None
    has_tables = any(normalize_label(m) in normalized_text for m in _TABLE_WORDS)
    by_year = _version_by_year(year)
    if has_tables and by_year in (FormatVersion.V2021, FormatVersion.V2019):
        return by_year, f"表格格式未能由栏目名称判定，按报告年度{year}推定为{by_year.value}版"
    if has_tables:
        return FormatVersion.V2021, "表格格式未能判定，按现行2021版读取"
    if year is not None and year <= 2018:
        return FormatVersion.PRE2019, None
    if any(normalize_label(m) in normalized_text for m in _MARKERS_PRE2019):
        return FormatVersion.PRE2019, None
    return FormatVersion.UNKNOWN, None


def _version_by_year(year: int | None) -> FormatVersion:
    if year is None:
        return FormatVersion.UNKNOWN
    if year >= 2021:
        return FormatVersion.V2021
    if year >= 2019:
        return FormatVersion.V2019
    return FormatVersion.PRE2019


# ---------------------------------------------------------------- year, title, agency

_PERIOD = re.compile(r"(\d{4})年1月1日(?:起)?(?:至|到|-|—|~|－)(\d{4})年12月31日")
_TITLE = re.compile(
    r"^(?:Page\s*\d+\s*[-—]\s*)?(?P<agency>.*?)(?P<year>\d{4})年(?:度)?政府信息公开(?:工作)?(?:年度)?(?:工作)?报告"
)
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True)
class Identity:
    title: str | None
    agency: str | None
    year: int | None
    period: tuple[int, int] | None
    note: str | None


def identify(paragraphs: Sequence[Paragraph], s1_text: str, normalized_text: str) -> Identity:
    """Year from the statistics period, else the title, else section 一 (spec.md §1.2, §2.5)."""
    title, agency, title_year = _title(paragraphs)
    period_match = _PERIOD.search(normalized_text)
    period = (int(period_match[1]), int(period_match[2])) if period_match else None
    note = None
    year = period[1] if period else title_year
    if year is None:
        found = _ANY_YEAR.search(s1_text)
        if found:
            year = int(found[1])
            note = f"报告年度{year}由“总体情况”正文推断，未找到统计期限或标题"
    return Identity(title, agency, year, period, note)


def _title(paragraphs: Sequence[Paragraph]) -> tuple[str | None, str | None, int | None]:
    lines = [paragraph.text.strip() for paragraph in paragraphs[:11]]
    for index, line in enumerate(lines[:10]):
        # A long title wraps onto a second line in PDF text layers (…政府信息公开 / 工作年度报告).
        for text in (line, line + lines[index + 1] if index + 1 < len(lines) else line):
            match = _TITLE.match(text)
            if match:
                agency = match["agency"].strip(" 　-—:：") or None
                title = re.sub(r"^Page\s*\d+\s*[-—]\s*", "", text)
                return title, agency, int(match["year"])
    return None, None, None


# ---------------------------------------------------------------- sections

_NUMERALS = "一二三四五六七八九十"
_HEADING_NUMBER = re.compile(rf"^(?:第([{_NUMERALS}]+)部分|([{_NUMERALS}]+)\.)")
_SUBHEADING = re.compile(rf"^\(([{_NUMERALS}]+)\)")


def section_number(text: str, lay: Layout) -> int | None:
    """The official section (1…6) a heading line stands for, or None if it is not a heading."""
    if len(text) > 80:
        return None
    normalized = normalize_label(text).rstrip(".:。")
    if len(normalized) > 40:
        return None
    match = _HEADING_NUMBER.match(normalized)
    title = normalized[match.end() :] if match else normalized
    number = _section_titles(lay).get(title)
    if number is None and match:
        return _fuzzy_section(title)
    return number


@cache
def _section_titles(lay: Layout) -> dict[str, int]:
    """Normalised section title or variant → section number."""
    titles: dict[str, int] = {}
    for spec in lay.sections:
        for name in (spec.title, *spec.variants):
            titles[normalize_label(name)] = spec.number
    return titles


_INLINE_NUMBER = re.compile(r"^\s*(第[一二三四五六]部分|[一二三四五六]\s*[、.．])\s*")


def inline_heading(text: str, lay: Layout) -> tuple[int, str, str] | None:
    """A heading run into its first sentence: "一、总体情况。2024年，我办……"."""
    match = _INLINE_NUMBER.match(text)
    if not match:
        return None
    rest = text[match.end() :]
    for spec in lay.sections:
        for title in sorted((spec.title, *spec.variants), key=len, reverse=True):
            if rest.startswith(title):
                body = rest[len(title) :].lstrip("。.:：，, 　")
                if body:
                    return spec.number, text[: match.end()] + title, body
    return None


def _fuzzy_section(title: str) -> int | None:
    """Numbered headings worded differently from the template (spec.md §1.2 [PR])."""
    if not title.endswith(("情况", "事项", "措施")):
        return None
    if "行政复议" in title and "行政诉讼" in title:
        return 4
    if "问题" in title and ("改进" in title or "整改" in title):
        return 5
    if "其他需要报告" in title:
        return 6
    if "收到和处理" in title:
        return 3
    if title.startswith("主动公开"):
        return 2
    if "总体情况" in title:
        return 1
    return None


def split_sections(blocks: Sequence[Block], lay: Layout) -> tuple[list[Paragraph], list[Section]]:
    """The paragraphs before the first heading, and each heading with the text under it."""
    preamble: list[Paragraph] = []
    sections: list[tuple[int, Paragraph, list[str]]] = []
    for block in blocks:
        check_time()
        if not isinstance(block, Paragraph):
            continue
        number = section_number(block.text, lay)
        inline = None if number is not None else inline_heading(block.text, lay)
        if inline is not None:
            number, heading, rest = inline
            sections.append((number, Paragraph(heading, block.source), [rest]))
        elif number is not None:
            sections.append((number, block, []))
        elif sections:
            sections[-1][2].append(block.text)
        else:
            preamble.append(block)
    result = [
        Section(
            number=number,
            heading=heading.text,
            text="\n".join(lines),
            source=heading.source,
            subsections=_subsections(lines, lay) if number == 1 else (),
        )
        for number, heading, lines in sections
    ]
    return preamble, result


def _subsections(lines: Sequence[str], lay: Layout) -> tuple[Subsection, ...]:
    found: list[tuple[str | None, str, list[str]]] = []
    for line in lines:
        normalized = normalize_label(line)
        match = _SUBHEADING.match(normalized)
        if match and len(normalized) <= 20:
            rest = normalized[match.end() :]
            key = next((k for k, words in lay.s1_keywords if any(w in rest for w in words)), None)
            found.append((key, line, []))
        elif found:
            found[-1][2].append(line)
    return tuple(Subsection(key, heading, "\n".join(text)) for key, heading, text in found)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class RowSpec:
    table: str  # t2 | t3 | t4
    key: str
    width: int


@dataclass
class Tables:
    t2: dict[str, Cells] = field(default_factory=dict)
    t3: dict[str, Cells] = field(default_factory=dict)
    t4: dict[str, Cells] = field(default_factory=dict)
    extra_rows: list[ExtraRow] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)


@cache
def label_index(lay: Layout) -> dict[str, RowSpec | None]:
    """Normalised row label → the row it names; None for labels that carry no numbers."""
    index: dict[str, RowSpec | None] = {}
    for table, row in lay.t2_rows:
        index[normalize_label(row.label)] = RowSpec("t2", row.key, len(table.columns))
    if lay.version is FormatVersion.V2021:
        # Reports still label the 2021 row with the 2019 wording "规范性文件".
        index.setdefault(normalize_label("规范性文件"), RowSpec("t2", "normative_documents", 3))
    for t3_row in lay.t3_rows:
        spec = RowSpec("t3", t3_row.key, len(lay.t3_columns))
        label = normalize_label(t3_row.label)
        index[label] = spec
        # "（二）部分公开" without its parenthetical; "1.属于国家秘密" as "1、属于国家秘密".
        index.setdefault(label.split("(区分")[0], spec)
    for group in lay.t3_groups:
        index.setdefault(normalize_label(group), None)
    return index


def extract_tables(items: Sequence[Item], lay: Layout) -> Tables:
    tables = Tables()
    if lay.version not in (FormatVersion.V2021, FormatVersion.V2019):
        return tables
    width = len(lay.t3_columns)
    found: dict[str, dict[str, Cells | Collapsed]] = {"t2": {}, "t3": {}}
    fragments: list[Item] = []
    for item in items:
        label = _row_label(item.text)
        known, spec = _match(label, lay)
        if not known and fragments:
            joined = _joined(items, fragments, item, lay)
            if joined is not None:
                item, spec = joined
                known = True
        if not known and not label.endswith("小计"):
            fragments = _fragments(fragments, item, label)
            continue
        fragments = []
        if spec is None:
            # A group label or a 小计 row that carries figures: not official (S-06, T3-08).
            subtotal = _subtotal_values(items, item, width)
            if subtotal is not None:
                tables.extra_rows.append(ExtraRow("t3", item.text, subtotal, item.source))
            continue
        groups = row_groups(spec.width) if spec.table == "t3" else NO_GROUPS
        cells = _row_values(items, item, spec.width, groups, tables.notes)
        if cells is not None:
            found[spec.table].setdefault(spec.key, cells)
    _place(found, lay, tables)
    _extract_t4(items, lay, tables)
    return tables


def _place(found: dict[str, dict[str, Cells | Collapsed]], lay: Layout, tables: Tables) -> None:
    """Rows read whole are kept; collapsed rows are placed by the identities (placement.py)."""
    for key, row in found["t2"].items():
        if isinstance(row, Collapsed):
            resolved = resolve_row(row)
            tables.notes.append(resolved.note)
            tables.t2[key] = resolved.cells
        else:
            tables.t2[key] = row
    whole = {k: row for k, row in found["t3"].items() if not isinstance(row, Collapsed)}
    collapsed = {k: row for k, row in found["t3"].items() if isinstance(row, Collapsed)}
    placed, notes = resolve_t3(whole, collapsed, lay) if collapsed else ({}, [])
    tables.notes.extend(notes)
    for key, row in found["t3"].items():
        tables.t3[key] = placed[key] if isinstance(row, Collapsed) else row


# ---------------------------------------------------------------- row labels as printed

# Numbering in front of a label, after normalize_label: "一.", "(一)", "(1)", "1.", "1)" and "①"
# (which NFKC makes "1").
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十\d]+\)|\d+[.)]?)")
_MIN_BARE = 4  # shorter titles (其他, 总计) are column headers too: never matched bare
_MAX_LABEL = 80


@cache
def _bare_index(lay: Layout) -> dict[str, RowSpec]:
    """Row titles without their numbering (本年新收政府信息公开申请数量, 属于国家秘密), when
    long enough and unique."""
    bare: dict[str, RowSpec] = {}
    clashes: set[str] = set()
    for label, spec in label_index(lay).items():
        title = _NUMBERING.sub("", label)
        if spec is None or len(title) < _MIN_BARE:
            continue
        if title in bare and bare[title] != spec:
            clashes.add(title)
        bare[title] = spec
    return {title: spec for title, spec in bare.items() if title not in clashes}


@cache
def _group_prefixes(lay: Layout) -> tuple[str, ...]:
    """Group labels that may be printed in front of their first row's label, longest first."""
    groups = {normalize_label(group) for group in lay.t3_groups}
    groups |= {_NUMBERING.sub("", group) for group in groups}
    return tuple(sorted(groups, key=len, reverse=True))


def _match(label: str, lay: Layout) -> tuple[bool, RowSpec | None]:
    """Whether the normalised text is a row label, and the row (None for a group label).

    Besides the official wording: the group label printed in front of its first row ("（三）不予公开
    1.属于国家秘密" on one line of a PDF text layer), and another numbering or none ("（1）属于国家
    秘密", "本年新收政府信息公开申请数量")."""
    index = label_index(lay)
    if label in index:
        return True, index[label]
    if not label or len(label) > _MAX_LABEL:
        return False, None
    for group in _group_prefixes(lay):
        if label.startswith(group) and len(label) > len(group):
            rest = label[len(group) :]
            if rest in index:
                return True, index[rest]
            spec = _bare_index(lay).get(_NUMBERING.sub("", rest))
            if spec is not None:
                return True, spec
    spec = _bare_index(lay).get(_NUMBERING.sub("", label))
    return (True, spec) if spec is not None else (False, None)


_MAX_FRAGMENTS = 2
_MAX_FRAGMENT = 30


def _fragments(fragments: list[Item], item: Item, label: str) -> list[Item]:
    """The unmatched pieces a wrapped label may be made of: the last short cells or lines that
    are not figures, in order."""
    if fragments and item.row is not None and item.row == fragments[-1].row:
        return fragments  # the figures of a row whose label goes on on the next line
    if not label or len(label) > _MAX_FRAGMENT or is_value_text(item.text):
        return []
    return [*fragments[-(_MAX_FRAGMENTS - 1) :], item]


def _joined(
    items: Sequence[Item], fragments: Sequence[Item], item: Item, lay: Layout
) -> tuple[Item, RowSpec | None] | None:
    """A label wrapped over lines or cells ("（二）部分公开（区分处" / "理的，…） | 13 | …"): the
    last fragments and this item read together. The figures follow whichever piece has them."""
    label = _row_label(item.text)
    if len(label) > _MAX_FRAGMENT:
        return None
    for count in range(1, len(fragments) + 1):
        pieces = [*fragments[-count:], item]
        known, spec = _match("".join(_row_label(p.text) for p in pieces), lay)
        if known:
            return _with_figures(items, pieces), spec
    return None


def _with_figures(items: Sequence[Item], pieces: Sequence[Item]) -> Item:
    """The piece of a wrapped label that the row's figures follow (the last one by default)."""
    for piece in reversed(pieces):
        following = piece.position + 1
        if following < len(items) and is_value_or_blank(items[following].text):
            if piece.row is not None and items[following].row != piece.row:
                continue
            return piece
    return pieces[-1]


def _subtotal_values(items: Sequence[Item], label: Item, width: int) -> Cells | None:
    if label.row is not None:
        cells = [i for i in items[label.position + 1 : _row_end(items, label.position)]]
    else:
        cells = []
        for item in items[label.position + 1 : label.position + 1 + width]:
            if not is_value_text(item.text) or item.row is not None:
                break
            cells.append(item)
    if len(cells) != width or not all(is_value_or_blank(i.text) for i in cells):
        return None
    if not any(i.text.strip() for i in cells):
        return None
    return tuple(_cell(i) for i in cells)


def _cell(item: Item) -> Cell:
    """The cell of an item; an OCR reading below the threshold, or OCR'd text that is not a
    figure, is unreadable (AU-OCR-2): never summed, reported by S-11."""
    cell = parse_cell(item.text, item.source)
    if item.confidence is None:
        return cell
    if item.confidence < active_limits().ocr_min_confidence or cell.state is CellState.INVALID:
        return Cell.unreadable(cell.raw, item.source, confidence=item.confidence)
    return replace(cell, confidence=item.confidence)


def _row_label(text: str) -> str:
    return normalize_label(text).strip("|")


def _row_values(
    items: Sequence[Item], label: Item, width: int, groups: Groups, notes: list[ParseNote]
) -> Cells | Collapsed | None:
    if label.row is None:
        return _run_values(items, label, width, groups, notes)
    cells = _row_after(items, label.position)
    if not cells:
        # A label alone in its row, followed by a row of values only.
        following = _row_after(items, _row_end(items, label.position) - 1)
        if following and all(is_value_or_blank(i.text) for i in following):
            cells = following
    return _fit(items, label, cells, width, groups, notes)


def _row_end(items: Sequence[Item], index: int) -> int:
    """The index just past the row that contains items[index]."""
    row = items[index].row
    end = index + 1
    while end < len(items) and items[end].row == row and row is not None:
        end += 1
    return end


def _row_after(items: Sequence[Item], index: int) -> list[Item]:
    """Cells after items[index] in the same table row (the next row when index ends a row)."""
    start = index + 1
    if start >= len(items) or items[start].row is None:
        return []
    return list(items[start : _row_end(items, start)])


def _fit(
    items: Sequence[Item],
    label: Item,
    cells: Sequence[Item],
    width: int,
    groups: Groups,
    notes: list[ParseNote],
) -> Cells | Collapsed | None:
    """The row's cells when it has as many as the table has columns; otherwise its figures as a
    collapsed row to be placed, or None when the document ends inside it.

    A row with more cells than columns keeps its first `width` when the rest are blank and those
    satisfy the row's identity (a trailing bar or an empty merged cell); when they do not, the
    blanks are taken for padding ("3 | 3 | ||||||") and the figures are placed."""
    values = [_cell(i) for i in cells]
    if len(values) != width and any(i.confidence is not None for i in cells):
        return _misplaced(label, cells, width, notes)  # OCR: no placement is guessed
    if len(values) == width:
        return tuple(values)
    printed = [(item, cell) for item, cell in zip(cells, values, strict=True) if item.text.strip()]
    if len(values) > width:
        head = tuple(values[:width])
        padding = not any(i.text.strip() for i in cells[width:])
        if padding and position_consistent(head, groups):
            return head  # blank cells past the last column: a trailing bar, a merged cell
        if len(printed) <= width:
            return _collapsed(label, printed, width, groups)
        notes.append(
            ParseNote(
                f"“{label.text}”行有{len(values)}个数据单元格，多于规定的{width}个，只读前{width}个",
                label.source,
            )
        )
        return head
    last = cells[-1].position if cells else label.position
    if _nothing_after(items, last):
        notes.append(_truncated(label, len(values)))
        return None
    return _collapsed(label, printed, width, groups)


def _collapsed(
    label: Item, printed: Sequence[tuple[Item, Cell]], width: int, groups: Groups
) -> Collapsed:
    values = tuple(cell for _, cell in printed)
    return Collapsed(label.text, label.source, values, width, groups)


def _misplaced(label: Item, cells: Sequence[Item], width: int, notes: list[ParseNote]) -> Cells:
    """An OCR'd row with more or fewer columns than the table has: which figure stands in which
    column is a guess, so none of them is summed (AU-OCR-3, S-11)."""
    notes.append(
        ParseNote(
            f"“{label.text}”行识别出{len(cells)}个数据单元格，与规定的{width}个不符，"
            "无法确定各数所在的列，不参与勾稽校验",
            label.source,
        )
    )
    raws = [i.text.strip() for i in cells] + [""] * width
    sources = [i.source for i in cells] + [label.source] * width
    return tuple(Cell.unreadable(raws[n], sources[n]) for n in range(width))


def _nothing_after(items: Sequence[Item], index: int) -> bool:
    return all(not i.text.strip() for i in items[index + 1 :])


def _truncated(label: Item, count: int) -> ParseNote:
    return ParseNote(
        f"“{label.text}”行在文档末尾被截断（只有{count}个单元格），不予读取", label.source
    )


def _run_values(
    items: Sequence[Item], label: Item, width: int, groups: Groups, notes: list[ParseNote]
) -> Cells | Collapsed | None:
    """Row structure unknown: the values are the run of numbers right after the label; a shorter
    run is a row whose blank cells were lost (placement.py)."""
    run: list[Item] = []
    position = label.position + 1
    while position < len(items) and len(run) < width:
        item = items[position]
        if not is_value_text(item.text):
            break
        run.append(item)
        position += 1
    values = tuple(_cell(i) for i in run)
    if len(values) == width:
        return values
    if position >= len(items):
        notes.append(_truncated(label, len(values)))
        return None
    if not values:
        return tuple(Cell.blank() for _ in range(width))  # a row left empty
    return Collapsed(label.text, label.source, values, width, groups)


# ---------------------------------------------------------------- table 四

_T4_WIDTH = 15


def _extract_t4(items: Sequence[Item], lay: Layout, tables: Tables) -> None:
    anchor = _t4_anchor(items)
    if anchor is None:
        return
    collected = _t4_values(items, anchor)
    source = items[anchor].source
    values: Cells | None = None
    if not collected and _heading_follows(items, anchor, lay):
        # Header present, no figure anywhere before the next section: a table left blank.
        tables.notes.append(ParseNote("表四没有填写任何数据，按空白单元格读取", source))
        values = tuple(Cell.blank() for _ in range(_T4_WIDTH))
    elif collected and (
        len(collected) >= _T4_WIDTH or not _nothing_after(items, collected[-1].position)
    ):
        values = _t4_cells(collected, source, tables.notes)
    if values is None:
        tables.notes.append(ParseNote("表四的数据在文档末尾被截断，不予读取", source))
        return
    width = len(lay.t4_columns)
    for position, group in enumerate(lay.t4_groups):
        tables.t4[group.key] = tuple(values[position * width : (position + 1) * width])


def _t4_cells(collected: Sequence[Item], source: Source | None, notes: list[ParseNote]) -> Cells:
    """Fifteen cells as printed, or the figures placed when blanks were lost (placement.py); an
    OCR'd table 四 short of figures is not placed but unreadable (AU-OCR-3)."""
    cells = [_cell(i) for i in collected]
    if len(cells) < _T4_WIDTH and any(i.confidence is not None for i in collected):
        notes.append(
            ParseNote("表四识别出的数据少于15个，无法确定各数所在的列，不参与勾稽校验", source)
        )
        raws = [i.text.strip() for i in collected] + [""] * _T4_WIDTH
        return tuple(Cell.unreadable(raws[n], source) for n in range(_T4_WIDTH))
    head = tuple(cells[:_T4_WIDTH])
    printed = tuple(c for i, c in zip(collected, cells, strict=True) if i.text.strip())
    if len(cells) == _T4_WIDTH:
        return head
    if len(cells) > _T4_WIDTH:
        padding = not any(i.text.strip() for i in collected[_T4_WIDTH:])
        if len(printed) > _T4_WIDTH or (padding and position_consistent(head, T4_GROUPS)):
            return head
    resolved = resolve_row(
        Collapsed("表四", source, printed, _T4_WIDTH, T4_GROUPS, whole_table=True)
    )
    notes.append(resolved.note)
    return resolved.cells


def _heading_follows(items: Sequence[Item], anchor: int, lay: Layout) -> bool:
    """After the header of table 四 comes other text (the next section), not figures."""
    header = normalize_label("".join(g.label + (g.parent or "") for g in lay.t4_groups))
    header += normalize_label("".join(c.label for c in lay.t4_columns))
    for item in items[anchor + 1 :]:
        text = normalize_label(item.text)
        if not text or text in header:
            continue
        return not is_value_text(item.text)
    return False


def _t4_anchor(items: Sequence[Item]) -> int | None:
    for item in items:
        normalized = normalize_label(item.text)
        if normalized.startswith("行政复议") and len(normalized) <= 12:
            return item.position
    return None


def _t4_values(items: Sequence[Item], anchor: int) -> list[Item]:
    """The figures after the header of table 四: a row of values, or a run of them; fifteen
    unless the table's blank cells were lost (a whole first row may bring more)."""
    collected: list[Item] = []
    position = anchor + 1
    while position < len(items) and len(collected) < _T4_WIDTH:
        item = items[position]
        if item.row is not None and not collected:
            row = items[position : _row_end(items, position)]
            if all(is_value_or_blank(i.text) for i in row) and any(i.text.strip() for i in row):
                collected.extend(row)
            position += len(row)
            continue
        if is_value_text(item.text) or (
            collected and item.row is not None and not item.text.strip()
        ):
            collected.append(item)
        elif collected and not _t4_group_label(item.text):
            break  # a group's label between its figures: table 四 printed one group per row
        position += 1
    return collected


_T4_GROUP_WORDS = ("行政复议", "行政诉讼", "直接起诉", "复议后起诉")


def _t4_group_label(text: str) -> bool:
    normalized = normalize_label(text)
    return len(normalized) <= 20 and any(word in normalized for word in _T4_GROUP_WORDS)


# ---------------------------------------------------------------- the whole report


def build_report(
    blocks: Sequence[Block], source_kind: str, *, abrupt_end: bool = False
) -> AnnualReport:
    """Read an AnnualReport out of the blocks of any front end.

    `abrupt_end`: the input stops without the line break or closing tag that ends a complete
    document, so its very last figure may be cut ("13" read as "1"); it is not trusted, and the
    row it ends is dropped as cut off.
    """
    items = items_of(blocks)
    if abrupt_end and items and (items[-1].row is not None or is_value_or_blank(items[-1].text)):
        items = items[:-1]
    normalized_text = normalize_label("".join(i.text for i in items))
    probe = layout(FormatVersion.V2021)
    preamble, sections = split_sections(blocks, probe)
    s1_text = "\n".join(s.text for s in sections if s.number == 1)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    ident = identify(paragraphs, s1_text, normalized_text)
    version, version_note = detect_format(normalized_text, ident.year)
    lay = layout(version)
    tables = extract_tables(items, lay)
    if not sections and not tables.t2 and not tables.t3 and not tables.t4:
        raise ReportParseError(
            "未能在文件中识别出年度报告的任何章节或表格，请确认这是一份政府信息公开工作年度报告"
        )
    notes = [ParseNote(n) for n in (ident.note, version_note) if n] + tables.notes
    preamble_lines = [
        p.text for p in preamble if p.text != ident.title and not p.text.startswith("Page ")
    ]
    return AnnualReport(
        format=version,
        year=ident.year,
        agency=ident.agency,
        title=ident.title,
        period=ident.period,
        preamble="\n".join(preamble_lines),
        sections=tuple(sections),
        t2=tables.t2,
        t3=tables.t3,
        t4=tables.t4,
        extra_rows=tuple(tables.extra_rows),
        notes=tuple(notes),
        source_kind=source_kind,
    )
