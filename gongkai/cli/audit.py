"""`gongkai audit [--since DATE] [--until DATE] [--user U] [--action A] [--json]`: the audit log
from the shell, newest first; with --json one JSON object per line (at, user, action, object, ip…)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any

from gongkai.cli.commands import help_of


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help=help_of("audit"))
    audit.add_argument("--since", type=_date, help="起始日期 YYYY-MM-DD（含）")
    audit.add_argument("--until", type=_date, help="截止日期 YYYY-MM-DD（含）")
    audit.add_argument("--user", default="", help="用户名")
    audit.add_argument("--action", default="", help="事件代码，如 login_failed、export")
    audit.add_argument("--org", default="", help="机构代码")
    audit.add_argument("--limit", type=int, default=0, help="最多输出条数（默认全部）")
    audit.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")
    audit.set_defaults(func=run_audit)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是有效日期，应为 YYYY-MM-DD") from None


def run_audit(args: argparse.Namespace) -> int:
    from gongkai.cli.web import setup_django

    setup_django()
    from django.db import DatabaseError

    from gongkai.audit.actions import AuditAction
    from gongkai.audit.selectors import AuditFilter, audit_entries, entry_as_json

    if args.action and args.action not in AuditAction.values:
        print(
            f"没有“{args.action}”这种事件，可选：{'、'.join(AuditAction.values)}", file=sys.stderr
        )
        return 2
    entries = audit_entries(
        AuditFilter(
            since=args.since,
            until=args.until,
            username=args.user,
            action=args.action,
            organisation=args.org,
        )
    )
    if args.limit > 0:
        entries = entries[: args.limit]
    try:
        for entry in entries.iterator(chunk_size=2000):
            row = entry_as_json(entry)
            print(json.dumps(row, ensure_ascii=False) if args.json else _line(row))
        sys.stdout.flush()
    except BrokenPipeError:
        # `gongkai audit --json | head`: the reader has what it wanted; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except DatabaseError as exc:
        print(
            f"无法读取审计记录：{exc}（数据库是否已初始化？可运行 gongkai manage migrate）",
            file=sys.stderr,
        )
        return 2
    return 0


def _line(row: dict[str, Any]) -> str:
    outcome = "" if row["success"] else " [失败]"
    return (
        f"{row['at'][:19].replace('T', ' ')}  {row['user'] or '-':<12} {row['action_label']}"
        f"{outcome}  {row['object'] or ''}  {row['ip'] or ''}"
    ).rstrip()
