"""Periodic statistics (月报 / 季报 / 年度累计) of one organisation, or rolled up for a government,
built from the records by the annual report's own aggregation (`gongkai.reports.tables`):
December's year to date is the annual report's table 三 by construction.

The JSON (`gongkai stats --to x.json`, the frozen PeriodReport) has `org`, `period`, `start`,
`end`, `this_period` and `year_to_date`; each of the two has `t3` in the shape of the report
JSON's `tables.t3` (row keys of spec.md, seven columns) and `t4` likewise, plus the figures of the
local monthly tables (定西: this period and year to date by channel, outcome and 复议/诉讼;
shared/docs/public-and-supervision.md, "Supervision cadence"): how each is computed is in
docs/supervision.md, "Periodic statistics", and the readings in docs/decisions.md SV-stats-*.

Queries: tables 三 and 四 are two grouped queries for all the organisations of a roll-up
(gongkai.reports.tables, the annual report's aggregation); every other figure is one grouped
query for all of them too, so their number grows neither with the applications nor with the
organisations.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendars_for
from gongkai.cases.models import Application, Event
from gongkai.domain.deadline_model import Channel
from gongkai.domain.lifecycle import UNRECEIVED_STATUSES, Action, Status
from gongkai.domain.periods import Period
from gongkai.domain.report.build import COLUMNS6, T4_COLUMNS, T4_GROUPS
from gongkai.domain.report.model import Cells
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.reports.models import Appeal, NormativeDocument, ProactiveItem
from gongkai.reports.tables import tables_of
from gongkai.supervision.access import supervised_organisations

# The steps counted in 补正 / 延期 / 征求意见 / 收费 (条例第三十条、第三十三条第二款、第三十二条和
# 第三十四条、第四十二条): an application counts once per kind when it had such a step in the period.
STEPS: dict[str, Action] = {
    "correction": Action.REQUEST_CORRECTION,
    "extension": Action.EXTEND,
    "consultation": Action.START_CONSULTATION,
    "fee": Action.NOTIFY_FEE,
}
STEP_LABELS = {"correction": "补正", "extension": "延期", "consultation": "征求意见", "fee": "收费"}
APPEAL_LABELS = {"review": "行政复议", "suit_direct": "行政诉讼（直接起诉）",
                 "suit_after_review": "行政诉讼（复议后起诉）"}  # fmt: skip
APPEAL_COLUMN_LABELS = {"upheld": "维持", "corrected": "纠正", "other": "其他",
                        "pending": "尚未审结", "total": "合计"}  # fmt: skip
_EXCLUDED = [Status.VOIDED, *UNRECEIVED_STATUSES]  # as reports.build.counted_applications


@dataclass
class Part:
    """The figures of one organisation (or a roll-up) for one span of days."""

    start: dt.date
    end: dt.date
    t3: dict[str, list[int]]
    t4: dict[str, list[int]]
    new_by_channel: dict[str, int]
    open_at_end: int
    overdue_at_end: int
    concluded_on_time: int
    steps: dict[str, int]
    appeals_filed: dict[str, int]
    proactive: dict[str, int]
    documents: dict[str, int]
    # Working days from receipt to reply of each application concluded in the span; kept so a
    # roll-up takes its median over the pooled cases, not an average of medians.
    reply_workdays: list[int] = field(default_factory=list)

    @property
    def new(self) -> int:
        return self.t3["new"][6]

    @property
    def concluded(self) -> int:
        return self.t3["r_total"][6]

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率 = replied on time ÷ (replied + open and overdue at the end): an overdue case
        not yet replied counts against the rate, as in shared/docs/public-and-supervision.md,
        "Indicators a platform can compute" (docs/decisions.md SV-stats-4)."""
        base = self.concluded + self.overdue_at_end
        return self.concluded_on_time / base if base else None

    def to_json(self) -> dict[str, Any]:
        days = sorted(self.reply_workdays)
        return {
            "t3": self.t3,
            "t4": self.t4,
            "new_by_channel": self.new_by_channel,
            "new_by_applicant": dict(zip(COLUMNS6, self.t3["new"][:6], strict=True)),
            "carry_in": self.t3["carry_in"][6],
            "new": self.new,
            "concluded": self.concluded,
            "carry_out": self.t3["carry_out"][6],
            "open_at_end": self.open_at_end,
            "overdue_at_end": self.overdue_at_end,
            "concluded_on_time": self.concluded_on_time,
            "concluded_late": self.concluded - self.concluded_on_time,
            "on_time_rate": None if self.on_time_rate is None else round(self.on_time_rate, 4),
            "reply_workdays": {
                "count": len(days),
                "median": median(days),
                "p90": percentile(days, 90),
                # Working days → replies: frozen reports can still be pooled for a roll-up.
                "histogram": {str(d): n for d, n in sorted(Counter(days).items())},
            },
            "steps": self.steps,
            "appeals_filed": self.appeals_filed,
            "proactive": self.proactive,
            "documents": self.documents,
        }


def workdays_of(part: dict[str, Any]) -> list[int]:
    """The sorted working days to reply of a part's JSON (a frozen PeriodReport's included)."""
    histogram = part["reply_workdays"]["histogram"]
    return sorted(int(d) for d, n in histogram.items() for _ in range(n))


def median(values: Sequence[int]) -> float | None:
    """The median of sorted `values` (the mean of the two middle ones for an even count)."""
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[int], p: int) -> int | None:
    """The nearest-rank percentile of sorted `values`: the smallest value with at least p % of the
    values at or below it, so the figure is always a case's own number of days."""
    if not values:
        return None
    return values[max(math.ceil(p / 100 * len(values)), 1) - 1]


@dataclass(frozen=True)
class PeriodStatistics:
    organisation: Organisation
    period: Period
    this_period: Part
    year_to_date: Part
    # A roll-up: the organisations summed, each with its own figures; empty for one organisation.
    breakdown: tuple[PeriodStatistics, ...] = ()

    @property
    def is_rollup(self) -> bool:
        return bool(self.breakdown)

    @property
    def title(self) -> str:
        """“宛城区人民政府办公室2026年11月政府信息公开工作统计报表”."""
        suffix = "（汇总）" if self.is_rollup else ""
        return f"{self.organisation.name}{self.period.label}政府信息公开工作统计报表{suffix}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "org": self.organisation.code,
            "org_name": self.organisation.name,
            "period": self.period.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "this_period": self.this_period.to_json(),
            "year_to_date": self.year_to_date.to_json(),
        }
        if self.is_rollup:
            data["rollup"] = True
            data["organisations"] = [
                {
                    "org": part.organisation.code,
                    "org_name": part.organisation.name,
                    "this_period": part.this_period.to_json(),
                    "year_to_date": part.year_to_date.to_json(),
                }
                for part in self.breakdown
            ]
        return data


def period_statistics(*, organisation: Organisation, period: Period) -> PeriodStatistics:
    """The statistics of one organisation for `period` and for its year to date."""
    this_period = parts([organisation], period.start, period.end)[organisation.id]
    year_to_date = parts([organisation], period.year_start, period.end)[organisation.id]
    return PeriodStatistics(organisation, period, this_period, year_to_date)


def rollup_statistics(*, government: Organisation, period: Period) -> PeriodStatistics:
    """The sum over `government` and every organisation below it, with each one's own figures.

    Counts are sums; the median and 90th percentile of working days are over the pooled cases."""
    organisations = supervised_organisations(government)
    this_period = parts(organisations, period.start, period.end)
    year_to_date = parts(organisations, period.year_start, period.end)
    breakdown = tuple(
        PeriodStatistics(org, period, this_period[org.id], year_to_date[org.id])
        for org in organisations
    )
    return PeriodStatistics(
        government,
        period,
        total(list(this_period.values()), period.start, period.end),
        total(list(year_to_date.values()), period.year_start, period.end),
        breakdown,
    )


def total(items: list[Part], start: dt.date, end: dt.date) -> Part:
    """The sum of several organisations' parts for the same span."""

    def add_tables(name: str) -> dict[str, list[int]]:
        keys = getattr(items[0], name).keys()
        return {k: [sum(col) for col in zip(*(getattr(p, name)[k] for p in items), strict=True)]
                for k in keys}  # fmt: skip

    def add_maps(name: str) -> dict[str, int]:
        keys = getattr(items[0], name).keys()
        return {k: sum(getattr(p, name)[k] for p in items) for k in keys}

    return Part(
        start=start,
        end=end,
        t3=add_tables("t3"),
        t4=add_tables("t4"),
        new_by_channel=add_maps("new_by_channel"),
        open_at_end=sum(p.open_at_end for p in items),
        overdue_at_end=sum(p.overdue_at_end for p in items),
        concluded_on_time=sum(p.concluded_on_time for p in items),
        steps=add_maps("steps"),
        appeals_filed=add_maps("appeals_filed"),
        proactive=add_maps("proactive"),
        documents=add_maps("documents"),
        reply_workdays=[d for p in items for d in p.reply_workdays],
    )


# ---------------------------------------------------------------- the figures


def parts(organisations: Sequence[Organisation], start: dt.date, end: dt.date) -> dict[int, Part]:
    """Each organisation's figures for [start, end]."""
    ids = [org.id for org in organisations]
    counted = Application.objects.filter(organisation_id__in=ids).exclude(status__in=_EXCLUDED)
    channels = _grouped(
        counted.filter(received_on__range=(start, end)), "channel", [c.value for c in Channel]
    )
    # Overdue at the period's end: still open at the close of its last day while the reply
    # deadline is that day or earlier (docs/decisions.md SV-stats-1).
    overdue = _count_by_org(
        counted.filter(received_on__lte=end, due_on__lte=end).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)
        )
    )
    replies: defaultdict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    on_time: dict[int, int] = defaultdict(int)
    concluded_rows = counted.filter(concluded_on__range=(start, end)).values_list(
        "organisation_id", "received_on", "concluded_on", "due_on"
    )
    for org_id, received, concluded, due in concluded_rows:
        assert concluded is not None  # filtered on concluded_on
        replies[org_id].append((received, concluded))
        # No recorded deadline (an old ledger import): nothing shows the reply late.
        if due is None or concluded <= due:
            on_time[org_id] += 1
    steps = _steps(counted, start, end)
    appeals = _grouped(
        Appeal.objects.filter(organisation_id__in=ids, filed_on__range=(start, end)),
        "kind",
        list(T4_GROUPS),
    )
    proactive = _proactive(ids, start, end)
    documents = _documents(ids, start, end)
    calendars = calendars_for([org for org in organisations if replies[org.id]])
    result = {}
    # Tables 三 and 四 of every organisation: two GROUP BY queries for the whole roll-up.
    period_tables = tables_of(ids, start, end)
    for org in organisations:
        tables = period_tables[org.id]
        t3 = _counts(tables.t3)
        calendar = calendars.get(org.id)
        result[org.id] = Part(
            start=start,
            end=end,
            t3=t3,
            t4=_counts(tables.t4),
            new_by_channel=channels[org.id],
            open_at_end=t3["carry_out"][6],
            overdue_at_end=overdue.get(org.id, 0),
            concluded_on_time=on_time[org.id],
            steps=steps[org.id],
            appeals_filed=appeals[org.id],
            proactive=proactive[org.id],
            documents=documents[org.id],
            reply_workdays=[calendar.workdays_between(r, c) for r, c in replies[org.id]]
            if calendar
            else [],
        )
    return result


def _grouped(queryset: Any, column: str, keys: list[str]) -> defaultdict[int, dict[str, int]]:
    """{organisation id: {key: count}}, every key present, from one GROUP BY query."""
    counts: defaultdict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for org_id, key, n in (
        queryset.order_by().values("organisation_id", column).annotate(n=Count("id"))
        .values_list("organisation_id", column, "n")
    ):  # fmt: skip
        if key in keys:
            counts[org_id][key] += n
    return counts


def _count_by_org(queryset: Any) -> dict[int, int]:
    return dict(
        queryset.order_by().values("organisation_id").annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )  # fmt: skip


def _steps(counted: Any, start: dt.date, end: dt.date) -> defaultdict[int, dict[str, int]]:
    """Applications with a 补正 / 延期 / 征求意见 / 收费 step dated in the span, per kind."""
    kinds = {action.value: key for key, action in STEPS.items()}
    rows = (
        Event.objects.filter(
            application__in=counted, action__in=list(kinds), date__range=(start, end)
        )
        .order_by()
        .values("application__organisation_id", "action")
        .annotate(n=Count("application_id", distinct=True))
        .values_list("application__organisation_id", "action", "n")
    )
    counts: defaultdict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    for org_id, action, n in rows:
        counts[org_id][kinds[action]] = n
    return counts


def _proactive(ids: list[int], start: dt.date, end: dt.date) -> defaultdict[int, dict[str, int]]:
    """Items published in the span and not withdrawn by its end (docs/decisions.md SV-stats-2)."""
    # The end of the period's last day in the installation's time zone (withdrawn_at is aware).
    end_of_period = timezone.make_aware(
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    )
    rows = (
        ProactiveItem.objects.filter(organisation_id__in=ids, published_on__range=(start, end))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end_of_period))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("id"), n_interpretations=Count("id", filter=Q(is_interpretation=True)))
        .values_list("organisation_id", "n", "n_interpretations")
    )
    counts: defaultdict[int, dict[str, int]] = defaultdict(
        lambda: {"published": 0, "interpretations": 0}
    )
    for org_id, n, interpretations in rows:
        counts[org_id] = {"published": n, "interpretations": interpretations}
    return counts


def _documents(ids: list[int], start: dt.date, end: dt.date) -> defaultdict[int, dict[str, int]]:
    """规章 and 规范性文件 issued and abolished (废止 or 失效) in the span: table 二's 本年制发 and
    本年废止 with the period's bounds (reports.build.t2_documents)."""
    docs = NormativeDocument.objects.filter(organisation_id__in=ids).order_by()
    counts: defaultdict[int, dict[str, int]] = defaultdict(lambda: {"issued": 0, "abolished": 0})
    for column, lookup in (("issued", "issued_on"), ("abolished", "abolished_on")):
        for org_id, n in (
            docs.filter(**{f"{lookup}__range": (start, end)}).values("organisation_id")
            .annotate(n=Count("id")).values_list("organisation_id", "n")
        ):  # fmt: skip
            counts[org_id][column] = n
    return counts


def _counts(table: dict[str, Cells]) -> dict[str, list[int]]:
    return {key: [int(cell.as_number) for cell in cells] for key, cells in table.items()}


# ---------------------------------------------------------------- the months of a year


@dataclass(frozen=True)
class Month:
    number: int
    new: int
    concluded: int
    open_at_end: int


def monthly_trend(organisations: Iterable[Organisation], year: int, last_month: int) -> list[Month]:
    """New, concluded and open at the end of each month from January to `last_month`: three
    grouped queries, for the page's charts. Open at a month's end = open at 1 January + new −
    concluded so far, the identity of table 三 (T3-01) applied month by month."""
    ids = [org.id for org in organisations]
    counted = Application.objects.filter(organisation_id__in=ids).exclude(status__in=_EXCLUDED)
    start, end = dt.date(year, 1, 1), Period.month(year, last_month).end
    new = _by_month(counted.filter(received_on__range=(start, end)), "received_on")
    concluded = _by_month(counted.filter(concluded_on__range=(start, end)), "concluded_on")
    open_now = (
        counted.filter(received_on__lt=start)
        .filter(Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
        .count()
    )
    months = []
    for number in range(1, last_month + 1):
        open_now += new.get(number, 0) - concluded.get(number, 0)
        months.append(Month(number, new.get(number, 0), concluded.get(number, 0), open_now))
    return months


def _by_month(queryset: Any, column: str) -> dict[int, int]:
    return dict(
        queryset.order_by().annotate(m=ExtractMonth(column)).values("m").annotate(n=Count("id"))
        .values_list("m", "n")
    )  # fmt: skip


# ---------------------------------------------------------------- labels for the outputs


def t3_row_labels() -> list[tuple[str, str]]:
    """(key, printed label) of each row of table 三, the group prefixed where a label needs it."""
    rows = []
    for row in layout(FormatVersion.V2021).t3_rows:
        label = row.label
        if row.group and row.group.startswith("（"):
            label = f"{row.group}{row.label}"
        rows.append((row.key, label))
    return rows


def t3_column_labels() -> list[str]:
    return [column.label for column in layout(FormatVersion.V2021).t3_columns]


T4_COLUMN_KEYS = T4_COLUMNS
