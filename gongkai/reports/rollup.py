"""The roll-up of a government's annual reports (issue 5): every organisation below it with its
report's state, check results, publication against the deadline and key figures, and the
aggregate (汇总) report of all of them.

A published report is read from its latest frozen version (what the public sees); a report not
yet published from the records as they stand now, with its saved narrative (`checks`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.db.models import Count, Max, Min

from gongkai.accounts.models import Organisation
from gongkai.domain.report.aggregate import aggregate
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.model import AnnualReport, Cells, ParseNote
from gongkai.domain.report.publication import Deadline, days_left
from gongkai.reports.checks import (
    current_report,
    deadline_of,
    latest_version,
    pre_publish,
    version_report,
)
from gongkai.reports.models import ReportDraft, ReportVersion
from gongkai.reports.selectors import ReportState, state_of

# The deadline has its own column (逾期/剩余); counting P-01…P-06 among the errors as well would
# count lateness twice, and P-04 would mark every report of a year that has not ended.
_TIMING_RULE_PREFIX = "P-"
_SOON_DAYS = 7


@dataclass(frozen=True)
class KeyFigures:
    """The figures a supervising office compares first: table 三 totals and table 四 totals."""

    new: int = 0  # 一、本年新收
    carry_in: int = 0  # 二、上年结转
    answered: int = 0  # 三（七）总计: 办结
    carry_out: int = 0  # 四、结转下年度继续办理
    reviews: int = 0  # 行政复议总计
    suits: int = 0  # 行政诉讼总计 (未经复议直接起诉 + 复议后起诉)

    LABELS = ("新收申请", "上年结转", "办结", "结转下年度", "行政复议", "行政诉讼")

    @classmethod
    def of(cls, report: AnnualReport) -> KeyFigures:
        t3, t4 = report.t3, report.t4
        return cls(
            new=_total(t3, "new"),
            carry_in=_total(t3, "carry_in"),
            answered=_total(t3, "r_total"),
            carry_out=_total(t3, "carry_out"),
            reviews=_total(t4, "review"),
            suits=_total(t4, "suit_direct") + _total(t4, "suit_after_review"),
        )

    def values(self) -> tuple[int, ...]:
        return (self.new, self.carry_in, self.answered, self.carry_out, self.reviews, self.suits)

    def __add__(self, other: KeyFigures) -> KeyFigures:
        return KeyFigures(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))


def _total(table: Mapping[str, Cells], key: str) -> int:
    cells = table.get(key)
    return int(cells[-1].as_number) if cells else 0


@dataclass(frozen=True)
class Timing:
    """Publication against the deadline: 剩余N天 / 今日截止 / 逾期N天, or 按时发布 / 逾期N天发布."""

    text: str
    urgency: str = ""  # "overdue" | "soon" | "": the CSS classes of the case screens

    @property
    def late(self) -> bool:
        return self.urgency == "overdue"


def timing(due: Deadline, first_published_on: dt.date | None, today: dt.date) -> Timing:
    if first_published_on is not None:
        late = (first_published_on - due.due).days
        return Timing(f"逾期{late}天发布", "overdue") if late > 0 else Timing("按时发布")
    left = days_left(due, today)
    if left < 0:
        return Timing(f"逾期{-left}天", "overdue")
    if left == 0:
        return Timing("今日截止", "soon")
    return Timing(f"剩余{left}天", "soon" if left <= _SOON_DAYS else "")


@dataclass(frozen=True)
class RollupRow:
    organisation: Organisation
    depth: int  # 0 for the government, 1 for the organisations directly below it …
    state: ReportState
    version: int | None  # number of the latest published version
    first_published_on: dt.date | None
    deadline: Deadline
    timing: Timing
    errors: int
    warnings: int
    report: AnnualReport  # the published version's, else the current one
    figures: KeyFigures

    @property
    def indent(self) -> int:
        """The depth as the page indents it: three steps at most."""
        return min(self.depth, 3)

    @property
    def is_published(self) -> bool:
        return self.version is not None

    @property
    def source(self) -> str:
        """Where the row's figures come from, in words."""
        if self.version is None:
            return "未发布，采用当前数据"
        return f"已发布第{self.version}版"


@dataclass(frozen=True)
class Rollup:
    government: Organisation
    year: int
    today: dt.date
    rows: tuple[RollupRow, ...]

    @property
    def totals(self) -> KeyFigures:
        return sum((row.figures for row in self.rows), KeyFigures())

    @property
    def errors(self) -> int:
        return sum(row.errors for row in self.rows)

    @property
    def warnings(self) -> int:
        return sum(row.warnings for row in self.rows)

    @property
    def published(self) -> int:
        return sum(row.is_published for row in self.rows)

    @property
    def late(self) -> int:
        return sum(row.timing.late for row in self.rows)


def rollup(government: Organisation, year: int, today: dt.date) -> Rollup:
    """The government itself first, then every organisation below it, depth first by code."""
    tree = list(subtree(government))
    ids = [organisation.pk for organisation, _ in tree]
    versions = _version_summaries(ids, year)
    drafts = set(
        ReportDraft.objects.filter(organisation_id__in=ids, year=year).values_list(
            "organisation_id", flat=True
        )
    )
    rows = tuple(
        _row(organisation, depth, year, today, versions.get(organisation.pk), drafts)
        for organisation, depth in tree
    )
    return Rollup(government, year, today, rows)


def subtree(government: Organisation) -> Iterator[tuple[Organisation, int]]:
    """`government` and all organisations below it with their depth, each level by code."""
    children: dict[int, list[Organisation]] = {}
    for organisation in Organisation.objects.exclude(parent=None).order_by("code"):
        assert organisation.parent_id is not None
        children.setdefault(organisation.parent_id, []).append(organisation)
    stack = [(government, 0)]
    seen: set[int] = set()
    while stack:
        organisation, depth = stack.pop()
        if organisation.pk in seen:  # a cycle in bad data must not loop forever
            continue
        seen.add(organisation.pk)
        yield organisation, depth
        stack.extend((child, depth + 1) for child in reversed(children.get(organisation.pk, [])))


@dataclass(frozen=True)
class _Versions:
    count: int
    first_published_on: dt.date
    latest: int


def _version_summaries(ids: Iterable[int], year: int) -> dict[int, _Versions]:
    rows = (
        ReportVersion.objects.filter(organisation_id__in=list(ids), year=year)
        .values("organisation_id")
        .annotate(count=Count("id"), first=Min("published_on"), latest=Max("number"))
    )
    return {r["organisation_id"]: _Versions(r["count"], r["first"], r["latest"]) for r in rows}


def _row(
    organisation: Organisation,
    depth: int,
    year: int,
    today: dt.date,
    versions: _Versions | None,
    drafts: set[int],
) -> RollupRow:
    due = deadline_of(organisation, year)
    if versions is None:
        built = current_report(organisation, year)
        check = pre_publish(organisation, year, today, built)
        errors, warnings = _counts(f.severity.value for f in check.findings if _counted(f.rule))
        state = state_of(0, organisation.pk in drafts)
        report, first = built.report, None
    else:
        version = latest_version(organisation, year)
        assert version is not None
        errors, warnings = _stored_counts(version)
        state = state_of(versions.count, drafted=False)
        report, first = version_report(version), versions.first_published_on
    return RollupRow(
        organisation=organisation,
        depth=depth,
        state=state,
        version=versions.latest if versions else None,
        first_published_on=first,
        deadline=due,
        timing=timing(due, first, today),
        errors=errors,
        warnings=warnings,
        report=report,
        figures=KeyFigures.of(report),
    )


def _counted(rule: str) -> bool:
    return not rule.startswith(_TIMING_RULE_PREFIX)


def _counts(severities: Iterable[str]) -> tuple[int, int]:
    found = list(severities)
    return found.count(Severity.ERROR.value), found.count(Severity.WARNING.value)


def _stored_counts(version: ReportVersion) -> tuple[int, int]:
    """Errors and warnings of the check stored with the version when it was published."""
    findings = version.findings if isinstance(version.findings, list) else []
    return _counts(
        str(f.get("severity", ""))
        for f in findings
        if isinstance(f, dict) and _counted(str(f.get("rule", "")))
    )


# ---------------------------------------------------------------- the aggregate report


@dataclass(frozen=True)
class AggregateSource:
    organisation: Organisation
    version: ReportVersion | None  # None: not published, the current data was used

    @property
    def text(self) -> str:
        if self.version is None:
            return f"{self.organisation.name}：尚未发布，采用本系统当前数据"
        return (
            f"{self.organisation.name}：已发布的第{self.version.number}版"
            f"（{self.version.published_on.isoformat()}发布）"
        )


@dataclass(frozen=True)
class Aggregate:
    report: AnnualReport
    sources: tuple[AggregateSource, ...]

    @property
    def provisional(self) -> bool:
        """Some figures are not yet published and may still change."""
        return any(source.version is None for source in self.sources)


def aggregate_report(government: Organisation, year: int) -> Aggregate:
    """Tables 二/三/四 of the government and every organisation below it, summed.

    Raises `AggregateError` (a ValueError with a Chinese message) when a report cannot be
    added, e.g. a published version with a cell that is not a number."""
    sources: list[AggregateSource] = []
    reports: list[AnnualReport] = []
    for organisation, _depth in subtree(government):
        version = latest_version(organisation, year)
        sources.append(AggregateSource(organisation, version))
        if version is not None:
            reports.append(version_report(version))
        else:
            reports.append(current_report(organisation, year).report)
    summed = aggregate(reports, agency=government.name, year=year)
    return Aggregate(_with_sources(summed, sources), tuple(sources))


def _with_sources(report: AnnualReport, sources: list[AggregateSource]) -> AnnualReport:
    """Say in the report itself which figures are published and which are provisional: in
    section 六, which readers of the document see, and in the notes of its JSON form."""
    listing = "；".join(source.text for source in sources)
    note = f"数据来源：{listing}。"
    sections = tuple(
        dataclasses.replace(s, text=f"{s.text}\n{note}".strip()) if s.number == 6 else s
        for s in report.sections
    )
    notes = tuple(ParseNote(source.text) for source in sources)
    return dataclasses.replace(report, sections=sections, notes=(*report.notes, *notes))


__all__ = [
    "Aggregate",
    "AggregateSource",
    "KeyFigures",
    "ReportState",
    "Rollup",
    "RollupRow",
    "Timing",
    "aggregate_report",
    "rollup",
    "subtree",
    "timing",
]
