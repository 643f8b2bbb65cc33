"""Loading a year's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) into the database,
and recomputing the deadlines it changes.

Until a year's notice is out its deadlines are 暂定 (gongkai.domain.holidays): counted with the
law's statutory days off only. Once the notice is loaded, every open application whose deadline
was provisional is recomputed from its timeline, and the changes are listed so that the office can
tell the applicants whose deadline moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import Application, WorkdayOverride
from gongkai.cases.services import refresh_deadlines
from gongkai.domain.lifecycle import OPEN_STATUSES
from gongkai.domain.workdays import Schedule


@dataclass(frozen=True)
class DeadlineChange:
    tracking_no: str
    organisation: str
    before: dt.date | None
    after: dt.date | None
    provisional: bool


@transaction.atomic
def holiday_schedule_load(
    *, schedule: Schedule, today: dt.date | None = None, user: Any = None
) -> list[DeadlineChange]:
    """Replace the national days of `schedule.year` kept in the database with the notice's, then
    recompute the open applications whose deadline was provisional. Returns the deadlines that
    moved. A local schedule (for one region) is not loaded here: it belongs to an organisation."""
    if schedule.region is not None:
        raise ServiceError("此命令只载入全国节假日安排；地方节假日请在系统管理中按机构维护")
    if not schedule.holidays:
        raise ServiceError(f"{schedule.year}年的安排中没有放假日期，请检查文件")
    start, end = dt.date(schedule.year - 1, 12, 1), dt.date(schedule.year + 1, 1, 31)
    WorkdayOverride.objects.filter(
        organisation__isnull=True, date__range=(start, end), source__contains=f"{schedule.year}年"
    ).delete()
    days = [(d, WorkdayOverride.Kind.HOLIDAY, n) for d, n in schedule.holidays.items()]
    days += [(d, WorkdayOverride.Kind.WORKDAY, n) for d, n in schedule.makeup_workdays.items()]
    clash = (
        WorkdayOverride.objects.filter(organisation__isnull=True, date__in=[d for d, _, _ in days])
        .order_by("date")
        .first()
    )
    if clash is not None:
        first = clash
        raise ServiceError(f"{first.date} 已有其他依据的工作日调整（{first.source}），请先核对")
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(date=d, kind=kind, name=name, source=schedule.source[:200])
        for d, kind, name in days
    )
    changes = _recompute(today or timezone.localdate())
    audit_record(
        AuditAction.IMPORT,
        user=user,
        object_type="cases.WorkdayOverride",
        object_repr=f"{schedule.year}年节假日安排",
        detail={"source": schedule.source, "days": len(days), "deadlines_changed": len(changes)},
    )
    return changes


def _recompute(today: dt.date) -> list[DeadlineChange]:
    changes = []
    pending = Application.objects.filter(
        status__in=list(OPEN_STATUSES), deadline_provisional=True
    ).select_related("organisation")
    for application in pending.select_for_update(of=("self",)).order_by("id"):
        before = application.due_on
        refresh_deadlines(application, today)
        if application.due_on != before:
            changes.append(
                DeadlineChange(
                    application.tracking_no,
                    application.organisation.name,
                    before,
                    application.due_on,
                    application.deadline_provisional,
                )
            )
    return changes
