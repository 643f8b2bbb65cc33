"""整改: a task for an organisation (from a finding) and its log of steps. Statuses, actions and
transitions are `gongkai.domain.rectification`'s table."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation
from gongkai.domain.rectification import (
    SourceKind,
    TaskAction,
    TaskStatus,
    is_overdue,
)

__all__ = ["RectificationStep", "RectificationTask"]


def _choices(enum: type[SourceKind] | type[TaskStatus] | type[TaskAction]) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


class RectificationTask(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="整改单位", on_delete=models.PROTECT, related_name="+"
    )
    government = models.ForeignKey(
        Organisation, verbose_name="监督机构", on_delete=models.PROTECT, related_name="+"
    )
    source_kind = models.CharField("问题来源", max_length=20, choices=_choices(SourceKind))
    # e.g. "application:123", "finding:T3-01:2025", "deduction:<indicator>:<year>", "item:45"
    source_ref = models.CharField("来源标识", max_length=200, blank=True)
    source_url = models.CharField("来源链接", max_length=500, blank=True)
    title = models.CharField("问题", max_length=200)
    detail = models.TextField("问题描述及整改要求", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=_choices(TaskStatus), default=TaskStatus.FOUND
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField("登记人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["government", "status"], name="rect_gov_status"),
            models.Index(fields=["organisation", "status"], name="rect_org_status"),
        ]

    def __str__(self) -> str:
        return f"整改：{self.title}"

    @property
    def status_enum(self) -> TaskStatus:
        return TaskStatus(self.status)

    @property
    def source_label(self) -> str:
        return SourceKind(self.source_kind).label

    def overdue(self, today: dt.date) -> bool:
        return is_overdue(self.status_enum, self.deadline, today)


class RectificationStep(models.Model):
    """One action on a task: who, when, what was said — the record issue 12 asks for."""

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20, choices=_choices(TaskAction))
    status_after = models.CharField("操作后状态", max_length=20, choices=_choices(TaskStatus))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField("办理人", max_length=150, blank=True)
    organisation_name = models.CharField("办理人所在机构", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    deadline = models.DateField("整改期限（本步设定）", null=True, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"

    @property
    def action_label(self) -> str:
        return TaskAction(self.action).label
