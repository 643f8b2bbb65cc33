"""`gongkai manage create_api_token USERNAME [--name NAME] [--expires DAYS|YYYY-MM-DD]`: a bearer
token for the JSON API, valid for DAYS days or until the date (at most GONGKAI_API_TOKEN_MAX_DAYS,
the default).

The raw token is printed once, alone on stdout (so `TOKEN=$(…)` works); only its SHA-256 is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import ApiToken
from gongkai.accounts.tokens import api_token_create

NAME_MAX = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "为用户创建 JSON API 令牌；令牌只显示这一次，请立即妥善保存"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="", help="令牌用途，例如“省级平台推送”")
        parser.add_argument(
            "--expires", default=None, help="有效天数（如 90）或到期日期（如 2027-06-30）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username, name = options["username"], options["name"]
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"用户不存在：{username}") from None
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        if NAME_MAX is not None and len(name) > NAME_MAX:
            raise CommandError(f"令牌用途过长（最多{NAME_MAX}个字符）")
        try:
            token, raw = api_token_create(user=user, name=name, days=_days(options["expires"]))
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"已为用户 {username} 创建 API 令牌（前缀 {token.prefix}，"
            f"有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}）。"
            "令牌只显示这一次，系统仅保存其摘要，请立即妥善保存。"
        )


def _days(value: str | None) -> int | None:
    """--expires as a number of days, or a date turned into the days until it."""
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    try:
        until = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires 应为天数或 YYYY-MM-DD 日期，实际为“{value}”") from None
    return (until - timezone.localdate()).days
