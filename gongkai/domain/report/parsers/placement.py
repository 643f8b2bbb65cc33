"""Collapsed rows: a table row printed with fewer figures than it has columns.

Text and HTML copies of a report often drop the empty cells of a row ("（一）予以公开 3 3",
"3 | 3 | ||||||", fewer <td> than columns): the figures keep their order but lose their columns.
Guessing the columns invents arithmetic errors (issue 13), so the figures are placed by the
identities the table must satisfy (decision AU-ROW-1):

- a placement keeps the figures in their printed order: C(width, k) of them, at most
  C(15, 7) = 6,435 (table 四's fifteen cells);
- the row's own identity keeps the consistent placements: table 三 T3-02 (the six applicant
  columns sum to 总计), table 四 T4-01…03 (each group's four results sum to its 总计); table 二
  has none;
- for table 三, where several remain, the column identities T3-01 and T3-03 over the other rows
  decide: only the placements that some joint reading of all the collapsed rows satisfying both
  uses are kept (a search over partial column sums, bounded by `MAX_STATES`);
- a column to which every remaining placement gives the same number is read; any other becomes
  `Cell.unreadable` (rule S-11), which no rule sums. When no placement is consistent at all, the
  same holds over every placement.

Among placements that give the same numbers the cells are taken from one canonical placement
(figures in the 总计 columns first, then as far left as possible): a blank and a 0 differ only for
S-05's warning, never for arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb
from typing import NamedTuple

from gongkai.domain.report.model import Cell, Cells, CellState, Number, ParseNote, Source
from gongkai.domain.report.schema import Layout

# (part columns, total column) of each identity a row must satisfy.
Groups = tuple[tuple[tuple[int, ...], int], ...]
Placement = tuple[int, ...]  # the column of each printed figure, increasing
# What makes two readings of a cell the same: its number, or the text of a cell that is not one.
Key = Number | tuple[str, str]

NO_GROUPS: Groups = ()
# Table 四: three groups of 结果维持, 结果纠正, 其他结果, 尚未审结 and 总计 (T4-01…03).
T4_GROUPS: Groups = tuple((tuple(range(start, start + 4)), start + 4) for start in range(0, 15, 5))
# More placements than this are not enumerated (never reached: table 四 has 6,435 at most).
MAX_PLACEMENTS = 10_000
# The search over table 三 gives up past this many partial column sums at one step, or this
# many sums computed in all (bench/collapsed_rows.py: a few milliseconds on one core).
MAX_STATES = 4_096
MAX_WORK = 20_000


def row_groups(width: int) -> Groups:
    """The identity of a row of table 三: the columns before the last sum to the last (T3-02)."""
    return ((tuple(range(width - 1)), width - 1),)


@dataclass(frozen=True)
class Collapsed:
    """A row whose printed figures are fewer than its columns: the figures, in order."""

    label: str  # the row's label as printed, for the notes
    source: Source | None
    values: Cells  # the printed figures (blanks left out), in order
    width: int
    groups: Groups = NO_GROUPS
    whole_table: bool = False  # table 四, read as one run of fifteen cells

    @property
    def name(self) -> str:
        return self.label if self.whole_table else f"“{self.label}”行"


class Reading(NamedTuple):
    placement: Placement
    cells: Cells  # one per column: a printed figure or a blank
    numbers: tuple[Number | None, ...]  # for arithmetic: None for a cell that is not a number

    @property
    def keys(self) -> tuple[Key, ...]:
        return tuple(_key(cell, n) for cell, n in zip(self.cells, self.numbers, strict=True))


def _key(cell: Cell, value: Number | None) -> Key:
    return value if value is not None else (cell.state.value, cell.raw)


def _number(cell: Cell) -> Number | None:
    if cell.state in (CellState.INVALID, CellState.UNREADABLE):
        return None
    return cell.as_number


def position_consistent(cells: Sequence[Cell], groups: Groups) -> bool:
    """Whether the cells as positioned satisfy the row's identities (unverifiable ones pass)."""
    return _consistent([_number(cell) for cell in cells], groups)


def _consistent(numbers: Sequence[Number | None], groups: Groups) -> bool:
    for parts, total in groups:
        stated = numbers[total]
        summed: Number = 0
        for part in parts:
            value = numbers[part]
            if value is None:
                break
            summed += value
        else:
            if stated is not None and summed != stated:
                return False
    return True


def readings(row: Collapsed) -> list[Reading]:
    """Every placement of the row's figures in order; [] past `MAX_PLACEMENTS`."""
    k = len(row.values)
    if k > row.width or comb(row.width, k) > MAX_PLACEMENTS:
        return []
    result: list[Reading] = []
    blank = Cell.blank()
    for placement in combinations(range(row.width), k):
        cells = [blank] * row.width
        for column, cell in zip(placement, row.values, strict=True):
            cells[column] = cell
        result.append(Reading(placement, tuple(cells), tuple(_number(c) for c in cells)))
    return result


def consistent_readings(row: Collapsed) -> tuple[list[Reading], list[Reading]]:
    """All readings of the row, and those its own identity allows."""
    every = readings(row)
    return every, [r for r in every if _consistent(r.numbers, row.groups)]


def _canonical(row: Collapsed, chosen: Sequence[Reading]) -> Reading:
    """Figures in the 总计 columns first, then as far left as possible."""
    totals = {total for _, total in row.groups}
    return min(chosen, key=lambda r: (-len(totals.intersection(r.placement)), r.placement))


@dataclass(frozen=True)
class Resolved:
    cells: Cells
    note: ParseNote
    doubtful: int  # how many cells became unreadable


def settle(row: Collapsed, chosen: Sequence[Reading], *, how: str) -> Resolved:
    """The row's cells from the readings still possible: a column they agree on is read, any
    other is unreadable. `how` says in the note what decided (for a reader of the notes)."""
    if not chosen:
        cells = tuple(_unplaceable(row, column) for column in range(row.width))
        return Resolved(cells, _note(row, row.width, how), row.width)
    best = _canonical(row, chosen)
    all_keys = [reading.keys for reading in chosen]
    cells_out: list[Cell] = []
    doubtful = 0
    for column in range(row.width):
        if len({keys[column] for keys in all_keys}) == 1:
            cells_out.append(best.cells[column])
            continue
        doubtful += 1
        cells_out.append(_doubtful(row, chosen, column))
    return Resolved(tuple(cells_out), _note(row, doubtful, how), doubtful)


def _doubtful(row: Collapsed, chosen: Sequence[Reading], column: int) -> Cell:
    """An unreadable cell naming the figures that may stand in it."""
    printed = [r.cells[column] for r in chosen if column in r.placement]
    raw = "/".join(dict.fromkeys(cell.raw or "?" for cell in printed))
    source = printed[0].source if printed else row.source
    return Cell.unreadable(raw, source)


def _unplaceable(row: Collapsed, column: int) -> Cell:
    raw = "/".join(dict.fromkeys(cell.raw for cell in row.values if cell.raw))
    source = row.values[0].source if row.values else row.source
    return Cell.unreadable(raw, source)


def _note(row: Collapsed, doubtful: int, how: str) -> ParseNote:
    if not row.values:
        return ParseNote(f"{row.name}没有数据，按空白处理", row.source)
    head = f"{row.name}只有{len(row.values)}个数据，少于{row.width}格（空白单元格未保留）"
    if doubtful:
        return ParseNote(
            f"{head}，{how}无法确定其中{doubtful}个单元格所在列，这些单元格不参与勾稽校验",
            row.source,
        )
    if len(_distinct(readings(row))) == 1:
        return ParseNote(f"{head}，数据均为0，所在列不影响勾稽关系，其余按空白处理", row.source)
    return ParseNote(f"{head}，{how}推定各数据所在列，其余按空白处理", row.source)


_BY_ROW = "按本行勾稽关系"
_BY_TABLE = "按本行及各列勾稽关系"
_NONE_FITS = "任何排列都与本行总计不符，"
_NO_IDENTITY = "本表没有勾稽关系，"


def resolve_row(row: Collapsed) -> Resolved:
    """A row placed by its own identities only (tables 二 and 四)."""
    every, fitting = consistent_readings(row)
    if not row.groups:
        return settle(row, every, how=_NO_IDENTITY)
    if fitting:
        return settle(row, fitting, how=_BY_ROW)
    return settle(row, every, how=_NONE_FITS)


def resolve_t3(
    fixed: Mapping[str, Cells], collapsed: Mapping[str, Collapsed], lay: Layout
) -> tuple[dict[str, Cells], list[ParseNote]]:
    """Cells for the collapsed rows of table 三, given the rows read whole (`fixed`)."""
    options: dict[str, list[Reading]] = {}
    settled: dict[str, Resolved] = {}
    for key, row in collapsed.items():
        every, fitting = consistent_readings(row)
        if fitting:
            options[key] = fitting
        else:
            settled[key] = settle(row, every, how=_NONE_FITS)
    known = dict(fixed) | {key: resolved.cells for key, resolved in settled.items()}
    open_rows: dict[str, list[Reading]] = {}
    for key, found in options.items():
        if len(_distinct(found)) > 1:
            open_rows[key] = found
        else:
            known[key] = found[0].cells
    narrowed = _by_columns(known, open_rows, lay) if open_rows else None
    for key, found in options.items():
        if narrowed is not None and key in narrowed:
            settled[key] = settle(collapsed[key], narrowed[key], how=_BY_TABLE)
        else:
            settled[key] = settle(collapsed[key], found, how=_BY_ROW)
    notes = [settled[key].note for key in collapsed]
    return {key: settled[key].cells for key in collapsed}, notes


def _distinct(found: Iterable[Reading]) -> set[tuple[Key, ...]]:
    return {reading.keys for reading in found}


# ---------------------------------------------------------------- the column identities


def _equations(rows: Iterable[str], lay: Layout) -> list[dict[str, int]]:
    """T3-03 (result rows sum to （七）总计) and T3-01 (new + carried in = done + carried out),
    each as row → coefficient, when every row it involves was read."""
    present = set(rows)
    equations: list[dict[str, int]] = []
    leaves = [row.key for row in lay.t3_leaves]
    if present.issuperset([*leaves, "r_total"]):
        equations.append({**dict.fromkeys(leaves, 1), "r_total": -1})
    balance = {"new": 1, "carry_in": 1, "r_total": -1, "carry_out": -1}
    if present.issuperset(balance):
        equations.append(balance)
    return equations


Vector = tuple[int, ...]


def _by_columns(
    known: Mapping[str, Cells], open_rows: Mapping[str, list[Reading]], lay: Layout
) -> dict[str, list[Reading]] | None:
    """The readings of the open rows that some joint reading satisfying T3-01 and T3-03 uses;
    None when no joint reading does, or the search is too large (the rows are then placed by
    their own identity alone).

    The search runs over the open rows in a fixed order, holding the distinct partial sums of
    every (identity, column) that the open rows can change; a partial sum the remaining rows
    cannot bring back to 0 (their least and greatest contributions bound it) is dropped, and a
    step holding more than `MAX_STATES` sums ends the search. Walking back from the final 0
    marks the readings on some path."""
    width = len(lay.t3_columns)
    equations = _equations([*known, *open_rows], lay)
    numbers: dict[str, list[tuple[Number | None, ...]]] = {
        key: [tuple(_number(cell) for cell in cells)] for key, cells in known.items()
    }
    for key, found in open_rows.items():
        numbers[key] = [reading.numbers for reading in found]
    dims = [
        (equation, column)
        for equation in equations
        for column in range(width)
        if all(n[column] is not None for key in equation for n in numbers[key])
        # a column no open row can change holds or fails whatever the placement: no evidence
        and any(len({n[column] for n in numbers[key]}) > 1 for key in equation if key in open_rows)
    ]
    order = ["new", "carry_in", "carry_out", "r_total", *(row.key for row in lay.t3_leaves)]
    taking_part = [key for key in order if key in open_rows and any(key in eq for eq, _ in dims)]
    if not taking_part:
        return None

    def contribution(key: str, values: tuple[Number | None, ...]) -> Vector:
        return tuple(eq.get(key, 0) * (values[column] or 0) for eq, column in dims)  # type: ignore[misc]

    base: Vector = tuple(0 for _ in dims)
    for key in known:
        if any(key in eq for eq, _ in dims):
            base = _add(base, contribution(key, numbers[key][0]))
    vectors = [{contribution(key, r.numbers) for r in open_rows[key]} for key in taking_part]
    everything = [base, *(v for step in vectors for v in step)]
    if not all(type(x) is int for v in everything for x in v):
        return None  # decimals in a table of counts: no search (each row by its own identity)
    if sum(abs(x) for v in everything for x in v) >= _LIMIT:
        return None
    packing = _Packing(len(dims))
    steps = [{packing.pack(v): v for v in step} for step in vectors]
    low, high = _remaining_bounds([list(step.values()) for step in steps], len(dims))
    layers: list[set[int]] = [{packing.pack(base)}]
    work = 0
    for index, step in enumerate(steps):
        work += len(layers[-1]) * len(step)
        if work > MAX_WORK:
            return None
        floor, ceiling = packing.pack(low[index + 1]), packing.pack(high[index + 1])
        fits = packing.nonnegative
        reached = {
            total
            for total in (state + part for state in layers[-1] for part in step)
            if fits(total + ceiling) and fits(-total - floor)
        }
        if len(reached) > MAX_STATES:
            return None
        layers.append(reached)
    good = {0} & layers[-1]
    if not good:
        return None
    result: dict[str, list[Reading]] = {}
    for index in reversed(range(len(steps))):
        before: set[int] = set()
        possible: set[Vector] = set()
        for state in layers[index]:
            for part, vector in steps[index].items():
                if state + part in good:
                    before.add(state)
                    possible.add(vector)
        good = before
        key = taking_part[index]
        result[key] = [r for r in open_rows[key] if contribution(key, r.numbers) in possible]
    return result


# Partial sums are packed into one integer, a 64-bit field per (identity, column): adding two
# packed sums adds every field at once, and the high bits tell whether all fields are ≥ 0.
_FIELD = 64
_LIMIT = 1 << (_FIELD - 2)  # no field ever reaches 2**63 in magnitude


class _Packing:
    def __init__(self, size: int) -> None:
        self.bias = sum(1 << (_FIELD * d + _FIELD - 1) for d in range(size))

    @staticmethod
    def pack(vector: Sequence[int]) -> int:
        return sum(value << (_FIELD * d) for d, value in enumerate(vector))

    def nonnegative(self, packed: int) -> bool:
        """Every field ≥ 0: with 2**63 added to each, every field keeps its high bit."""
        return (packed + self.bias) & self.bias == self.bias


def _remaining_bounds(steps: Sequence[Sequence[Vector]], size: int) -> tuple[list[Vector], ...]:
    """For each step, the least and greatest sum the steps from there on can add, per dim."""
    low: list[Vector] = [tuple(0 for _ in range(size))]
    high: list[Vector] = [tuple(0 for _ in range(size))]
    for step in reversed(steps):
        low.append(_add(low[-1], tuple(min(parts) for parts in zip(*step, strict=True))))
        high.append(_add(high[-1], tuple(max(parts) for parts in zip(*step, strict=True))))
    return low[::-1], high[::-1]


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b, strict=True))
