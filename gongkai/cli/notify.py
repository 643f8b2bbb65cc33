"""`gongkai notify [--today DATE] [--dry-run]`: create the reminders due today (inbox) and e-mail
them through Django's mail settings. Safe from cron every few minutes: a reminder is created once
per user and event and e-mailed once (docs/supervision.md "Reminders")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from gongkai.cli.commands import help_of


def register(subparsers: Any) -> None:
    notify = subparsers.add_parser("notify", help=help_of("notify"))
    notify.add_argument("--today", type=_date, help="按此日期计算（YYYY-MM-DD，默认今天）")
    notify.add_argument("--dry-run", action="store_true", help="只列出将生成的提醒，不保存、不发送")
    notify.set_defaults(func=run_notify)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是有效日期，应为 YYYY-MM-DD") from None


def run_notify(args: argparse.Namespace) -> int:
    from gongkai.cli.web import setup_django

    setup_django()
    from django.db import DatabaseError
    from django.utils import timezone

    from gongkai.supervision.inbox import notify

    today = args.today or timezone.localdate()
    try:
        result = notify(today=today, dry_run=args.dry_run)
    except DatabaseError as exc:
        print(
            f"无法生成提醒：{exc}（数据库是否已初始化？可运行 gongkai manage migrate）",
            file=sys.stderr,
        )
        return 2
    if args.dry_run:
        for due in result.due:
            print(f"{due.kind}\t{due.key}\tuser={due.user_id}\t{due.title}")
        print(f"将生成提醒 {len(result.due)} 条（未保存、未发送）")
        return 0
    print(
        f"{today}：新提醒 {result.created} 条，发送邮件 {result.emailed} 封，发送失败 {result.failed} 封"
    )
    return 1 if result.failed else 0
