"""`gongkai stats --org CODE --period YYYY-MM|YYYYQn|YYYY [--rollup] [--to FILE] [--json]`: the
periodic statistics (月报 / 季报 / 年度累计) of an organisation, or rolled up for a government and
every organisation below it, printed as a table or written to .xlsx / .docx / .json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongkai.cli.commands import help_of


def register(subparsers: Any) -> None:
    stats = subparsers.add_parser("stats", help=help_of("stats"))
    stats.add_argument("--org", required=True, help="机构代码，如 WCBGS")
    stats.add_argument("--period", required=True, help="统计期：YYYY-MM、YYYYQn 或 YYYY")
    stats.add_argument("--rollup", action="store_true", help="汇总该机构及其所属全部机构")
    stats.add_argument("--to", help="输出文件：.xlsx / .docx / .json")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出到屏幕")
    stats.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gongkai.domain.periods import Period, PeriodError

    try:
        period = Period.parse(args.period)
    except PeriodError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target = Path(args.to) if args.to else None
    from gongkai.cli.web import setup_django

    setup_django()  # before anything that imports a model (stats_export does)
    from gongkai.supervision.stats_export import FORMATS

    if target is not None and target.suffix.lower() not in FORMATS:
        print(f"不支持的输出格式“{target.suffix}”，可选：.xlsx、.docx、.json", file=sys.stderr)
        return 2
    from gongkai.accounts.models import Organisation
    from gongkai.cli.output import print_json, write_file
    from gongkai.domain.report.build import RecordError
    from gongkai.supervision.stats import period_statistics, rollup_statistics
    from gongkai.supervision.stats_export import export

    organisation = Organisation.objects.filter(code=args.org).first()
    if organisation is None:
        print(f"找不到机构代码 {args.org}", file=sys.stderr)
        return 2
    try:
        if args.rollup:
            stats = rollup_statistics(government=organisation, period=period)
        else:
            stats = period_statistics(organisation=organisation, period=period)
    except RecordError as exc:
        print(f"记录 {exc.record_id} 无法统计：{exc}", file=sys.stderr)
        return 2
    if target is not None:
        return write_file(target, export(stats, FORMATS[target.suffix.lower()]))
    if args.json:
        return print_json(stats.to_json())
    _print_table(stats)
    return 0


def _print_table(stats: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from gongkai.supervision.stats import t3_row_labels
    from gongkai.supervision.stats_export import figure_rows

    console = Console()
    table = Table(title=stats.title)
    table.add_column("表三项目")
    table.add_column("本期", justify="right")
    table.add_column("本年累计", justify="right")
    for key, label in t3_row_labels():
        table.add_row(label, str(stats.this_period.t3[key][6]), str(stats.year_to_date.t3[key][6]))
    console.print(table)
    other = Table(title="其他指标")
    other.add_column("类别")
    other.add_column("指标")
    other.add_column("本期", justify="right")
    other.add_column("本年累计", justify="right")
    for (section, label, now), (_, _, ytd) in zip(
        figure_rows(stats.this_period), figure_rows(stats.year_to_date), strict=True
    ):
        other.add_row(section, label, str(now), str(ytd))
    console.print(other)
