"""`gongkai manage create_api_token USERNAME [--name NAME]`: a bearer token for the JSON API.

The raw token is printed once, alone on stdout (so `TOKEN=$(…)` works); only its SHA-256 is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import ApiToken
from gongkai.accounts.tokens import api_token_create

NAME_MAX = ApiToken._meta.get_field("name").max_length


class Command(BaseCommand):
    help = "为用户创建 JSON API 令牌；令牌只显示这一次，请立即妥善保存"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="", help="令牌用途，例如“省级平台推送”")

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
        token, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
        self.stderr.write(
            f"已为用户 {username} 创建 API 令牌（前缀 {token.prefix}）。"
            "令牌只显示这一次，系统仅保存其摘要，请立即妥善保存。"
        )
