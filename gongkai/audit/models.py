"""The audit log: rows are only ever inserted.

The application refuses to update or delete them (`AuditEntry.save`/`delete` and the queryset's
`update`/`delete`), and the database refuses too (triggers in migration 0002). The user is kept as
an id and a name, not a foreign key, so that deleting a user neither blanks nor deletes history.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from gongkai.audit.actions import AuditAction


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry."""

    def __init__(self) -> None:
        super().__init__("审计记录只能追加，不能修改或删除")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutable

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user_id = models.BigIntegerField("用户ID", null=True, blank=True, db_index=True)
    username = models.CharField("用户", max_length=150, blank=True, db_index=True)
    action = models.CharField("事件", max_length=30, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    # The organisation the object belongs to, kept as a code so that history outlives it.
    organisation = models.CharField("机构代码", max_length=20, blank=True, db_index=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    success = models.BooleanField("成功", default=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        # Ids grow with insertion: newest first, and pages cut by id (keyset pagination).
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogImmutable
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutable
