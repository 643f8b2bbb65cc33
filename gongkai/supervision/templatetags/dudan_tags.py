"""The 督办 and 整改 cards of the 监督保障 home: a few counts for one supervised government."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.domain.rectification import TaskStatus
from gongkai.supervision.models import RectificationTask, SupervisionNotice

register = template.Library()


@register.simple_tag
def dudan_counts(root: Organisation) -> dict[str, Any]:
    """Unanswered notices (late ones among them), open and overdue 整改 tasks of `root`."""
    today = timezone.localdate()
    waiting = SupervisionNotice.objects.filter(government=root, answered_at__isnull=True)
    tasks = RectificationTask.objects.filter(government=root)
    owed = tasks.filter(status__in=[TaskStatus.ASSIGNED, TaskStatus.RETURNED])
    return {
        "notices_waiting": waiting.count(),
        "notices_late": waiting.filter(reply_by__lt=today).count(),
        "tasks_open": tasks.exclude(status__in=[TaskStatus.CLOSED, TaskStatus.WITHDRAWN]).count(),
        "tasks_overdue": owed.filter(deadline__lt=today).count(),
        "tasks_to_check": tasks.filter(status=TaskStatus.ANSWERED).count(),
    }
