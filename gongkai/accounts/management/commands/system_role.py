"""`gongkai manage system_role`: appoint the installation's administrators from the server.

    system_role list
    system_role grant USERNAME {system,security,audit} [--create] [--name 姓名]
    system_role revoke USERNAME

The way to appoint the first administrators, since nobody is a superuser in normal operation
(decision U-1): whoever runs commands on the server already holds the database. After that the
security administrator appoints the others in 系统管理. `--create` makes the account first and
asks for its password (or reads GONGKAI_PASSWORD with --noinput), checked by the validators.
Every change is an audit entry by （命令行）.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.services import system_role_grant, system_role_revoke, user_create
from gongkai.accounts.system_roles import ROLE_BY_GROUP, SystemRole


class Command(BaseCommand):
    help = "任命或撤销系统管理员、安全管理员、审计管理员（三员）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="列出三员和超级用户")
        grant = actions.add_parser("grant", help="任命")
        grant.add_argument("username", help="用户名")
        grant.add_argument("role", choices=[role.value for role in SystemRole], help="角色")
        grant.add_argument("--create", action="store_true", help="用户不存在时新建")
        grant.add_argument("--name", default="", help="新建用户的姓名（默认为角色名称）")
        grant.add_argument(
            "--noinput",
            action="store_true",
            help="不提示输入密码，从环境变量 GONGKAI_PASSWORD 读取",
        )
        revoke = actions.add_parser("revoke", help="撤销")
        revoke.add_argument("username", help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            {"list": self._list, "grant": self._grant, "revoke": self._revoke}[options["action"]](
                options
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc

    def _list(self, options: dict[str, Any]) -> None:
        holders = User.objects.filter(groups__name__in=ROLE_BY_GROUP).values_list(
            "username", "groups__name", "is_active"
        )
        for username, group, active in holders.order_by("groups__name", "username"):
            self.stdout.write(f"{group}\t{username}" + ("" if active else "\t（已停用）"))
        for username in User.objects.filter(is_superuser=True).values_list("username", flat=True):
            self.stdout.write(f"超级用户\t{username}\t（拥有全部权限，不符合三员分立，建议取消）")

    def _grant(self, options: dict[str, Any]) -> None:
        role = SystemRole(options["role"])
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            if not options["create"]:
                raise CommandError(f"用户不存在：{options['username']}（新建请加 --create）")
            user = user_create(
                actor=None,
                username=options["username"],
                name=options["name"] or role.label,
                password=self._password(options["noinput"]),
            )
        system_role_grant(actor=None, user=user, role=role)
        self.stdout.write(f"已任命 {user.username} 为{role.label}")

    def _revoke(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        system_role_revoke(actor=None, user=user)
        self.stdout.write(f"已撤销 {user.username} 的系统管理角色")

    def _password(self, noinput: bool) -> str:
        if noinput:
            password = os.environ.get("GONGKAI_PASSWORD", "")
            if not password:
                raise CommandError("使用 --noinput 时须在环境变量 GONGKAI_PASSWORD 中提供密码")
            return password
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        return first
