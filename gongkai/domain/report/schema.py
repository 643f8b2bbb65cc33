"""The official table layouts of the annual report, loaded from the data files in `layouts/`.

The layouts are law as data (国办公开办函〔2021〕30号, 〔2019〕60号): every section, sub-table,
row and column with its official label and the project's key (shared/docs/spec.md §1.4–1.6,
§2.2). Code never spells a label; it asks the layout.
"""

from __future__ import annotations

import enum
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any


class FormatVersion(enum.StrEnum):
    """Which national format a report follows (spec.md §2.5)."""

    V2021 = "2021"
    V2019 = "2019"
    PRE2019 = "pre2019"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    parent: str | None = None
    decimal: bool = False
    signed: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    group: str | None = None
    leaf: bool = False


@dataclass(frozen=True)
class SubTable:
    """One sub-table of section 二, captioned by the 第二十条 item it reports."""

    caption: str
    header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SectionSpec:
    number: int
    key: str
    heading: str
    variants: tuple[str, ...]

    @property
    def title(self) -> str:
        """The heading without its numbering: 总体情况."""
        return self.heading.split("、", 1)[1]


@dataclass(frozen=True)
class Layout:
    """Everything a parser, renderer or rule needs to know about one format version."""

    version: FormatVersion
    source: str
    sections: tuple[SectionSpec, ...]
    s1_subsections: tuple[tuple[str, str], ...]
    s1_keywords: tuple[tuple[str, tuple[str, ...]], ...]
    t2_tables: tuple[SubTable, ...]
    t3_caption: str
    t3_note: str
    t3_columns: tuple[Column, ...]
    t3_rows: tuple[Row, ...]
    t4_groups: tuple[Column, ...]
    t4_columns: tuple[Column, ...]

    def __hash__(self) -> int:
        # One layout per version: hashing the version keeps cached look-ups cheap.
        return hash(self.version)

    @property
    def t2_rows(self) -> tuple[tuple[SubTable, Row], ...]:
        return tuple((table, row) for table in self.t2_tables for row in table.rows)

    def t2_table_of(self, row_key: str) -> SubTable:
        for table, row in self.t2_rows:
            if row.key == row_key:
                return table
        raise KeyError(row_key)

    @property
    def t3_leaves(self) -> tuple[Row, ...]:
        return tuple(row for row in self.t3_rows if row.leaf)

    def t3_row(self, key: str) -> Row:
        for row in self.t3_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def t3_groups(self) -> tuple[str, ...]:
        """Merged group labels that carry no numbers, in order of appearance."""
        seen: list[str] = []
        for row in self.t3_rows:
            if row.group and row.group not in seen:
                seen.append(row.group)
        return tuple(seen)

    @property
    def t3_column_keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.t3_columns)

    @property
    def t4_column_keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.t4_columns)


# The official order of the sub-headings (the data file lists them in matching order).
_S1_ORDER = ("proactive", "on_request", "management", "platform", "oversight")


def _load_toml(name: str) -> dict[str, Any]:
    text = resources.files("gongkai.domain.report").joinpath("layouts", name).read_text("utf-8")
    return tomllib.loads(text)


def _columns(items: list[dict[str, Any]]) -> tuple[Column, ...]:
    return tuple(Column(**item) for item in items)


def _rows(items: list[dict[str, Any]]) -> tuple[Row, ...]:
    return tuple(Row(**item) for item in items)


@cache
def layout(version: FormatVersion) -> Layout:
    """The layout of a format version; PRE2019 and UNKNOWN fall back to the 2021 tables."""
    common = _load_toml("common.toml")
    file = "v2019.toml" if version is FormatVersion.V2019 else "v2021.toml"
    own = _load_toml(file)
    return Layout(
        version=version,
        source=own["source"],
        sections=tuple(
            SectionSpec(s["number"], s["key"], s["heading"], tuple(s["variants"]))
            for s in common["sections"]
        ),
        s1_subsections=tuple(
            (s["key"], s["label"])
            for s in sorted(common["s1_subsections"], key=lambda s: _S1_ORDER.index(s["key"]))
        ),
        s1_keywords=tuple((s["key"], tuple(s["keywords"])) for s in common["s1_subsections"]),
        t2_tables=tuple(
            SubTable(t["caption"], t["header"], _columns(t["columns"]), _rows(t["rows"]))
            for t in own["t2"]["tables"]
        ),
        t3_caption=common["t3"]["caption"],
        t3_note=own["t3"]["note"],
        t3_columns=_columns(common["t3"]["columns"]),
        t3_rows=_rows(own["t3"]["rows"]),
        t4_groups=_columns(common["t4"]["groups"]),
        t4_columns=_columns(common["t4"]["columns"]),
    )


# Quotes carry no meaning in a label (危及“三安全一稳定” is also printed without them), and the
# enumeration comma is printed as "、", "." or "．" interchangeably.
_QUOTES = str.maketrans(
    {
        "“": None,
        "”": None,
        "「": None,
        "」": None,
        "‘": None,
        "’": None,
        '"': None,
        "'": None,
        "、": ".",
    }
)


@lru_cache(maxsize=16384)
def normalize_label(text: str) -> str:
    """Normalise a label for matching (spec.md §1.5 "Label normalisation").

    Full/half-width brackets, digits and punctuation are unified by NFKC; quotes are dropped and
    the enumeration comma 、 becomes "."; every kind of whitespace (including line breaks inside a
    cell such as "商业\\n企业") is removed.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return "".join(folded.split())
