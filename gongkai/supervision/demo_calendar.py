"""The reporting calendar's demo: 宛城区 asks its organisations for a monthly report by the 10th
and a quarterly one by the 12th; of the latest month already due, the office submitted on time,
the finance bureau late and the township not at all; then the reminders of today.

Dates are relative to `today` so the demo ages well. Idempotent: rules are saved only when they
differ, reports only when not yet submitted, reminders are unique per user and event."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.domain.periods import Period, PeriodKind
from gongkai.supervision.calendar import period_report_submit, reporting_rule_save
from gongkai.supervision.inbox import notify
from gongkai.supervision.models import PeriodReport, ReportingRule

MONTH_DUE_DAY = 10  # 六安: 次月10日前
QUARTER_DUE_DAY = 12  # 宣城: 1、4、7、10月12日前


def demo_month(today: dt.date) -> Period:
    """The latest month whose report's due day has passed."""
    period = Period.containing(PeriodKind.MONTH, today).previous()
    while period.due_on(MONTH_DUE_DAY) >= today:
        period = period.previous()
    return period


def load_calendar_demo(today: dt.date | None = None) -> bool:
    """False when the demo organisations or users are missing (load the cases' demo first)."""
    today = today or timezone.localdate()
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["WCQ", "WCBGS", "WCCZJ"])}
    users = {
        u.username: u for u in User.objects.filter(username__in=["supervisor", "clerk", "caizheng"])
    }
    if len(orgs) < 3 or len(users) < 3:
        return False
    month = demo_month(today)
    # The monthly rule began two months before the demo month; the quarterly one with the quarter
    # containing it ("a few months back"), so that old periods do not all stand missing.
    quarter = Period.containing(PeriodKind.QUARTER, month.start)
    starts = {
        ReportingRule.Kind.MONTH: month.previous().previous().start,
        ReportingRule.Kind.QUARTER: quarter.start,
    }
    for kind, due_day in [
        (ReportingRule.Kind.MONTH, MONTH_DUE_DAY),
        (ReportingRule.Kind.QUARTER, QUARTER_DUE_DAY),
    ]:
        if not ReportingRule.objects.filter(government=orgs["WCQ"], kind=kind).exists():
            reporting_rule_save(
                by=users["supervisor"],
                government=orgs["WCQ"],
                kind=kind,
                due_day=due_day,
                starts_on=starts[kind],
                include_government=False,
                active=True,
            )
    # The months before, and the quarter when already due: both departments on time.
    earlier = [(month.previous().previous(), MONTH_DUE_DAY), (month.previous(), MONTH_DUE_DAY)]
    if quarter.due_on(QUARTER_DUE_DAY) < today:
        earlier.append((quarter, QUARTER_DUE_DAY))
    for period, due_day in earlier:
        at = _local(period.due_on(due_day) - dt.timedelta(days=3), 16, 40)
        _submit(orgs["WCBGS"], users["clerk"], period, at)
        _submit(orgs["WCCZJ"], users["caizheng"], period, at)
    # The demo month: the office on time, the finance bureau the morning after the due day.
    due_on = month.due_on(MONTH_DUE_DAY)
    _submit(orgs["WCBGS"], users["clerk"], month, _local(due_on - dt.timedelta(days=2), 10, 15))
    # Never later than the start of `today`: the demo may be loaded as of another day.
    late = min(_local(due_on + dt.timedelta(days=1), 9, 30), _local(today, 0, 1))
    _submit(orgs["WCCZJ"], users["caizheng"], month, late)
    # WCHLZ (红泥湾镇) submits nothing: the roll-up shows it 未报送.
    notify(today=today)
    return True


def _submit(org: Organisation, user: User, period: Period, at: dt.datetime) -> None:
    if not PeriodReport.objects.filter(organisation=org, period=period.code).exists():
        period_report_submit(by=user, organisation=org, period=period, now=at)


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
