"""Reminders (issue 12 part 6): what is due today becomes one Notification per user and event,
shown in the inbox and sent by e-mail through Django's mail settings.

Safe from cron every few minutes: a reminder's `key` is unique per user (created with
`bulk_create(ignore_conflicts=True)`, so a second run — or two at once — creates nothing new),
and each e-mail is claimed by a conditional UPDATE (… WHERE emailed_at IS NULL) before it is sent,
so no two runs send the same one; a send that fails releases its claim and is tried again on the
next run (docs/decisions.md SV-calendar2-5).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Membership, Organisation
from gongkai.cases.calendar import calendars_for
from gongkai.cases.models import Application
from gongkai.cases.selectors.dashboard import CLOCK_RUNNING
from gongkai.domain.lifecycle import Role
from gongkai.domain.report_calendar import ReportStatus
from gongkai.reports.checks import deadline_of, latest_version
from gongkai.supervision.calendar import ACTING_ROLES, periods_of
from gongkai.supervision.models import Notification

log = logging.getLogger(__name__)

Kind = Notification.Kind

# A missing periodic report is reminded once, while its due day is recent; a rule adopted with a
# start long ago does not flood the inbox with a reminder per old period (SV-calendar2-6).
MISSING_WINDOW_DAYS = 31
# E-mail only what is recent: a user who adds an address later does not receive old reminders.
EMAIL_WINDOW = dt.timedelta(days=7)


def remind_days() -> int:
    return max(0, int(getattr(settings, "GONGKAI_REMIND_DUE_DAYS", 3)))


@dataclass(frozen=True)
class Due:
    """A reminder that is due: for whom, about what."""

    user_id: int
    kind: str
    key: str
    title: str
    body: str
    link: str


@dataclass
class NotifyResult:
    due: list[Due] = field(default_factory=list)
    created: int = 0
    emailed: int = 0
    failed: int = 0


def notify(
    *, today: dt.date, now: dt.datetime | None = None, dry_run: bool = False
) -> NotifyResult:
    """Create the reminders due on `today` and e-mail the unsent ones. With `dry_run` nothing
    is written or sent: the result lists what would be created."""
    now = now or timezone.now()
    due = due_reminders(today)
    result = NotifyResult(due=due)
    if dry_run:
        existing = set(
            Notification.objects.filter(key__in={d.key for d in due}).values_list("user_id", "key")
        )
        result.due = [d for d in due if (d.user_id, d.key) not in existing]
        return result
    result.created = _create(due)
    result.emailed, result.failed = send_pending(now=now)
    return result


def _create(due: list[Due]) -> int:
    keys = {d.key for d in due}
    before = Notification.objects.filter(key__in=keys).count()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=d.user_id, kind=d.kind, key=d.key, title=d.title, body=d.body, link=d.link
            )
            for d in due
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return Notification.objects.filter(key__in=keys).count() - before


def send_pending(*, now: dt.datetime) -> tuple[int, int]:
    """E-mail every recent reminder not yet sent to a user with an address; (sent, failed)."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, created_at__gte=now - EMAIL_WINDOW)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent = failed = 0
    for note in pending:
        # The claim: only one run can turn this row's emailed_at from NULL to a time.
        claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue
        try:
            send_mail(
                subject=f"【政府信息公开】{note.title}",
                message=_mail_body(note),
                from_email=None,  # DEFAULT_FROM_EMAIL
                recipient_list=[note.user.email],
            )
        except Exception:
            log.exception("提醒邮件发送失败：%s → %s", note.key, note.user.email)
            Notification.objects.filter(pk=note.pk).update(emailed_at=None)
            failed += 1
        else:
            sent += 1
    return sent, failed


def _mail_body(note: Notification) -> str:
    lines = [note.title, "", note.body]
    if note.link:
        base = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
        lines += ["", f"查看：{base}{note.link}"]
    lines += ["", "（本邮件由政府信息公开工作平台自动发送，请勿回复。）"]
    return "\n".join(lines)


# -- what is due ----------------------------------------------------------------------------------


def due_reminders(today: dt.date) -> list[Due]:
    return [
        *_case_due(today),
        *_case_overdue(today),
        *_period_reports(today),
        *_annual_reports(today),
    ]


def _members(roles: frozenset[Role] | set[Role]) -> dict[int, list[int]]:
    """organisation id → ids of active users holding one of `roles` there."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(role__in=list(roles), user__is_active=True).values_list(
        "organisation_id", "user_id"
    )
    for org_id, user_id in rows.distinct():
        if user_id not in found[org_id]:
            found[org_id].append(user_id)
    return found


def _running() -> QuerySet[Application]:
    return Application.objects.filter(status__in=CLOCK_RUNNING, due_on__isnull=False)


def _case_due(today: dt.date) -> list[Due]:
    """经办人 of the organisation, N working days before the reply is due (and on the day); one
    per application and due date — an extension moves the date and earns a new reminder."""
    days = remind_days()
    clerks = _members({Role.CLERK})
    found: list[Due] = []
    candidates = _running().filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=days * 3 + 14)
    )
    apps = list(candidates.select_related("organisation").order_by("due_on", "pk"))
    calendars = calendars_for(
        list({app.organisation_id: app.organisation for app in apps}.values())
    )
    for app in apps:
        assert app.due_on is not None
        org = app.organisation
        left = calendars[org.id].workdays_between(today, app.due_on)
        if left > days:
            continue
        when = "今天" if left == 0 else f"还有{left}个工作日"
        for user_id in clerks.get(org.id, []):
            found.append(
                Due(
                    user_id,
                    Kind.CASE_DUE,
                    f"case_due:{app.pk}:{app.due_on.isoformat()}",
                    f"申请{app}将于{app.due_on:%Y-%m-%d}到期",
                    f"{org.name}的政府信息公开申请{app}答复期限为{app.due_on:%Y年%m月%d日}（{when}），"
                    "请及时办理。",
                    reverse("cases:detail", args=[app.pk]),
                )
            )
    return found


def _case_overdue(today: dt.date) -> list[Due]:
    """监督 users on the organisation or above it, once per application that is overdue. The
    text names the application's number only, no applicant data."""
    supervisors = _members({Role.SUPERVISOR})
    if not supervisors:
        return []
    orgs = {org.id: org for org in Organisation.objects.all()}
    found: list[Due] = []
    for app in _running().filter(due_on__lt=today).order_by("due_on", "pk"):
        assert app.due_on is not None
        org = orgs[app.organisation_id]
        chain: list[Organisation] = []
        current: Organisation | None = org
        while current is not None:
            chain.append(current)
            current = orgs.get(current.parent_id) if current.parent_id else None
        users: list[int] = []
        for level in chain:
            users += [u for u in supervisors.get(level.id, []) if u not in users]
        for user_id in users:
            found.append(
                Due(
                    user_id,
                    Kind.CASE_OVERDUE,
                    f"case_overdue:{app.pk}",
                    f"{org.name}的申请{app}已逾期",
                    f"{org.name}受理的政府信息公开申请{app}答复期限为{app.due_on:%Y年%m月%d日}，"
                    "至今尚未答复。",
                    reverse("cases:detail", args=[app.pk]),
                )
            )
    return found


def _period_reports(today: dt.date) -> list[Due]:
    """Acting users of an organisation: N days before a periodic report is due (and on the day),
    and once when it is missing after its due day."""
    days = remind_days()
    acting = _members(ACTING_ROLES)
    found: list[Due] = []
    everything = list(Organisation.objects.order_by("code"))
    parents = {org.id: org.parent_id for org in everything}
    orgs = [org for org in everything if org.id in acting]
    by_id = {org.id: org for org in orgs}
    for org_id, rows in periods_of(orgs, today, parents=parents).items():
        org = by_id[org_id]
        for row in rows:
            link = reverse("supervision:calendar_org", args=[org.code])
            code, label = row.period.code, row.period.label
            if row.status is ReportStatus.PENDING and (row.due_on - today).days <= days:
                due = Due(
                    0,
                    Kind.PERIOD_DUE,
                    f"period_due:{org.code}:{code}",
                    f"{label}定期报表将于{row.due_on:%Y-%m-%d}截止报送",
                    f"{org.name}{label}的政府信息公开定期报表应于{row.due_on:%Y年%m月%d日}前报送。",
                    link,
                )
            elif (
                row.status is ReportStatus.MISSING
                and (today - row.due_on).days <= MISSING_WINDOW_DAYS
            ):
                due = Due(
                    0,
                    Kind.PERIOD_MISSING,
                    f"period_missing:{org.code}:{code}",
                    f"{label}定期报表逾期未报送",
                    f"{org.name}{label}的政府信息公开定期报表应于{row.due_on:%Y年%m月%d日}前报送，"
                    "至今尚未报送，请尽快报送。",
                    link,
                )
            else:
                continue
            found += [
                Due(u, due.kind, due.key, due.title, due.body, due.link) for u in acting[org.id]
            ]
    return found


def _annual_reports(today: dt.date) -> list[Due]:
    """Acting users of an organisation, N days before last year's annual report is due, while no
    version of it is published (条例第四十九条; reports.checks.deadline_of)."""
    days = remind_days()
    acting = _members(ACTING_ROLES)
    year = today.year - 1
    found: list[Due] = []
    for org in Organisation.objects.filter(id__in=list(acting)).order_by("code"):
        due = deadline_of(org, year).due
        if not 0 <= (due - today).days <= days or latest_version(org, year) is not None:
            continue
        for user_id in acting[org.id]:
            found.append(
                Due(
                    user_id,
                    Kind.ANNUAL_DUE,
                    f"annual_due:{org.code}:{year}",
                    f"{year}年度政府信息公开工作年度报告将于{due:%Y-%m-%d}截止公布",
                    f"{org.name}{year}年度政府信息公开工作年度报告应于{due:%Y年%m月%d日}前公布，"
                    "目前尚未公布。",
                    reverse("reports:report", args=[org.code, year]),
                )
            )
    return found


# -- the inbox ------------------------------------------------------------------------------------


def inbox_for(user: User) -> QuerySet[Notification]:
    """Unread first, then newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    return Notification.objects.filter(user=user).order_by(unread_first, "-created_at", "-pk")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_read(*, note: Notification) -> Notification:
    """Mark one reminder read (the view finds it among the user's own)."""
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
        note.refresh_from_db(fields=["read_at"])
    return note


def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
