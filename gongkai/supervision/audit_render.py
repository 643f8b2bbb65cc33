"""An audited report as the supervisor reads it: the report's own layout (the grids of tables
二/三/四 and the narrative of `gongkai.domain.report.renderers`), every cell a finding touches
highlighted with the numbers of its findings, every section a finding names (雷同 passages, a
missing part) marked, and the findings listed with their rule beside it.

A finding's `where` (spec.md §1.4–1.6) is a cell (`t3.r_open.total`), a row (`t3.r_open`: each of
its cells), a table (`t3`: the table), a section (`s5`, `s1.active`: its heading and text) or a
place outside the tables (`title`, `publication`: listed only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, CellState
from gongkai.domain.report.places import describe_where
from gongkai.domain.report.renderers.document import Heading, Paragraph, Table, build_document
from gongkai.domain.report.renderers.grid import GridCell, Kind
from gongkai.domain.report.renderers.html import title_html
from gongkai.domain.report.rules import get_rule
from gongkai.domain.report.schema import layout

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class ShownFinding:
    number: int  # 1, 2, … as marked in the report
    rule: str
    severity: Severity
    where: str
    message: str
    place: str  # the place in words
    rule_title: str  # what the rule checks (registry), "" for a rule this version does not know
    rule_source: str
    marked: bool  # a cell, row, table or section of the report carries its mark


@dataclass(frozen=True)
class Marks:
    cells: dict[str, list[ShownFinding]]
    tables: dict[str, list[ShownFinding]]
    sections: dict[int, list[ShownFinding]]


def shown_findings(report: AnnualReport | None, findings: list[Finding]) -> list[ShownFinding]:
    lay = layout(report.format) if report is not None else None
    keys = _cell_keys(report)
    shown = []
    for number, finding in enumerate(findings, start=1):
        try:
            rule = get_rule(finding.rule)
            title, source = rule.title, rule.source
        except KeyError:
            title, source = "", ""
        place = describe_where(lay, finding.where) if lay is not None else finding.where
        shown.append(
            ShownFinding(
                number, finding.rule, finding.severity, finding.where, finding.message,
                place, title, source, _is_marked(finding.where, keys, report),
            )
        )  # fmt: skip
    return shown


def _cell_keys(report: AnnualReport | None) -> set[str]:
    if report is None:
        return set()
    return {
        cell.key
        for block in build_document(report).blocks
        if isinstance(block, Table)
        for cell in block.grid.cells
        if cell.key
    }


def _is_marked(where: str, keys: set[str], report: AnnualReport | None) -> bool:
    if report is None:
        return False
    if where in ("t2", "t3", "t4"):
        return any(key.startswith(where + ".") for key in keys)
    if _section_number(where) is not None:
        return any(s.number == _section_number(where) for s in report.sections)
    return where in keys or any(key.startswith(where + ".") for key in keys)


def _section_number(where: str) -> int | None:
    head = where.split(".")[0]
    if len(head) == 2 and head[0] == "s" and head[1].isdigit():
        return int(head[1])
    return None


def marks_of(shown: list[ShownFinding], report: AnnualReport) -> Marks:
    keys = _cell_keys(report)
    cells: dict[str, list[ShownFinding]] = defaultdict(list)
    tables: dict[str, list[ShownFinding]] = defaultdict(list)
    sections: dict[int, list[ShownFinding]] = defaultdict(list)
    for finding in shown:
        where = finding.where
        if where in ("t2", "t3", "t4"):
            tables[where].append(finding)
        elif (number := _section_number(where)) is not None:
            sections[number].append(finding)
        else:
            for key in keys:
                if key == where or key.startswith(where + "."):
                    cells[key].append(finding)
    return Marks(dict(cells), dict(tables), dict(sections))


def render_marked(report: AnnualReport, shown: list[ShownFinding]) -> str:
    """The report as an `<article class="annual-report">` (escaped), findings marked; the
    column widths come from `renderers.html.column_css` in the page's style sheet."""
    marks = marks_of(shown, report)
    document = build_document(report)
    out = ['<article class="annual-report audited">']
    if document.title:
        out.append(f'<h1 class="report-title">{title_html(document.title)}</h1>')
    out.extend(f'<p class="preamble">{escape(line)}</p>' for line in document.preamble)
    section: int | None = None
    for block in document.blocks:
        match block:
            case Heading(text=text, level=1, number=number):
                section = number
                hits = marks.sections.get(number or 0, [])
                out.append(f"<h2{_section_attrs(number, hits)}>{escape(text)}{_refs(hits)}</h2>")
            case Heading(text=text):
                out.append(f"<h3{_marked_class(section, marks)}>{escape(text)}</h3>")
            case Paragraph(text=text):
                out.append(f"<p{_marked_class(section, marks)}>{escape(text)}</p>")
            case Table(grid=grid):
                out.extend(_table(grid.name, grid.rows(), grid.header_rows, len(grid.widths_mm),
                                  marks))  # fmt: skip
    out.append("</article>")
    return "\n".join(out)


def _section_attrs(number: int | None, hits: list[ShownFinding]) -> str:
    anchor = f' id="s{number}"' if number is not None else ""
    return anchor + (f' class="hit {_severity_class(hits)}"' if hits else "")


def _marked_class(section: int | None, marks: Marks) -> str:
    hits = marks.sections.get(section or 0, [])
    return f' class="hit-passage {_severity_class(hits)}"' if hits else ""


def _severity_class(hits: list[ShownFinding]) -> str:
    worst = min((_RANK[h.severity] for h in hits), default=2)
    return f"hit-{list(_RANK)[worst].value}"


def _refs(hits: list[ShownFinding]) -> str:
    links = "".join(
        f'<a href="#f{h.number}" title="{escape(h.rule)} {escape(h.message)}">{h.number}</a>'
        for h in hits
    )
    return f'<sup class="hit-refs">{links}</sup>' if hits else ""


def _table(
    name: str, rows: list[list[GridCell]], header_rows: int, n_cols: int, marks: Marks
) -> list[str]:
    table_hits = marks.tables.get(name, [])
    classes = f"report-table {name}" + (
        f" hit-table {_severity_class(table_hits)}" if table_hits else ""
    )
    out = [f'<table class="{classes}">']
    if table_hits:
        out.append(f'<caption class="hit-caption">{_refs(table_hits)}</caption>')
    out.append("<colgroup>" + "<col>" * n_cols + "</colgroup>")
    out.append("<thead>")
    out.extend(_row(row, marks) for row in rows[:header_rows])
    out.append("</thead><tbody>")
    out.extend(_row(row, marks) for row in rows[header_rows:])
    out.append("</tbody></table>")
    return out


def _row(cells: list[GridCell], marks: Marks) -> str:
    return "<tr>" + "".join(_cell(cell, marks) for cell in cells) + "</tr>"


def _cell(cell: GridCell, marks: Marks) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.kind is not Kind.VALUE:
        return f'<th class="{cell.kind.value}"{attrs}>{escape(cell.text)}</th>'
    key = cell.key or ""
    if cell.state is not None and cell.state is not CellState.VALUE:
        attrs += f' data-state="{cell.state.value}"'
    hits = marks.cells.get(key, [])
    if hits:
        attrs += f' class="hit {_severity_class(hits)}"'
    return f'<td data-key="{escape(key)}"{attrs}>{escape(cell.text)}{_refs(hits)}</td>'
