"""督办 overview and stalling findings for a supervising government (issue 12 §3).

No personal data leaves here: the rows carry the tracking number, organisation, dates, status
and channel only — the queries load no other column (`.only`), so a template cannot show what
was never fetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q

from gongkai.accounts.access import User, readable_organisation_ids
from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendars_for
from gongkai.cases.models import Application, Event
from gongkai.cases.selectors.common import DUE_SOON_WORKDAYS, Remaining, remaining_on
from gongkai.cases.selectors.dashboard import CLOCK_RUNNING
from gongkai.cases.services import IMPORT, domain_events
from gongkai.domain.deadline_model import Channel
from gongkai.domain.lifecycle import Action, Status
from gongkai.domain.stalling import DEFAULT_WINDOW, Finding, Pattern, find_stalling
from gongkai.domain.workdays import WorkdayCalendar
from gongkai.supervision.access import supervised_organisations

ROW_LIMIT = 200
ROW_FIELDS = ("id", "tracking_no", "organisation_id", "received_on", "due_on", "status", "channel")


class CalendarPool:
    """The calendars of many organisations, shared where they are the same
    (`gongkai.cases.calendar.calendars_for`), with the working days left to a deadline."""

    def __init__(self, organisations: list[Organisation]) -> None:
        self._calendars = calendars_for(organisations)

    def of(self, organisation_id: int) -> WorkdayCalendar:
        return self._calendars[organisation_id]

    def remaining(self, organisation_id: int, due: dt.date | None, today: dt.date) -> Remaining:
        return remaining_on(self.of(organisation_id), due, today)


@dataclass(frozen=True)
class DudanRow:
    application_id: int
    tracking_no: str
    organisation: Organisation
    received_on: dt.date
    due_on: dt.date | None
    status_label: str
    channel_label: str
    remaining: Remaining
    viewable: bool  # the supervisor may open the case page (read-only) under the usual rules


@dataclass(frozen=True)
class OrganisationCount:
    organisation: Organisation
    overdue: int
    soon: int


@dataclass(frozen=True)
class Overview:
    organisations: list[Organisation]
    counts: list[OrganisationCount]  # organisations with at least one, by code
    rows: list[DudanRow]
    more: bool
    days: int

    @property
    def total_overdue(self) -> int:
        return sum(c.overdue for c in self.counts)

    @property
    def total_soon(self) -> int:
        return sum(c.soon for c in self.counts)


def dudan_overview(
    *,
    user: User,
    root: Organisation,
    today: dt.date,
    days: int = DUE_SOON_WORKDAYS,
    organisation: Organisation | None = None,
    limit: int = ROW_LIMIT,
) -> Overview:
    """Open applications whose reply clock runs and that are overdue or due within `days`
    working days (each organisation's calendar), under `root`; rows of `organisation` only when
    given. A fixed number of queries: organisations, calendars, one count, one page of rows."""
    organisations = supervised_organisations(root)
    by_id = {org.pk: org for org in organisations}
    pool = CalendarPool(organisations)
    by_limit: dict[dt.date, list[int]] = {}
    for org in organisations:
        by_limit.setdefault(pool.of(org.pk).add_workdays(today, days), []).append(org.pk)
    soon = Q(pk__in=[])
    for limit_day, ids in by_limit.items():
        soon |= Q(organisation_id__in=ids, due_on__lte=limit_day)
    soon &= Q(due_on__gte=today)
    # The plain upper bound lets PostgreSQL read app_org_status_due (organisation, status,
    # due_on) as a range; the per-calendar limits then refine it.
    wanted = Application.objects.filter(
        organisation_id__in=list(by_id),
        status__in=CLOCK_RUNNING,
        due_on__lte=max(by_limit, default=today),
    ).filter(Q(due_on__lt=today) | soon)
    counted = (
        wanted.order_by()
        .values("organisation_id")
        .annotate(
            # Counting a column of the index (not the id) keeps it an index-only scan.
            overdue=Count("due_on", filter=Q(due_on__lt=today)),
            soon=Count("due_on", filter=Q(due_on__gte=today)),
        )
    )
    counts = sorted(
        (OrganisationCount(by_id[c["organisation_id"]], c["overdue"], c["soon"]) for c in counted),
        key=lambda c: c.organisation.code,
    )
    page = wanted if organisation is None else wanted.filter(organisation=organisation)
    # Two steps, so that only the rows shown are read from the table: the due date of the row
    # after the last shown, from the index alone, then the rows up to it.
    cutoff = page.order_by("due_on").values_list("due_on", flat=True)[limit : limit + 1]
    last = next(iter(cutoff), None)
    if last is not None:
        page = page.filter(due_on__lte=last)
    fetched = list(page.only(*ROW_FIELDS).order_by("due_on", "id")[: limit + 1])
    readable = readable_organisation_ids(user)
    rows = [
        DudanRow(
            application_id=app.pk,
            tracking_no=app.tracking_no,
            organisation=by_id[app.organisation_id],
            received_on=app.received_on,
            due_on=app.due_on,
            status_label=Status(app.status).label,
            channel_label=Channel(app.channel).label,
            remaining=pool.remaining(app.organisation_id, app.due_on, today),
            viewable=app.organisation_id in readable,
        )
        for app in fetched[:limit]
    ]
    return Overview(organisations, counts, rows, len(fetched) > limit, days)


# ---------------------------------------------------------------- stalling patterns


@dataclass(frozen=True)
class StallingFinding:
    """One pattern in one application (no personal data): what the scorecard may cite."""

    application_id: int
    tracking_no: str
    organisation: Organisation
    pattern: str  # gongkai.domain.stalling.Pattern value
    label: str
    date: dt.date
    due: dt.date | None
    dates_text: str
    explanation: str
    source: str

    @classmethod
    def of(cls, app: Application, org: Organisation, finding: Finding) -> StallingFinding:
        pattern: Pattern = finding.pattern
        return cls(
            application_id=app.pk,
            tracking_no=app.tracking_no,
            organisation=org,
            pattern=pattern.value,
            label=pattern.label,
            date=finding.date,
            due=finding.due,
            dates_text=finding.dates_text,
            explanation=pattern.explanation,
            source=pattern.source,
        )


def stalling_findings(
    organisation: Organisation,
    year: int,
    *,
    window: int = DEFAULT_WINDOW,
    calendar: WorkdayCalendar | None = None,
) -> list[StallingFinding]:
    """The patterns of `gongkai.domain.stalling` found in `organisation`'s applications whose
    judged event (补正 notice, extension, reply) is dated in `year`; by date, then tracking
    number. A few queries plus the calendar's."""
    pool = None if calendar is None else {organisation.pk: calendar}
    found = stalling_findings_of([organisation], year, window=window, calendars=pool)
    return found.get(organisation.pk, [])


def stalling_findings_of(
    organisations: list[Organisation],
    year: int,
    *,
    window: int = DEFAULT_WINDOW,
    calendars: dict[int, WorkdayCalendar] | None = None,
) -> dict[int, list[StallingFinding]]:
    """`stalling_findings` for several organisations at once (a government's page): organisation
    id → its findings, only those with any.

    The engine runs only on the applications that can show a pattern, chosen in SQL: a 补正
    notice or an extension in the year (any of them may be last-minute), or a reply dated after
    the stored deadline — after a reply `due_on` is the deadline as it stood at the reply (the
    services refresh it on every step and nothing after a reply moves it), so a reply on or before
    it cannot be late."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_id = {org.pk: org for org in organisations}
    replies = [Action.REPLY.value, Action.TRANSFER.value, IMPORT]
    candidates = (
        Event.objects.filter(application__organisation_id__in=list(by_id), date__range=(start, end))
        .filter(
            Q(action__in=[Action.REQUEST_CORRECTION.value, Action.EXTEND.value])
            | Q(action__in=replies, date__gt=F("application__due_on"))
        )
        .exclude(application__status=Status.VOIDED)
        .values("application_id")
    )
    events = Event.objects.order_by("date", "id")
    apps = (
        Application.objects.filter(id__in=candidates)
        .only("id", "tracking_no", "organisation_id", "received_on", "channel", "status")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("id")
    )
    pool = dict(calendars) if calendars else calendars_for(organisations)
    found: dict[int, list[StallingFinding]] = {}
    for app in apps:
        org = by_id[app.organisation_id]
        rows = sorted(app.events.all(), key=lambda e: (e.date, e.id))
        reasons = [
            str((e.data or {}).get("reason") or e.note or "")
            for e in rows
            if e.action == Action.EXTEND
        ]
        for finding in find_stalling(
            domain_events(app), pool[org.pk], extension_reasons=reasons, window=window
        ):
            if start <= finding.date <= end:
                found.setdefault(org.pk, []).append(StallingFinding.of(app, org, finding))
    for items in found.values():
        items.sort(key=lambda f: (f.date, f.tracking_no, f.pattern))
    return found
