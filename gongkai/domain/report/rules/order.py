"""Document order of findings: where in the report a reader meets the place a finding names."""

from __future__ import annotations

from collections.abc import Callable

from gongkai.domain.report.findings import Finding
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules.registry import rule_order
from gongkai.domain.report.schema import Layout, layout

OrderKey = tuple[int, int, int, int, tuple[int, int], str, str]

# Front matter first, then each section with its table after its heading.
_PLACES = {"report": (0, 0), "title": (0, 1), "preamble": (0, 2)}
_PLACES.update({f"s{n}": (n, 0) for n in range(1, 7)})
_PLACES.update({"t2": (2, 1), "t3": (3, 1), "t4": (4, 1)})
_LAST = 10_000


def _row_and_column(lay: Layout, table: str, row: str, column: str) -> tuple[int, int]:
    """Indexes in the official layout; the table-level place (S-03) sorts before its rows."""
    if table == "t2":
        rows = [r.key for _, r in lay.t2_rows]
        columns = [c.key for t in lay.t2_tables for c in t.columns]
    elif table == "t3":
        rows, columns = [r.key for r in lay.t3_rows], list(lay.t3_column_keys)
    else:
        rows, columns = [g.key for g in lay.t4_groups], list(lay.t4_column_keys)
    row_index = -1 if not row else rows.index(row) if row in rows else _LAST
    column_index = -1 if not column else columns.index(column) if column in columns else _LAST
    return row_index, column_index


def document_order(report: AnnualReport) -> Callable[[Finding], OrderKey]:
    """A sort key for findings of `report`: place in the document, then rule id, then text."""
    lay = layout(report.format)

    def key(finding: Finding) -> OrderKey:
        table, _, rest = finding.where.partition(".")
        row, _, column = rest.partition(".")
        section, sub = _PLACES.get(table, (_LAST, 0))
        row_index, column_index = (
            _row_and_column(lay, table, row, column) if table in ("t2", "t3", "t4") else (0, 0)
        )
        return (
            section,
            sub,
            row_index,
            column_index,
            rule_order(finding.rule),
            finding.where,
            finding.message,
        )

    return key
