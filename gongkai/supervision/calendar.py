"""The reporting calendar (issue 12 part 2): a government's rules (which periodic reports its
organisations submit, and by which day), an organisation's submission — its statistics frozen as
they stand — and the supervisor's roll-up of who submitted on time, late or not at all.

Sources: 六安 (monthly, by the 10th of the next month), 宣城 (quarterly, by the 12th of January,
April, July and October); shared/docs/public-and-supervision.md, "Supervision cadence". The readings
this module makes are docs/decisions.md SV-calendar2-1…4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from gongkai.accounts.access import User as AnyUser
from gongkai.accounts.access import roles_in
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership, Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import user_display_name
from gongkai.domain.lifecycle import Role
from gongkai.domain.periods import Period, PeriodError, PeriodKind
from gongkai.domain.report_calendar import (
    ReportStatus,
    ended_periods,
    is_required,
    status_of,
)
from gongkai.supervision.access import supervised_organisations, supervised_roots
from gongkai.supervision.models import PeriodReport, ReportingRule
from gongkai.supervision.stats import period_statistics

ACTING_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.ADMIN})


# -- rules ----------------------------------------------------------------------------------------


@transaction.atomic
def reporting_rule_save(
    *,
    by: User,
    government: Organisation,
    kind: str,
    due_day: int,
    starts_on: dt.date,
    include_government: bool = False,
    active: bool = True,
) -> ReportingRule:
    """Create or change `government`'s rule of one kind (one rule per kind and government)."""
    if not supervised_roots(by).filter(pk=government.pk).exists():
        raise ServiceError("只有本级政务公开监督人员可以设置报送规则", kind="forbidden")
    if kind not in ReportingRule.Kind.values:
        raise ServiceError("报表类型应为月报或季报", field="kind")
    if not isinstance(due_day, int) or not 1 <= due_day <= 28:
        # 28: every month has the day, so "the 10th of the next month" never needs clamping.
        raise ServiceError("报送截止日应为次月1日至28日", field="due_day")
    if not isinstance(starts_on, dt.date):
        raise ServiceError("请填写起始日期", field="starts_on")
    rule, created = ReportingRule.objects.update_or_create(
        government=government,
        kind=kind,
        defaults={
            "due_day": due_day,
            "starts_on": starts_on,
            "include_government": include_government,
            "active": active,
        },
    )
    audit_record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        user=by,
        obj=rule,
        organisation=government.code,
        detail={
            "kind": kind,
            "due_day": due_day,
            "starts_on": starts_on.isoformat(),
            "include_government": include_government,
            "active": active,
        },
    )
    return rule


class Requirement(NamedTuple):
    period: Period
    rule: ReportingRule
    due_on: dt.date


def _chain(org_id: int, parents: dict[int, int | None]) -> list[int]:
    """The ids of the organisations above `org_id`, nearest first."""
    found: list[int] = []
    current = parents.get(org_id)
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return found


def _applies(rule: ReportingRule, org_id: int, above: list[int]) -> bool:
    """A government's rule binds the organisations below it, and the government itself when the
    rule says so."""
    return rule.government_id in above or (rule.government_id == org_id and rule.include_government)


def rules_for(organisation: Organisation) -> list[ReportingRule]:
    """The active rules `organisation` reports under."""
    above = _chain(organisation.id, _parents())
    rules = ReportingRule.objects.filter(
        active=True, government_id__in=[*above, organisation.id]
    ).order_by("kind", "government_id")
    return [rule for rule in rules if _applies(rule, organisation.id, above)]


def _parents() -> dict[int, int | None]:
    return dict(Organisation.objects.values_list("id", "parent_id"))


def _requirements(rules: Iterable[ReportingRule], today: dt.date) -> list[Requirement]:
    """The periods the rules require that have ended before `today`; a period two governments
    up the tree both ask for is one report, due on the earlier day."""
    found: dict[str, Requirement] = {}
    for rule in rules:
        for period in ended_periods(rule.period_kind, rule.starts_on, today):
            due_on = period.due_on(rule.due_day)
            known = found.get(period.code)
            if known is None or due_on < known.due_on:
                found[period.code] = Requirement(period, rule, due_on)
    return sorted(found.values(), key=lambda r: (r.due_on, r.period.code))


def submitted_on(report: PeriodReport) -> dt.date:
    """The local (Asia/Shanghai) day of the submission: what "by the 10th" is measured in."""
    return timezone.localtime(report.submitted_at).date()


# -- submission -----------------------------------------------------------------------------------


@transaction.atomic
def period_report_submit(
    *,
    by: User,
    organisation: Organisation,
    period: str | Period,
    now: dt.datetime | None = None,
) -> PeriodReport:
    """Freeze `organisation`'s statistics of `period` as its submitted report. Once only: a
    submitted report is what the supervisor received (SV-calendar2-3)."""
    if not roles_in(by, organisation) & ACTING_ROLES:
        raise ServiceError("只有本机构的经办人、审核人或管理员可以报送定期报表", kind="forbidden")
    if isinstance(period, str):
        try:
            period = Period.parse(period)
        except PeriodError as exc:
            raise ServiceError(str(exc), field="period") from exc
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if period.end >= today:
        raise ServiceError(
            f"{period.label}尚未结束，期满后（{period.end + dt.timedelta(days=1)}起）方可报送",
            field="period",
        )
    rule = next(
        (
            rule
            for rule in rules_for(organisation)
            if is_required(period, rule.period_kind, rule.starts_on)
        ),
        None,
    )
    if rule is None:
        raise ServiceError(f"本机构无需报送{period.label}的报表（上级未要求）", field="period")
    existing = PeriodReport.objects.filter(organisation=organisation, period=period.code).first()
    if existing is not None:
        raise ServiceError(_already(existing), kind="conflict", field="period")
    data = period_statistics(organisation=organisation, period=period).to_json()
    try:
        with transaction.atomic():
            report = PeriodReport.objects.create(
                organisation=organisation,
                period=period.code,
                kind=rule.kind,
                due_on=period.due_on(rule.due_day),
                submitted_at=now,
                submitted_by=by,
                submitted_by_name=user_display_name(by),
                data=data,
            )
    except IntegrityError:
        # Two submissions at once: the other one won.
        existing = PeriodReport.objects.get(organisation=organisation, period=period.code)
        raise ServiceError(_already(existing), kind="conflict", field="period") from None
    audit_record(
        AuditAction.CREATE,
        user=by,
        obj=report,
        organisation=organisation.code,
        detail={"period": period.code, "due_on": report.due_on.isoformat()},
    )
    return report


def _already(report: PeriodReport) -> str:
    when = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
    who = report.submitted_by_name or "（已删除的用户）"
    return (
        f"{report.organisation.name}{Period.parse(report.period).label}的报表已于{when}由{who}"
        "报送，不能重复报送；报送的数据已冻结，如有错误请联系政务公开监督人员"
    )


# -- what stands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    """One organisation's report of one period: when due, and what happened."""

    organisation: Organisation
    period: Period
    due_on: dt.date
    status: ReportStatus
    report: PeriodReport | None

    @property
    def submitted_on(self) -> dt.date | None:
        return submitted_on(self.report) if self.report is not None else None


def _row(
    req: Requirement, org: Organisation, report: PeriodReport | None, today: dt.date
) -> PeriodRow:
    # A submitted report keeps the due day it was submitted against: a rule changed later does
    # not turn an on-time report late (SV-calendar2-2).
    due_on = report.due_on if report is not None else req.due_on
    status = status_of(
        due_on=due_on,
        submitted_on=submitted_on(report) if report is not None else None,
        today=today,
    )
    return PeriodRow(org, req.period, due_on, status, report)


def organisation_periods(organisation: Organisation, today: dt.date) -> list[PeriodRow]:
    """Every period `organisation` has had to report since its rules began, newest first."""
    return periods_of([organisation], today, parents=_parents())[organisation.id]


def periods_of(
    organisations: Sequence[Organisation],
    today: dt.date,
    *,
    parents: dict[int, int | None],
) -> dict[int, list[PeriodRow]]:
    """`organisation_periods` of many organisations in two queries (rules, reports);
    `parents` maps every organisation's id to its parent's."""
    chains = {org.id: _chain(org.id, parents) for org in organisations}
    wanted = {i for chain in chains.values() for i in chain} | set(chains)
    rules = list(
        ReportingRule.objects.filter(active=True, government_id__in=wanted).order_by(
            "kind", "government_id"
        )
    )
    reqs = {
        org.id: _requirements([r for r in rules if _applies(r, org.id, chains[org.id])], today)
        for org in organisations
    }
    codes = {q.period.code for found in reqs.values() for q in found}
    reports: dict[tuple[int, str], PeriodReport] = {}
    if codes:
        for report in PeriodReport.objects.filter(
            organisation_id__in=[org_id for org_id, found in reqs.items() if found],
            period__in=codes,
        ):
            reports[(report.organisation_id, report.period)] = report
    result: dict[int, list[PeriodRow]] = {}
    for org in organisations:
        rows = [_row(q, org, reports.get((org.id, q.period.code)), today) for q in reqs[org.id]]
        result[org.id] = sorted(rows, key=lambda row: (row.due_on, row.period.code), reverse=True)
    return result


class Lapse(NamedTuple):
    """A periodic report late or missing, for the 考核 scorecard."""

    period: str  # Period.code
    kind: str  # ReportingRule.Kind value
    due_on: dt.date
    status: str  # "late" | "missing"
    report: PeriodReport | None  # the late report; None when missing


def periodic_report_lapses(organisation: Organisation, year: int, today: dt.date) -> list[Lapse]:
    """The periods of `year` `organisation` reported late (submitted on a local day after the
    due day) or not at all (the period ended, its due day passed, no report), oldest first."""
    return _lapses(organisation_periods(organisation, today), year)


def periodic_report_lapses_of(
    organisations: Sequence[Organisation], year: int, today: dt.date
) -> dict[int, list[Lapse]]:
    """`periodic_report_lapses` of many organisations (by id) in three queries."""
    found = periods_of(organisations, today, parents=_parents())
    return {org_id: _lapses(rows, year) for org_id, rows in found.items()}


def _lapses(rows: list[PeriodRow], year: int) -> list[Lapse]:
    lapses: list[Lapse] = []
    for row in reversed(rows):
        if row.period.year != year:
            continue
        kind = row.period.kind.value
        if row.status is ReportStatus.LATE:
            lapses.append(Lapse(row.period.code, kind, row.due_on, "late", row.report))
        elif row.status is ReportStatus.MISSING:
            lapses.append(Lapse(row.period.code, kind, row.due_on, "missing", None))
    return lapses


@dataclass(frozen=True)
class Rollup:
    government: Organisation
    rule: ReportingRule | None
    period: Period
    due_on: dt.date | None
    rows: list[PeriodRow]

    @property
    def counts(self) -> dict[ReportStatus, int]:
        counts = dict.fromkeys(ReportStatus, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def count_items(self) -> list[tuple[ReportStatus, int]]:
        return [(s, n) for s, n in self.counts.items() if s is not ReportStatus.NOT_REQUIRED or n]


def calendar_rollup(government: Organisation, kind: str, period: Period, today: dt.date) -> Rollup:
    """Per organisation of `government`'s subtree (the government itself only when its rule says
    so): on time / late / missing / not yet due, with who submitted and when."""
    rule = ReportingRule.objects.filter(government=government, kind=kind).first()
    orgs = [
        org
        for org in supervised_organisations(government)
        if org.id != government.id or (rule is not None and rule.include_government)
    ]
    reports = {
        r.organisation_id: r
        for r in PeriodReport.objects.filter(
            period=period.code, organisation_id__in=[o.id for o in orgs]
        ).select_related("organisation")
    }
    required = (
        rule is not None and rule.active and is_required(period, rule.period_kind, rule.starts_on)
    )
    due_on = period.due_on(rule.due_day) if rule is not None else None
    rows: list[PeriodRow] = []
    for org in orgs:
        report = reports.get(org.id)
        if due_on is None or (not required and report is None):
            rows.append(
                PeriodRow(org, period, due_on or period.end, ReportStatus.NOT_REQUIRED, report)
            )
            continue
        req = Requirement(period, rule, due_on)  # type: ignore[arg-type]
        rows.append(_row(req, org, report, today))
    return Rollup(government, rule, period, due_on, rows)


def rollup_periods(rule: ReportingRule, today: dt.date) -> list[Period]:
    """The periods the supervisor can pick: those required and ended, newest first, plus the
    current one (not yet due)."""
    ended = ended_periods(rule.period_kind, rule.starts_on, today)
    current = Period.containing(rule.period_kind, today)
    return (
        [current, *reversed(ended)]
        if is_required(current, rule.period_kind, rule.starts_on)
        else list(reversed(ended))
    )


def default_period(rule: ReportingRule | None, kind: PeriodKind, today: dt.date) -> Period:
    """The period a supervisor most likely looks at: the latest whose due day has passed (its
    statuses are final); without a rule, the last that has ended."""
    period = Period.containing(kind, today).previous()
    if rule is not None:
        while period.due_on(rule.due_day) >= today:
            period = period.previous()
    return period


@dataclass(frozen=True)
class Summary:
    """The 监督保障 home card: one rule's latest due period, counted."""

    rule: ReportingRule
    rollup: Rollup


def calendar_summaries(government: Organisation, today: dt.date) -> list[Summary]:
    rules = ReportingRule.objects.filter(government=government, active=True).order_by("kind")
    return [
        Summary(
            rule,
            calendar_rollup(
                government, rule.kind, default_period(rule, rule.period_kind, today), today
            ),
        )
        for rule in rules
    ]


def due_period_reports(user: AnyUser, today: dt.date, *, within_days: int = 30) -> list[PeriodRow]:
    """For the 工作台: the periods the user's organisations have to submit — ended, not yet
    submitted, and either due within `within_days` or overdue (up to a year back). Two queries
    (the organisations with the user's flag, the rules) and one more when a report is due."""
    if not user.is_authenticated:
        return []
    mine = Membership.objects.filter(
        user=user, role__in=list(ACTING_ROLES), organisation=OuterRef("pk")
    )
    everything = list(Organisation.objects.annotate(mine=Exists(mine)))
    orgs = [org for org in everything if org.mine]
    if not orgs:
        return []
    parents = {org.id: org.parent_id for org in everything}
    earliest = today - dt.timedelta(days=366)
    latest = today + dt.timedelta(days=within_days)
    rows = [
        row
        for found in periods_of(orgs, today, parents=parents).values()
        for row in found
        if row.report is None and earliest <= row.due_on <= latest
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.organisation.code))
