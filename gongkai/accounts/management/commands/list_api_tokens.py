"""`gongkai manage list_api_tokens [--user USERNAME]`: every token with its state (never its value)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.accounts.models import ApiToken
from gongkai.accounts.tokens import token_state


def _when(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


class Command(BaseCommand):
    help = "列出 API 令牌（前缀、用户、用途、创建、最近使用、到期、状态）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="", help="只列出该用户的令牌")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        now = timezone.now()
        self.stdout.write("前缀\t用户\t用途\t创建\t最近使用\t到期\t状态")
        for token in tokens:
            self.stdout.write(
                "\t".join(
                    [
                        token.prefix,
                        token.user.get_username(),
                        token.name or "—",
                        _when(token.created_at),
                        _when(token.last_used_at),
                        _when(token.expires_at),
                        token_state(token, now=now),
                    ]
                )
            )
