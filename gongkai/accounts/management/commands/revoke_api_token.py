"""`gongkai manage revoke_api_token PREFIX` or `--user USERNAME --all`: revoke tokens (audited)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import ApiToken
from gongkai.accounts.tokens import api_token_revoke


class Command(BaseCommand):
    help = "吊销 API 令牌：按前缀吊销一个，或用 --user 用户名 --all 吊销该用户的全部令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "prefix", nargs="?", default="", help="令牌前缀（list_api_tokens 可查）"
        )
        parser.add_argument("--user", default="", help="用户名")
        parser.add_argument("--all", action="store_true", help="吊销该用户的全部令牌")
        parser.add_argument("--reason", default="", help="吊销原因（记入审计日志）")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = self._tokens(options)
        revoked = sum(api_token_revoke(token=t, reason=options["reason"]) for t in tokens)
        self.stdout.write(f"已吊销 {revoked} 个令牌")

    def _tokens(self, options: dict[str, Any]) -> list[ApiToken]:
        if options["prefix"]:
            tokens = list(ApiToken.objects.select_related("user").filter(prefix=options["prefix"]))
            if not tokens:
                raise CommandError(f"没有前缀为 {options['prefix']} 的令牌")
            if len(tokens) > 1:
                raise CommandError("有多个令牌使用该前缀，请改用 --user 用户名 --all")
            return tokens
        if options["user"] and options["all"]:
            tokens = list(
                ApiToken.objects.select_related("user").filter(user__username=options["user"])
            )
            if not tokens:
                raise CommandError(f"用户 {options['user']} 没有令牌")
            return tokens
        raise CommandError("请给出令牌前缀，或 --user 用户名 --all")
