"""`gongkai manage unlock_user USERNAME`: end a login lockout now (the security administrator's
task; recorded as 解除锁定)."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record


class Command(BaseCommand):
    help = "解除用户的登录锁定"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        removed = reset(username=username)
        audit_record(
            AuditAction.UNLOCK,
            username="",
            object_type="auth.User",
            object_repr=username,
            detail={"attempts_removed": removed},
        )
        self.stdout.write(f"已解除 {username} 的登录锁定（清除失败记录 {removed} 条）")
