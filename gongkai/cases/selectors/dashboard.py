"""工作台: the lists of the user's organisations, nearest deadline first — 待办 (what waits for
this user: replies to approve, drafts sent back, deadlines) and 已办 (what this user handled in the
last 30 days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery

from gongkai.accounts.access import User, readable_organisation_ids
from gongkai.accounts.models import Membership, Organisation
from gongkai.cases.access import applications_for_user
from gongkai.cases.models import Application, Event
from gongkai.cases.selectors.common import (
    DUE_SOON_WORKDAYS,
    Calendars,
    CaseRow,
    with_organisation,
)
from gongkai.domain.lifecycle import Action, Role, Status

DASHBOARD_LIMIT = 50

# The reply clock runs in these statuses (it is stopped while waiting for a correction or a fee,
# and paused during a consultation, 条例第三十条、第三十三条第三款).
CLOCK_RUNNING = (Status.REGISTERED, Status.PROCESSING, Status.REVIEW, Status.SIGNOFF)


@dataclass(frozen=True)
class CaseList:
    key: str
    title: str
    hint: str
    rows: list[CaseRow]
    more: bool

    @property
    def count_text(self) -> str:
        return f"{len(self.rows)}+" if self.more else str(len(self.rows))


DONE_DAYS = 30  # 已办: steps this user took in the last month


def dashboard_lists(user: User, today: dt.date) -> list[CaseList]:
    """工作台: the lists of the user's organisations, nearest deadline first — 待办 (what waits for
    this user: replies to approve, drafts sent back, deadlines) and 已办 (what this user handled in the
    last 30 days)."""
    mine = with_organisation(applications_for_user(user))
    acting = _acting_roles(user)
    approving = [org for org, role in acting if role in (Role.REVIEWER, Role.ADMIN)]
    drafting = [org for org, role in acting if role in (Role.CLERK, Role.ADMIN)]
    signing = [org for org, role in acting if role in (Role.LEADER, Role.ADMIN)]
    calendars = Calendars()
    running = mine.filter(status__in=CLOCK_RUNNING)
    soon = running.filter(_due_soon_filter(user, calendars, today))
    correction = _awaiting_correction(mine)
    fee = mine.filter(status=Status.AWAITING_FEE)
    consulting = mine.filter(status=Status.CONSULTING)
    submitted = mine.filter(status=Status.SUBMITTED)
    specs: list[tuple[str, str, str, QuerySet[Application], str | None]] = []
    if approving:
        # The reviewer's 待办: a draft reply is issued, with its 文号, only once approved.
        to_approve = mine.filter(status=Status.REVIEW, organisation_id__in=approving)
        hint = "承办人拟定的答复，审核通过后签发告知书；也可退回修改"
        specs.append(("review", "待审核", hint, to_approve, "due_on"))
    if signing:
        to_sign = mine.filter(status=Status.SIGNOFF, organisation_id__in=signing)
        hint = "审核人已审核同意的答复，签批后签发告知书；也可退回修改"
        specs.append(("signoff", "待签批", hint, to_sign, "due_on"))
    if drafting:
        returned = _returned(mine.filter(organisation_id__in=drafting))
        hint = "审核人退回的答复，请按审核意见修改后重新提交"
        specs.append(("returned", "被退回修改", hint, returned, "due_on"))
    specs += [
        # 条例第三十一条（三）: an internet application is received when the clerk signs for it;
        # until then no deadline runs, so the days it has waited are what the office must see.
        ("submitted", "待签收的网上申请", "签收之日即为收到申请之日，请及时签收", submitted, None),
        ("overdue", "已逾期", "答复期限已过、尚未答复", running.filter(due_on__lt=today), "due_on"),
        ("soon", "3个工作日内到期", "请优先办理", soon, "due_on"),
        # Waiting for the applicant: the reply period starts again with the correction.
        ("correction", "待补正", "等待申请人补正", correction, None),
        ("fee", "待缴费", "等待申请人缴纳信息处理费", fee, "fee_due"),
        ("consulting", "征求意见中", "征求意见期间不计入答复期限", consulting, "due_on"),
    ]
    if acting:
        steps = Event.objects.filter(
            # Steps of the procedure only: registering is receiving, not handling.
            actor_id=user.pk,
            action__in=[action.value for action in Action],
            date__gte=today - dt.timedelta(days=DONE_DAYS),
        ).values("application_id")
        done = mine.filter(_among(steps, mine.db))
        hint = f"近{DONE_DAYS}天内您办理过（补正、审核、答复等）的申请"
        specs.append(("done", "已办", hint, done, None))
    return [_case_list(*spec, calendars, today) for spec in specs]


class _AnyOfArray(Func):
    """pk = ANY(ARRAY(subquery)) on PostgreSQL: the subquery runs once, by its own index."""

    output_field = BooleanField()

    def __init__(self, subquery: Subquery) -> None:
        super().__init__(F("pk"), subquery)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        pk, subquery = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{pk[0]} = ANY(ARRAY{subquery[0]})", (*pk[1], *subquery[1])


def _among(steps: QuerySet[Event, Any], using: str) -> Q:
    """The applications of these steps. `pk IN (subquery)` lets PostgreSQL walk the list's order
    probing each application's steps, which at a million cases took 1.2–2.4 s for a clerk whose
    month's steps are all recent; as an array the month's steps are read first by the index
    (actor, date) and the applications then by primary key."""
    if connections[using].vendor != "postgresql":
        return Q(pk__in=steps)
    return Q(_AnyOfArray(Subquery(steps)))


def _acting_roles(user: User) -> list[tuple[int, str]]:
    """(organisation id, role) of the user's acting memberships (one query)."""
    if not user.is_authenticated:
        return []
    acting = [Role.CLERK, Role.REVIEWER, Role.ADMIN, Role.LEADER]
    return list(
        Membership.objects.filter(user=user, role__in=acting)
        .values_list("organisation_id", "role")
        .order_by()
    )


def _returned(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Being processed again after the reviewer sent the draft back: the last step a return."""
    last_step = (
        Event.objects.filter(application=OuterRef("pk"), action__in=[a.value for a in Action])
        .order_by("-date", "-id")
        .values("action")[:1]
    )
    return (
        applications.filter(status=Status.PROCESSING)
        .annotate(last_step=Subquery(last_step))
        .filter(last_step=Action.RETURN_REPLY)
    )


def _due_soon_filter(user: User, calendars: Calendars, today: dt.date) -> Q:
    """due_on between today and the 3rd working day after it, per organisation's calendar."""
    # The organisations from the memberships, not from the applications: no scan of the cases.
    readable = readable_organisation_ids(user)
    organisations = Organisation.objects.filter(id__in=readable).select_related("parent__parent")
    by_limit: dict[dt.date, list[int]] = {}
    for organisation in organisations:
        limit = calendars.of(organisation).add_workdays(today, DUE_SOON_WORKDAYS)
        by_limit.setdefault(limit, []).append(organisation.pk)
    condition = Q(pk__in=[])
    for limit, ids in by_limit.items():
        condition |= Q(organisation_id__in=ids, due_on__lte=limit)
    return condition & Q(due_on__gte=today)


def _awaiting_correction(mine: QuerySet[Application]) -> QuerySet[Application]:
    notices = Event.objects.filter(action=Action.REQUEST_CORRECTION).order_by("-date", "-id")
    return mine.filter(status=Status.CORRECTION).prefetch_related(
        Prefetch("events", queryset=notices, to_attr="correction_notices")
    )


def _case_list(
    key: str,
    title: str,
    hint: str,
    queryset: QuerySet[Application],
    due_field: str | None,
    calendars: Calendars,
    today: dt.date,
) -> CaseList:
    ordered = queryset.order_by(due_field or "received_on", "id")
    fetched = list(ordered[: DASHBOARD_LIMIT + 1])
    rows = [_dashboard_row(app, due_field, calendars, today) for app in fetched[:DASHBOARD_LIMIT]]
    return CaseList(key, title, hint, rows, more=len(fetched) > DASHBOARD_LIMIT)


def _dashboard_row(
    application: Application, due_field: str | None, calendars: Calendars, today: dt.date
) -> CaseRow:
    due = getattr(application, due_field) if due_field else None
    remaining = calendars.remaining(application.organisation, due, today)
    return CaseRow(application, remaining, _row_note(application, today))


def _row_note(application: Application, today: dt.date) -> str:
    if application.status == Status.SUBMITTED:
        waited = (today - application.received_on).days  # received_on: the submission day
        return f"{application.received_on:%Y-%m-%d}网上提交，已等待{waited}天"
    notices: list[Event] = getattr(application, "correction_notices", [])
    if not notices:
        return ""
    data = notices[0].data or {}
    if data.get("correct_by"):
        period = f"补正截止{data['correct_by']}"
    else:
        period = data.get("period") or "未写明补正期限"
    return f"{notices[0].date:%Y-%m-%d}发出补正通知；{period}"
