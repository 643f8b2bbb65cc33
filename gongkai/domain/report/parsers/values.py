"""Reading one table cell: a number, a placeholder, a blank, or something that is not a number."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from gongkai.domain.report.model import Cell, CellState, Source
from gongkai.domain.report.parsers.blocks import ReportParseError

# Placeholders seen in published tables instead of 0 (spec.md §1.4): "/", "-", "—", "无" …
PLACEHOLDERS = frozenset({"/", "-", "—", "——", "–", "－", "／", "无", "\\", "×", "空", "--"})
# A count, a signed change ("+1036"), thousands separators, decimals and an optional unit.
_NUMBER = re.compile(
    r"^(?P<sign>[+-])?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>万元|元|件|个|项|条)?$"
)


# Counts and 元 amounts fit in 15 digits; a longer "number" is not one (and int() refuses more
# than 4,300 digits with a ValueError: issue 9, hostile input).
MAX_DIGITS = 15


@lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=4096)
def is_value_text(text: str) -> bool:
    """True for anything that can stand in a numeric cell: a number or a placeholder."""
    cleaned = _clean(text)
    return bool(_NUMBER.match(cleaned)) or cleaned in PLACEHOLDERS


def is_value_or_blank(text: str) -> bool:
    return not _clean(text) or is_value_text(text)


def parse_cell(text: str, source: Source | None = None) -> Cell:
    """Turn the text of a numeric cell into a Cell that remembers what was printed."""
    value, state = _parse(_clean(text))
    return Cell(value, state, text.strip(), source)


@lru_cache(maxsize=4096)
def _parse(cleaned: str) -> tuple[int | Decimal | None, CellState]:
    if not cleaned:
        return None, CellState.BLANK
    if cleaned in PLACEHOLDERS:
        return None, CellState.PLACEHOLDER
    match = _NUMBER.match(cleaned)
    if not match:
        return None, CellState.INVALID
    digits = match["digits"].replace(",", "")
    if len(digits) > MAX_DIGITS:
        raise ReportParseError(
            f"表格中有 {len(digits)} 位的数字，超过 {MAX_DIGITS} 位的上限，无法读取"
        )
    sign = -1 if match["sign"] == "-" else 1
    if match["frac"]:
        try:
            return sign * Decimal(digits + match["frac"]), CellState.VALUE
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None, CellState.INVALID
    return sign * int(digits), CellState.VALUE
