"""Reading the audit log: one filter shared by the screen and `gongkai audit`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongkai.audit.models import AuditEntry, AuditEntryQuerySet


@dataclass(frozen=True)
class AuditFilter:
    since: dt.date | None = None
    until: dt.date | None = None
    username: str = ""
    action: str = ""
    organisation: str = ""
    obj: str = ""  # "cases.Application:12" or a word of the object's text


def audit_entries(f: AuditFilter) -> AuditEntryQuerySet:
    """Entries newest first, narrowed by the filter (dates are whole days, Beijing time)."""
    entries = AuditEntry.objects.all()
    if f.since:
        entries = entries.filter(at__gte=_start_of(f.since))
    if f.until:
        entries = entries.filter(at__lt=_start_of(f.until + dt.timedelta(days=1)))
    if f.username:
        entries = entries.filter(username=f.username)
    if f.action:
        entries = entries.filter(action=f.action)
    if f.organisation:
        entries = entries.filter(organisation=f.organisation)
    if f.obj:
        entries = entries.filter(_object_filter(f.obj))
    return entries.order_by("-id")


def _object_filter(text: str) -> Q:
    label, _, pk = text.partition(":")
    if pk:
        return Q(object_type=label, object_id=pk)
    return Q(object_repr__contains=text)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entry_as_json(entry: AuditEntry) -> dict[str, Any]:
    """One entry as the JSON of `gongkai audit --json` (one object per line)."""
    return {
        "id": entry.pk,
        "at": timezone.localtime(entry.at).isoformat(),
        "user": entry.username or None,
        "user_id": entry.user_id,
        "action": entry.action,
        "action_label": entry.get_action_display(),
        "object": _object_text(entry),
        "object_type": entry.object_type or None,
        "object_id": entry.object_id or None,
        "organisation": entry.organisation or None,
        "ip": entry.ip,
        "success": entry.success,
        "detail": entry.detail,
    }


def _object_text(entry: AuditEntry) -> str | None:
    if entry.object_repr:
        return entry.object_repr
    if entry.object_type:
        return f"{entry.object_type}:{entry.object_id}"
    return None
