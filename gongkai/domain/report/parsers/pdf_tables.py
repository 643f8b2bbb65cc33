"""Tables 二/三/四 recovered from positioned words, with or without rulings.

A table is found by its header: the leaf column labels of one of the official tables (自然人 …
总计 for table 三, 结果维持 … 总计 three times for table 四, 本年制发件数 … for each part of
table 二), read as *label chains*: the words of one cell, wrapped over several lines in a narrow
column ("社会公" / "益组织"), are joined top to bottom while the text so far begins an official
label. The columns are the x-ranges of the header's leaves: the ruling between two leaves where
the table has one, else the midpoint between their centres. Below the header, every line whose
words left of the first column are label text and whose words inside the columns are figures is
a row line; the table ends at the first line with other text inside the columns (the next
heading or paragraph). Row labels are label chains too ("1.本机关不掌握相关" / "政府信息"), and
a line of figures belongs to the row label it lies beside (its vertical centre within the label's
lines, or nearest to them).

A table broken by a page continues on the next page under its repeated header, or under the
columns of the previous page when the header is not repeated. A figure that cannot be put in one
column with certainty (its centre near the edge of an estimated column, two figures in one cell,
a line of figures equally near two labels) is marked doubtful: the caller makes it an unreadable
cell (decision AU-2), never a guessed number.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import Block, CellText, TableRow
from gongkai.domain.report.parsers.pdf_chars import Line, PageText, Word
from gongkai.domain.report.parsers.values import is_value_text
from gongkai.domain.report.schema import FormatVersion, layout, normalize_label

# ---------------------------------------------------------------- the labels the reader knows


@dataclass(frozen=True)
class HeaderSpec:
    table: str  # t2 | t3 | t4
    labels: tuple[str, ...]  # normalised leaf labels, left to right
    row_labels: bool  # rows start with a label (t2, t3); table 四 is one row of figures


@dataclass(frozen=True)
class Vocabulary:
    specs: tuple[HeaderSpec, ...]  # longest first, so that a header is not read as a shorter one
    known: frozenset[str]  # every official label and header text, normalised
    prefixes: frozenset[str]  # every proper prefix of a known label
    groups: frozenset[str]  # labels that carry no figures (row groups, captions, header cells)
    rows: frozenset[str]  # labels of rows that carry figures


@cache
def vocabulary() -> Vocabulary:
    specs: list[HeaderSpec] = []
    rows: set[str] = set()
    groups: set[str] = set()
    for version in (FormatVersion.V2021, FormatVersion.V2019):
        lay = layout(version)
        for table in lay.t2_tables:
            labels = tuple(normalize_label(c.label) for c in table.columns)
            specs.append(HeaderSpec("t2", labels, True))
            rows.update(normalize_label(r.label) for r in table.rows)
            groups.update(normalize_label(t) for t in (table.caption, table.header))
        rows.add(normalize_label("规范性文件"))
        specs.append(
            HeaderSpec("t3", tuple(normalize_label(c.label) for c in lay.t3_columns), True)
        )
        for row in lay.t3_rows:
            label = normalize_label(row.label)
            rows.update((label, label.split("(区分")[0]))
        groups.update(normalize_label(g) for g in lay.t3_groups)
        groups.update(normalize_label(t) for t in (lay.t3_caption, lay.t3_note))
        groups.update(normalize_label(c.parent) for c in lay.t3_columns if c.parent)
        t4 = tuple(normalize_label(c.label) for c in lay.t4_columns) * len(lay.t4_groups)
        specs.append(HeaderSpec("t4", t4, False))
        groups.update(normalize_label(g.label) for g in lay.t4_groups)
        groups.update(normalize_label(g.parent) for g in lay.t4_groups if g.parent)
    unique = sorted(set(specs), key=lambda s: (-len(s.labels), s.table, s.labels))
    leaves = {label for spec in unique for label in spec.labels}
    groups |= leaves
    known = rows | groups
    prefixes = {label[:end] for label in known for end in range(1, len(label))}
    return Vocabulary(
        tuple(unique), frozenset(known), frozenset(prefixes), frozenset(groups), frozenset(rows)
    )


# ---------------------------------------------------------------- label chains


@dataclass(slots=True, eq=False)
class Chain:
    """The words of one cell: a label wrapped over lines, or a single word."""

    words: list[Word]
    text: str  # normalised
    x0: float
    x1: float
    top: float
    bottom: float
    open: bool  # the text so far is a proper prefix of a known label

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def printed(self) -> str:
        return "".join(word.text for word in self.words)

    def add(self, word: Word, text: str, vocab: Vocabulary) -> None:
        self.words.append(word)
        self.text = text
        self.x0 = min(self.x0, word.x0)
        self.x1 = max(self.x1, word.x1)
        self.bottom = max(self.bottom, word.bottom)
        self.open = text in vocab.prefixes


def label_chains(lines: Iterable[Line], vocab: Vocabulary) -> dict[int, Chain]:
    """Every word's chain (by the word's id): wrapped official labels joined, others alone."""
    chains: dict[int, Chain] = {}
    open_chains: list[Chain] = []
    for line in lines:
        for word in line.words:
            norm = normalize_label(word.text)
            height = max(word.height, 1.0)
            best: Chain | None = None
            for chain in open_chains:
                gap = word.top - chain.bottom
                if not -0.5 * height <= gap <= 0.9 * height:
                    continue
                if word.x1 < chain.x0 or word.x0 > chain.x1:
                    continue
                joined = chain.text + norm
                if joined not in vocab.prefixes and joined not in vocab.known:
                    continue
                if best is None or gap < word.top - best.bottom:
                    best = chain
            if best is not None:
                best.add(word, best.text + norm, vocab)
                chains[id(word)] = best
                continue
            chain = Chain(
                [word], norm, word.x0, word.x1, word.top, word.bottom, norm in vocab.prefixes
            )
            chains[id(word)] = chain
            if chain.open:
                open_chains.append(chain)
        open_chains = [c for c in open_chains if c.open and line.bottom - c.bottom < 3 * _h(c)]
    return chains


def _join_spaced(line: Line, vocab: Vocabulary) -> None:
    """Words of one line that together begin an official label are one word: a header or label
    set with letter spacing or Word's distributed alignment (自 然 人) has wide gaps."""
    joined: list[Word] = []
    for word in line.words:
        last = joined[-1] if joined else None
        if last is not None and word.x0 - last.x1 <= 1.5 * max(last.height, word.height, 1.0):
            text = normalize_label(last.text + word.text)
            if (text in vocab.prefixes or text in vocab.known) and not is_value_text(word.text):
                joined[-1] = Word(
                    last.text + word.text,
                    last.x0,
                    max(last.x1, word.x1),
                    min(last.top, word.top),
                    max(last.bottom, word.bottom),
                    last.edges + word.edges,
                )
                continue
        joined.append(word)
    line.words = joined


def _h(chain: Chain) -> float:
    return max(chain.words[-1].height, 1.0)


def _unique(chains: Iterable[Chain]) -> list[Chain]:
    seen: set[int] = set()
    result: list[Chain] = []
    for chain in chains:
        if id(chain) not in seen:
            seen.add(id(chain))
            result.append(chain)
    return result


# ---------------------------------------------------------------- headers and columns


@dataclass(slots=True)
class Columns:
    """The x-ranges of a table's figure columns and how sure their edges are."""

    spec: HeaderSpec
    bounds: list[tuple[float, float]]
    margins: list[tuple[float, float]]  # doubt zone inside each edge (0 at a ruling)
    page_width: float

    @property
    def left(self) -> float:
        return self.bounds[0][0]

    @property
    def right(self) -> float:
        return self.bounds[-1][1]

    def is_figure(self, word: Word) -> bool:
        """A figure of the table: a number or placeholder inside the columns, or just left of
        the first (placed there as doubtful)."""
        spacing = min((self.right - self.left) / len(self.bounds), 40.0)
        return word.center >= self.left - spacing / 2 and is_value_text(word.text)

    def is_label(self, word: Word) -> bool:
        return word.center < self.left and not self.is_figure(word)

    def place(self, word: Word) -> tuple[int, int | None] | None:
        """The column of a figure and, when it lies near an estimated edge, the column on the
        other side of that edge (it might be that one's); None when outside the table."""
        x = word.center
        for index, (lo, hi) in enumerate(self.bounds):
            if lo <= x < hi:
                # The whole figure inside its column, clear of an estimated edge.
                margin_lo, margin_hi = self.margins[index]
                if word.x0 - lo < margin_lo:
                    return index, index - 1
                if hi - word.x1 < margin_hi:
                    return index, index + 1
                return index, None
        spacing = (self.right - self.left) / len(self.bounds)
        if x >= self.right and x - self.right < spacing / 2:
            return len(self.bounds) - 1, len(self.bounds)
        if x < self.left and self.left - x < spacing / 2:
            return 0, -1
        return None


@dataclass(slots=True)
class Header:
    columns: Columns
    leaves: list[Chain]
    top: float  # the header's first line (caption, parent cells)
    bottom: float


def find_headers(page: PageText, chains: dict[int, Chain], vocab: Vocabulary) -> list[Header]:
    complete = [c for c in _unique(chains.values()) if c.text in vocab.known]
    used: set[int] = set()
    headers: list[Header] = []
    for spec in vocab.specs:
        wanted = set(spec.labels)
        candidates = sorted(
            (c for c in complete if c.text in wanted and id(c) not in used), key=lambda c: c.top
        )
        for band in _bands(candidates):
            band.sort(key=lambda c: c.center)
            if tuple(c.text for c in band) != spec.labels:
                continue
            used.update(id(c) for c in band)
            columns = _columns(spec, band, complete, page)
            top = _header_top(page, band, chains, vocab)
            headers.append(Header(columns, band, top, max(c.bottom for c in band)))
    headers.sort(key=lambda h: h.top)
    return headers


def _bands(chains: list[Chain]) -> list[list[Chain]]:
    """Chains grouped by vertical nearness (a header's leaves sit within a few lines)."""
    bands: list[list[Chain]] = []
    for chain in chains:
        if bands and chain.top - max(c.bottom for c in bands[-1]) < 2.5 * _h(chain):
            bands[-1].append(chain)
        else:
            bands.append([chain])
    return bands


def _columns(
    spec: HeaderSpec, leaves: list[Chain], complete: list[Chain], page: PageText
) -> Columns:
    centers = [c.center for c in leaves]
    top = min(c.top for c in leaves)
    if len(leaves) > 1:
        spacing = (centers[-1] - centers[0]) / (len(leaves) - 1)
        edges = [centers[0] - (centers[1] - centers[0]) / 2]
        edges += [(a + b) / 2 for a, b in itertools.pairwise(centers)]
        edges.append(centers[-1] + (centers[-1] - centers[-2]) / 2)
        aligned = _aligned_edges(leaves, spacing)
        if aligned is not None:
            edges = aligned
        inner = [(leaves[0].x0 - spacing, leaves[0].x0)]
        inner += [(a.x1, b.x0) for a, b in itertools.pairwise(leaves)]
        inner.append((leaves[-1].x1, leaves[-1].x1 + spacing))
    else:
        # A single figure column spanning the table's right part (本年处理决定数量): it begins
        # after the label column, whose header (信息内容) stands left of it on the same line.
        leaf = leaves[0]
        spacing = leaf.x1 - leaf.x0
        beside = [
            c
            for c in complete
            if c.x1 < leaf.x0 and abs(c.middle - leaf.middle) < _h(leaf) and c.text != leaf.text
        ]
        # With one figure column a figure can be in no other: any figure right of the label
        # column's header is certain.
        start = max(c.x1 for c in beside) if beside else leaf.x0 - spacing
        bounds = [(start, page.width)]
        return Columns(spec, bounds, [(0.0, 0.0)], page.width)
    margins = [max(0.04 * spacing, 1.0)] * len(edges)
    ruled = _ruled_edges(page, inner, top, max(c.bottom for c in leaves))
    for index, x in enumerate(ruled):
        if x is not None:
            edges[index] = x
            margins[index] = 0.0
    bounds = [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
    return Columns(
        spec, bounds, [(margins[i], margins[i + 1]) for i in range(len(bounds))], page.width
    )


def _aligned_edges(leaves: list[Chain], spacing: float) -> list[float] | None:
    """Edges for headers set flush left (or right) in equal columns: their left (right) edges
    are evenly spaced while their centres, the words being of unequal length, are not. The edge
    is then just before each left edge (after each right edge), not midway between centres."""
    if len(leaves) < 3:
        return None

    def spread(xs: list[float]) -> float:
        steps = [b - a for a, b in itertools.pairwise(xs)]
        return max(steps) - min(steps)

    centers = spread([c.center for c in leaves])
    if centers < 3.0:
        return None  # centred headers, or words of one length: the midpoints hold
    if spread([c.x0 for c in leaves]) < 1.0:
        edges = [c.x0 - 1.0 for c in leaves]
        return [*edges, edges[-1] + spacing]
    if spread([c.x1 for c in leaves]) < 1.0:
        edges = [c.x1 + 1.0 for c in leaves]
        return [edges[0] - spacing, *edges]
    return None


def _ruled_edges(
    page: PageText, gaps: list[tuple[float, float]], top: float, bottom: float
) -> list[float | None]:
    """For each gap between header leaves, the one vertical ruling inside it, if any."""
    result: list[float | None] = []
    for lo, hi in gaps:
        # A column border runs through the header's leaves (not a table's above or below).
        found = [x for x, y0, y1 in page.verticals if lo < x < hi and y0 < bottom and y1 > top]
        # One ruling, drawn as several segments (one per cell) a fraction of a point apart.
        one = bool(found) and max(found) - min(found) < 1.5
        result.append(sum(found) / len(found) if one else None)
    return result


def _header_top(
    page: PageText, leaves: list[Chain], chains: dict[int, Chain], vocab: Vocabulary
) -> float:
    """The top of the header: lines just above the leaves made only of header words (the
    caption 申请人情况, 法人或其他组织, the note cell, 行政复议 / 行政诉讼)."""
    top = min(c.top for c in leaves)
    height = _h(leaves[0])
    for line in reversed([ln for ln in page.lines if ln.bottom <= top + 0.5 * height]):
        if top - line.bottom > 1.5 * height:
            break
        texts = [chains[id(w)] for w in line.words]
        if not all(c.text in vocab.groups or c.open for c in texts):
            break
        top = min(top, line.top)
    return top


# ---------------------------------------------------------------- reading a table body


@dataclass
class Reading:
    """What a page gave: blocks placed by their top, the lines used, the doubtful cells."""

    placed: list[tuple[float, Block]] = field(default_factory=list)
    used_lines: set[int] = field(default_factory=set)
    doubtful: set[Source] = field(default_factory=set)
    open_table: Columns | None = None  # the table runs on past the page's end
    tables: int = 0  # tables begun or continued on the page (numbers them in sources)
    found_t3: bool = False  # the header of table 三 is on this page
    # The figures of the table being read contradict its estimated columns (two in one cell, one
    # past the last column): then none of its placements is trusted.
    contradicted: bool = False


# Page numbers and "第3页 共6页": never part of a table.
PAGE_FURNITURE = re.compile(
    r"^(?:P\.\s*\d+|[-—－–]\s*\d+\s*[-—－–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)


def read_tables(page: PageText, carried: Columns | None, table_number: int) -> Reading:
    """The tables of one page as blocks; `carried` is a table continued from the page before."""
    vocab = vocabulary()
    reading = Reading()
    lines = [ln for ln in page.lines if not PAGE_FURNITURE.match(ln.text.strip())]
    for line in lines:
        _join_spaced(line, vocab)
    chains = label_chains(lines, vocab)
    headers = find_headers(page, chains, vocab)
    starts: list[tuple[float, Columns, Header | None]] = []
    if carried is not None and abs(carried.page_width - page.width) < 2:
        first = headers[0].top if headers else None
        body_lines = [ln for ln in lines if first is None or ln.bottom <= first]
        if body_lines and _is_row_line(body_lines[0], carried, chains, vocab):
            starts.append((body_lines[0].top, carried, None))
    starts.extend((h.top, h.columns, h) for h in headers)
    reading.tables = len(starts)
    reading.found_t3 = any(h.columns.spec.table == "t3" for h in headers)
    for index, (top, columns, header) in enumerate(starts):
        number = table_number + index
        limit = starts[index + 1][0] if index + 1 < len(starts) else None
        if header is not None:
            _emit_header(header, lines, chains, page, number, reading)
            body_top = header.bottom
        else:
            body_top = top - 0.1
        body = [
            ln
            for ln in lines
            if ln.middle > body_top
            and (limit is None or ln.bottom <= limit + 0.1)
            and id(ln) not in reading.used_lines
        ]
        ended = _read_body(body, columns, chains, vocab, page, number, reading)
        if not ended and index == len(starts) - 1:
            reading.open_table = columns
    return reading


def _is_row_line(line: Line, columns: Columns, chains: dict[int, Chain], vocab: Vocabulary) -> bool:
    figures = [w for w in line.words if not columns.is_label(w)]
    if not figures or not all(is_value_text(w.text) for w in figures):
        # a label line whose figures are on the next line also starts a continued table
        labels = [w for w in line.words if columns.is_label(w)]
        return (
            bool(labels)
            and not figures
            and any(chains[id(w)].text in vocab.known or chains[id(w)].open for w in labels)
        )
    return True


def _emit_header(
    header: Header,
    lines: list[Line],
    chains: dict[int, Chain],
    page: PageText,
    number: int,
    reading: Reading,
) -> None:
    cells: list[Chain] = []
    for line in lines:
        if line.bottom < header.top - 0.1 or line.top > header.bottom + 0.1:
            continue
        if line.middle > header.bottom:
            continue
        reading.used_lines.add(id(line))
        cells.extend(chains[id(w)] for w in line.words)
    ordered = sorted(_unique(cells), key=lambda c: (c.top, c.x0))
    source = Source(page=page.number, table=number, row=0)
    row = tuple(CellText(c.printed, source) for c in ordered)
    if row:
        reading.placed.append((header.top, TableRow(row, source)))


def _read_body(
    body: list[Line],
    columns: Columns,
    chains: dict[int, Chain],
    vocab: Vocabulary,
    page: PageText,
    number: int,
    reading: Reading,
) -> bool:
    """Read rows until the table ends; True when it ended on this page."""
    rows: list[Line] = []
    ended = False
    for line in body:
        inside = [w for w in line.words if not columns.is_label(w)]
        if any(not is_value_text(w.text) for w in inside):
            ended = True
            break
        rows.append(line)
    label_words = [w for ln in rows for w in ln.words if columns.is_label(w)]
    labels = _unique(chains[id(w)] for w in label_words)
    figure_lines = [(ln, [w for w in ln.words if columns.is_figure(w)]) for ln in rows]
    figure_lines = [(ln, ws) for ln, ws in figure_lines if ws]
    for line in rows:
        reading.used_lines.add(id(line))
    reading.contradicted = False
    first = len(reading.placed)  # the blocks of this table, to distrust them all if need be
    if not columns.spec.row_labels:
        _read_single_row(figure_lines, columns, page, number, reading)
    else:
        _read_rows(figure_lines, labels, vocab, columns, page, number, reading)
    if reading.contradicted and any(m > 0 for pair in columns.margins for m in pair):
        for _, block in reading.placed[first:]:
            if isinstance(block, TableRow):
                figures = block.cells[1:] if columns.spec.row_labels else block.cells
                reading.doubtful.update(cell.source for cell in figures)
    return ended


def _read_rows(
    figure_lines: list[tuple[Line, list[Word]]],
    labels: list[Chain],
    vocab: Vocabulary,
    columns: Columns,
    page: PageText,
    number: int,
    reading: Reading,
) -> None:
    row_labels = [c for c in labels if not _is_group(c, labels, vocab)]
    assigned: dict[int, list[tuple[Line, list[Word], bool]]] = {}
    stray = False
    for line, words in figure_lines:
        owner = _owner(words, row_labels)
        if owner is None:
            stray = True  # far from every label: a footer, or a row whose label was not read
            continue
        chain, sure = owner
        stray = stray or not sure
        assigned.setdefault(id(chain), []).append((line, words, sure))
    row_ids = {id(c) for c in row_labels}
    for row_number, chain in enumerate(sorted(labels, key=lambda c: c.top), start=1):
        source = Source(page=page.number, table=number, row=row_number)
        label = CellText(
            chain.printed, Source(page=page.number, table=number, row=row_number, column=1)
        )
        if id(chain) not in row_ids:
            reading.placed.append((chain.top, TableRow((label,), source)))
            continue
        found = assigned.get(id(chain), [])
        figures = [(w, sure) for _, ws, sure in found for w in ws]
        cells = _cells(figures, columns, page.number, number, row_number, reading)
        if not found and stray and chain.text in vocab.known:
            # An official row without figures while some figures found no row, or a row not for
            # certain: its cells may be those figures, so they are not taken for blanks.
            reading.doubtful.update(cell.source for cell in cells)
        reading.placed.append((chain.top, TableRow((label, *cells), source)))


def _is_group(chain: Chain, labels: list[Chain], vocab: Vocabulary) -> bool:
    """A label that carries no figures: a merged group cell (三、本年度办理结果, （三）不予公开)
    has the labels of its rows beside it on the right; captions and header words never do.
    （六）其他处理 is a group in the 2021 format and a row in the 2019 one: its neighbours tell."""
    if chain.text in vocab.groups and chain.text not in vocab.rows:
        return True
    return any(
        other is not chain
        and other.x0 >= chain.x1 - 1.0
        and other.top < chain.bottom
        and other.bottom > chain.top
        for other in labels
    )


def _owner(words: list[Word], labels: list[Chain]) -> tuple[Chain, bool] | None:
    """The row label a line of figures belongs to, and whether that is certain."""
    if not labels:
        return None
    top = min(w.top for w in words)
    bottom = max(w.bottom for w in words)
    height = max(bottom - top, 1.0)
    middle = (top + bottom) / 2

    def distance(chain: Chain) -> float:
        if chain.top - 0.2 * height <= middle <= chain.bottom + 0.2 * height:
            return 0.0
        return min(abs(middle - chain.top), abs(middle - chain.bottom))

    ranked = sorted(labels, key=distance)
    best = distance(ranked[0])
    if best > 1.5 * height:
        return None
    second = distance(ranked[1]) if len(ranked) > 1 else float("inf")
    sure = second - best > 0.4 * height
    return ranked[0], sure


def _cells(
    words: list[tuple[Word, bool]],
    columns: Columns,
    page: int,
    table: int,
    row: int,
    reading: Reading,
) -> tuple[CellText, ...]:
    """The row's cells. A cell holds one figure: a figure near an estimated edge whose other
    side holds a figure of its own, or is the label column or the table's end, is in its column
    for certain; beside an empty cell it might be either's, and both are doubtful. Two figures in
    one cell are doubtful too."""
    width = len(columns.bounds)
    slots: list[list[Word]] = [[] for _ in range(width)]
    placed: list[tuple[int, int | None, bool]] = []
    for word, row_sure in words:
        found = columns.place(word)
        if found is None:
            continue
        index, other = found
        slots[index].append(word)
        placed.append((index, other, row_sure))
        if other == width:
            reading.contradicted = True  # a figure past the last column's estimated edge
    doubtful: set[int] = set()
    for index, other, row_sure in placed:
        if not row_sure:
            doubtful.add(index)
        if other is None or not 0 <= other < width:
            continue  # clear of the edges, or beside the label column or the table's end
        if slots[other]:
            continue  # the cell across the edge has its own figure
        doubtful.update((index, other))
    cells: list[CellText] = []
    for index, slot in enumerate(slots):
        source = Source(page=page, table=table, row=row, column=index + 2)
        if len(slot) > 1:
            reading.contradicted = True  # two figures in one estimated column
        if len(slot) > 1 or index in doubtful:
            reading.doubtful.add(source)
        cells.append(CellText(" ".join(w.text for w in slot), source))
    return tuple(cells)


def _read_single_row(
    figure_lines: list[tuple[Line, list[Word]]],
    columns: Columns,
    page: PageText,
    number: int,
    reading: Reading,
) -> None:
    """Table 四: one row of figures under the header, no label."""
    if not figure_lines:
        return
    first, _ = figure_lines[0]
    height = max(first.bottom - first.top, 1.0)
    words = [
        (w, True) for line, ws in figure_lines if line.top - first.bottom < 0.5 * height for w in ws
    ]
    source = Source(page=page.number, table=number, row=1)
    cells = _cells(words, columns, page.number, number, 1, reading)
    reading.placed.append((first.top, TableRow(cells, source)))
