"""`gongkai score --gov CODE --year YYYY [--json] [--to FILE.xlsx] [--today DATE]`: the 考核
scorecard of a government's organisations (gongkai.supervision.scorecard), as a table, as JSON (per
organisation its score and its deductions, each with `indicator`, `points` and `evidence`, a list
of objects with `kind`, `id`, `label` and `url`), or as .xlsx."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from gongkai.cli.commands import help_of


def register(subparsers: Any) -> None:
    score = subparsers.add_parser("score", help=help_of("score"))
    score.add_argument("--gov", required=True, help="本级政府的机构代码，如 WCQ")
    score.add_argument("--year", required=True, type=int, help="考核年度")
    score.add_argument("--json", action="store_true", help="以 JSON 输出")
    score.add_argument("--to", help="输出 .xlsx 文件")
    score.add_argument("--today", help="计算日期（默认今天），YYYY-MM-DD")
    score.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = Path(args.to) if args.to else None
    if target is not None and target.suffix.lower() != ".xlsx":
        print(f"不支持的输出格式“{target.suffix}”，只能输出 .xlsx", file=sys.stderr)
        return 2
    from gongkai.cli.web import setup_django

    setup_django()
    today = _today(args.today)
    if today is None:
        print(f"日期“{args.today}”无效，应为 YYYY-MM-DD", file=sys.stderr)
        return 2
    if not 2000 <= args.year <= today.year:
        print(f"考核年度{args.year}无效（2000至{today.year}）", file=sys.stderr)
        return 2
    from gongkai.accounts.models import Organisation
    from gongkai.cli.output import print_json, write_file
    from gongkai.supervision.scorecard import scorecard
    from gongkai.supervision.scorecard_export import scorecard_xlsx

    government = Organisation.objects.filter(code=args.gov).first()
    if government is None:
        print(f"找不到机构代码 {args.gov}", file=sys.stderr)
        return 2
    card = scorecard(government=government, year=args.year, today=today)
    if target is not None:
        return write_file(target, scorecard_xlsx(card))
    if args.json:
        return print_json(card.as_dict())
    _print_table(card)
    return 0


def _today(text: str | None) -> dt.date | None:
    if not text:
        from django.utils import timezone

        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _print_table(card: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{card.government.name}{card.year}年度考核得分")
    for header in ("排名", "机构", "得分", "扣分项"):
        table.add_column(header)
    for row in sorted(card.rows, key=lambda r: (r.rank, r.organisation.code)):
        items = "；".join(f"{d.indicator.label} −{d.points}" for d in row.score.deductions)
        table.add_row(str(row.rank), row.organisation.name, str(row.value), items or "—")
    Console().print(table)
