"""The 考核 scorecard of a government's organisations for a year, computed from the records.

Each indicator of the set (gongkai/domain/data/scorecard.toml, as the government has adjusted it)
is counted from what the offices already record; every deduction lists its evidence — the
applications, appeals, catalogue items, report findings and periodic reports it counts — so that a
supervisor (and the office) can open each one. Readings: docs/decisions.md SV-score-1…4.

- 年度报告: the scorecard of year Y judges the report published in Y, that is the report of Y−1
  (due 31 January / 31 March of Y): what the office did in the 考核 year (SV-score-1).
- 答复超期: a reply concluded in Y after its deadline, or an application still open whose deadline
  fell in Y and has passed (SV-score-2).
- 指南: its state now, so only the current year's scorecard counts it (SV-score-3).
- A report of a year before the government's first records in gongkai is not judged: nothing
  here says whether or when it was published elsewhere (SV-score-4).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendars_for
from gongkai.cases.models import Application
from gongkai.domain.catalogue import Lag
from gongkai.domain.lifecycle import OPEN_STATUSES, UNRECEIVED_STATUSES, Status
from gongkai.domain.periods import Period
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.rules import check_report
from gongkai.domain.scorecard import (
    Deduction,
    Evidence,
    Indicator,
    IndicatorSet,
    Score,
    deduction,
    default_indicators,
)
from gongkai.portal.selectors import guide_alert
from gongkai.reports.checks import (
    check_context,
    deadline_of,
    latest_version,
    previous_report,
    version_report,
)
from gongkai.reports.models import Appeal, PriorReport, ProactiveItem, ReportVersion
from gongkai.supervision.access import supervised_organisations
from gongkai.supervision.calendar import periodic_report_lapses_of
from gongkai.supervision.models import (
    CustomIndicator,
    IndicatorOverride,
    ManualDeduction,
    ReportingRule,
)

_PLACEHOLDER = 987654321  # stands for an id in a reversed URL
COPY_RULES = frozenset(
    {"X-04", "X-05", "D-01"}
)  # 雷同 with last year's report (crossyear.py, copying.py)
TIMING_PREFIX = "P-"  # publication timing: counted by report_late


@dataclass(frozen=True)
class OrganisationScore:
    organisation: Organisation
    score: Score
    rank: int = 0

    @property
    def value(self) -> int:
        return self.score.value

    def points_of(self, key: str) -> int:
        return sum(d.points for d in self.score.deductions if d.indicator.key == key)

    def as_dict(self) -> dict[str, object]:
        return {
            "org": self.organisation.code,
            "name": self.organisation.name,
            "score": self.value,
            "rank": self.rank,
            "deductions": [d.as_dict() for d in self.score.deductions],
        }


@dataclass(frozen=True)
class Scorecard:
    government: Organisation
    year: int
    indicators: IndicatorSet
    rows: tuple[OrganisationScore, ...]

    def row(self, code: str) -> OrganisationScore | None:
        return next((r for r in self.rows if r.organisation.code == code), None)

    def as_dict(self) -> dict[str, object]:
        return {
            "government": self.government.code,
            "year": self.year,
            "base": self.indicators.base,
            "indicators": [
                {"key": i.key, "label": i.label, "points": i.points, "cap": i.cap,
                 "enabled": i.enabled, "source": i.source}
                for i in self.indicators.indicators
            ],
            "organisations": [row.as_dict() for row in self.rows],
        }  # fmt: skip


def indicator_set(government: Organisation) -> IndicatorSet:
    """The default set with the government's changes and its own indicators."""
    overrides = {
        o.key: (o.points, o.cap, o.enabled)
        for o in IndicatorOverride.objects.filter(government=government)
    }
    custom = [
        Indicator(c.key, c.label, c.points, c.cap, "manual", c.source, computed=False)
        for c in CustomIndicator.objects.filter(government=government).order_by("id")
    ]
    return default_indicators().with_overrides(overrides, custom)


def scorecard(*, government: Organisation, year: int, today: dt.date) -> Scorecard:
    indicators = indicator_set(government)
    organisations = supervised_organisations(government)
    evidence = _Evidence(government, organisations, year, today)
    scores = [
        Score(indicators.base, tuple(_deductions(indicators, evidence.of(org))))
        for org in organisations
    ]
    ranks = _ranks([score.value for score in scores])
    rows = tuple(
        OrganisationScore(org, score, rank)
        for org, score, rank in zip(organisations, scores, ranks, strict=True)
    )
    return Scorecard(government, year, indicators, rows)


def _ranks(values: list[int]) -> list[int]:
    """Competition ranking: equal scores share a rank (100, 100, 94 → 1, 1, 3)."""
    return [1 + sum(other > value for other in values) for value in values]


def _deductions(indicators: IndicatorSet, found: dict[str, list[Evidence]]) -> Iterable[Deduction]:
    for indicator in indicators.indicators:
        made = deduction(indicator, found.get(indicator.key, []))
        if made is not None:
            yield made


class _Evidence:
    """The instances of every indicator, per organisation, gathered in a few queries each."""

    def __init__(
        self, government: Organisation, organisations: list[Organisation], year: int, today: dt.date
    ) -> None:
        self.government, self.year, self.today = government, year, today
        self.ids = [org.id for org in organisations]
        self.first_year = _first_year(self.ids)
        self.found: dict[int, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
        self._replies()
        self._appeals()
        self._items(organisations)
        self._periodic(organisations)
        self._manual()
        for org in organisations:
            self._report(org)
            self._guide(org)

    def of(self, organisation: Organisation) -> dict[str, list[Evidence]]:
        return self.found[organisation.id]

    def add(self, org_id: int, key: str, evidence: Evidence) -> None:
        self.found[org_id][key].append(evidence)

    # -- 依申请公开 ------------------------------------------------------------------------------

    def _replies(self) -> None:
        counted = Application.objects.filter(organisation_id__in=self.ids).exclude(
            status__in=[Status.VOIDED, *UNRECEIVED_STATUSES]
        )
        late = Q(concluded_on__year=self.year, due_on__isnull=False, concluded_on__gt=F("due_on"))
        still_open = Q(
            status__in=list(OPEN_STATUSES), due_on__year=self.year, due_on__lt=self.today
        )
        rows = (
            counted.filter(late | still_open)
            .order_by("organisation_id", "due_on", "id")
            .values_list("organisation_id", "id", "tracking_no", "due_on", "concluded_on")
        )
        # One reverse() for all: a government's year can hold a hundred thousand late replies.
        detail = reverse("cases:detail", args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")
        found = self.found
        for org_id, pk, tracking_no, due_on, concluded_on in rows.iterator(chunk_size=5000):
            when = f"{concluded_on}答复" if concluded_on else "至今未答复"
            label = f"{tracking_no}（期限{due_on}，{when}）"
            evidence = Evidence("application", str(pk), label, detail.format(pk))
            found[org_id]["overdue_reply"].append(evidence)

    def _appeals(self) -> None:
        rows = Appeal.objects.filter(
            organisation_id__in=self.ids,
            result=Appeal.Result.CORRECTED,
            decided_on__year=self.year,
        ).select_related("organisation")
        for appeal in rows.order_by("decided_on", "id"):
            url = _register_url(
                appeal.organisation.code, "appeals", self.year, f"appeal-{appeal.pk}"
            )
            label = f"{appeal.get_kind_display()} {appeal.case_number}（{appeal.decided_on}纠正）"
            self.add(
                appeal.organisation_id,
                "appeal_corrected",
                Evidence("appeal", str(appeal.pk), label, url),
            )

    # -- 主动公开 --------------------------------------------------------------------------------

    def _items(self, organisations: list[Organisation]) -> None:
        by_id = {org.id: org for org in organisations}
        items = ProactiveItem.objects.filter(
            organisation_id__in=self.ids, published_on__year=self.year, withdrawn_at__isnull=True
        ).order_by("published_on", "id")
        calendars = calendars_for(organisations)
        for item in items.only(
            "id", "organisation_id", "title", "index_no", "written_on", "published_on"
        ):
            org = by_id[item.organisation_id]
            url = _register_url(org.code, "proactive", self.year, f"item-{item.pk}")
            if not item.index_no.strip():
                label = f"{item.title}（{item.published_on}发布，无索引号）"
                self.add(org.id, "item_no_index", Evidence("item", str(item.pk), label, url))
            if item.written_on is None:
                continue
            lag = Lag(calendars[org.id].workdays_between(item.written_on, item.published_on))
            if lag.exceeded or item.published_on < item.written_on:
                label = f"{item.title}（成文{item.written_on}，发布{item.published_on}，{lag.workdays}个工作日）"
                self.add(org.id, "item_late", Evidence("item", str(item.pk), label, url))

    # -- 年度报告 --------------------------------------------------------------------------------

    def _report(self, org: Organisation) -> None:
        report_year = self.year - 1
        if self.first_year is None or report_year < self.first_year:
            return  # before the government's records began here (SV-score-4)
        due = deadline_of(org, report_year).due
        url = reverse("reports:report", args=[org.code, report_year])
        first = ReportVersion.objects.filter(organisation=org, year=report_year, number=1).first()
        if first is None:
            if PriorReport.objects.filter(organisation=org, year=report_year).exists():
                return  # published before gongkai, its copy uploaded: when is not known here
            if due < min(self.today, dt.date(self.year, 12, 31)):
                label = f"{report_year}年度报告应于{due}前发布，至今未发布"
                self.add(
                    org.id,
                    "report_late",
                    Evidence("report", f"{org.code}-{report_year}", label, url),
                )
            return
        if first.published_on > due:
            label = f"{report_year}年度报告应于{due}前发布，{first.published_on}发布"
            self.add(
                org.id, "report_late", Evidence("report", f"{org.code}-{report_year}", label, url)
            )
        for finding in _published_findings(org, report_year):
            evidence = Evidence("finding", finding.rule, f"{finding.rule} {finding.message}", url)
            if finding.rule in COPY_RULES:
                self.add(org.id, "report_copied", evidence)
            elif finding.severity is Severity.ERROR and not finding.rule.startswith(TIMING_PREFIX):
                self.add(org.id, "report_errors", evidence)

    def _guide(self, org: Organisation) -> None:
        if self.year != self.today.year:
            return  # the 指南's state is today's: it says nothing of past years (SV-score-3)
        alert = guide_alert(org)
        if alert is None:
            return
        what = (
            "从未发布指南" if alert.guide is None else f"指南发布后{'、'.join(alert.changed)}已变更"
        )
        url = reverse("portal:guide", args=[org.code])
        self.add(org.id, "guide_stale", Evidence("guide", org.code, what, url))

    # -- 定期报表 --------------------------------------------------------------------------------

    def _periodic(self, organisations: list[Organisation]) -> None:
        """Late and missing 月报/季报: the reporting calendar's own reading of them
        (supervision.calendar.periodic_report_lapses_of), so that the roll-up and the score agree."""
        lapses = periodic_report_lapses_of(organisations, self.year, self.today)
        kinds = dict(ReportingRule.Kind.choices)
        for org in organisations:
            for lapse in lapses.get(org.id, []):
                period = Period.parse(lapse.period)
                url = reverse("supervision:stats", args=[org.code]) + f"?period={lapse.period}"
                name = f"{period.label}{kinds.get(lapse.kind, '')}应于{lapse.due_on}前报送"
                if lapse.status == "missing":
                    evidence = Evidence("period_report", lapse.period, f"{name}，未报送", url)
                    self.add(org.id, "periodic_missing", evidence)
                elif lapse.report is not None:
                    submitted = timezone.localtime(lapse.report.submitted_at).date()
                    evidence = Evidence(
                        "period_report", lapse.period, f"{name}，{submitted}报送", url
                    )
                    self.add(org.id, "periodic_late", evidence)

    # -- 人工记录 --------------------------------------------------------------------------------

    def _manual(self) -> None:
        rows = ManualDeduction.objects.filter(
            government=self.government, organisation_id__in=self.ids, year=self.year
        ).order_by("recorded_at", "id")
        for row in rows:
            label = f"{row.note}（{row.recorded_by_name}记录）"
            self.add(
                row.organisation_id,
                row.key,
                Evidence("manual", str(row.pk), label, row.evidence_url),
            )


def _first_year(ids: list[int]) -> int | None:
    """The first year the organisations have records of in gongkai: applications received,
    reports published, catalogue items."""
    years = [
        Application.objects.filter(organisation_id__in=ids).aggregate(y=Min("received_on"))["y"],
        ProactiveItem.objects.filter(organisation_id__in=ids).aggregate(y=Min("published_on"))["y"],
    ]
    version = ReportVersion.objects.filter(organisation_id__in=ids).aggregate(y=Min("year"))["y"]
    found = [d.year for d in years if d is not None] + ([version] if version else [])
    return min(found) if found else None


def _register_url(code: str, register: str, year: int, anchor: str) -> str:
    """The register's list for the year (readable by the supervisor), at the record's row."""
    return f"{reverse('reports:register_list', args=[code, register])}?year={year}#{anchor}"


def _published_findings(org: Organisation, year: int) -> list[Finding]:
    """The rule engine on the report as published (its latest version), against last year's."""
    version = latest_version(org, year)
    if version is None:
        return []
    return check_report(
        version_report(version), previous_report(org, year), context=check_context(org)
    )
