"""The in-app inbox of reminders (issue 12 part 6), also sent by e-mail when the user has one."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["Notification"]


class Notification(models.Model):
    """One reminder for one user. `key` names the event it is about (e.g.
    "case_due:42:2026-03-20"); unique per user, so `gongkai notify` run again — or twice at once
    from cron — never creates the same reminder twice."""

    class Kind(models.TextChoices):
        CASE_DUE = "case_due", "申请即将到期"
        CASE_OVERDUE = "case_overdue", "申请已逾期"
        PERIOD_DUE = "period_due", "定期报表即将到期"
        PERIOD_MISSING = "period_missing", "定期报表未报送"
        ANNUAL_DUE = "annual_due", "年度报告即将到期"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    key = models.CharField("提醒标识", max_length=120)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
