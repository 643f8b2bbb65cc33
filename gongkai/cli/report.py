"""`gongkai report export --org CODE --year YEAR --to FILE.{docx,html,pdf,txt,json}`: the annual
report of an organisation built from its records and its saved narrative, as the app shows it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongkai.cli.commands import help_of
from gongkai.cli.output import write_file
from gongkai.cli.render import EXTENSIONS  # the same output formats as `gongkai render`


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help=help_of("report"))
    actions = report.add_subparsers(dest="report_command", metavar="操作", required=True)
    export = actions.add_parser("export", help="导出年度报告")
    export.add_argument("--org", required=True, help="机构代码，如 WCBGS")
    export.add_argument("--year", required=True, type=int, help="报告年度，如 2024")
    export.add_argument("--to", required=True, help="输出文件：.docx / .html / .pdf / .txt / .json")
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    target = Path(args.to)
    fmt = EXTENSIONS.get(target.suffix.lower())
    if fmt is None:
        print(
            f"不支持的输出格式“{target.suffix}”，可选：.docx、.html、.pdf、.txt、.json",
            file=sys.stderr,
        )
        return 2
    from gongkai.cli.web import setup_django

    setup_django()
    from gongkai.accounts.models import Organisation
    from gongkai.domain.report.build import RecordError
    from gongkai.pdf import PdfError, export
    from gongkai.reports.checks import current_report

    organisation = Organisation.objects.filter(code=args.org).first()
    if organisation is None:
        print(f"找不到机构代码 {args.org}", file=sys.stderr)
        return 2
    try:
        built = current_report(organisation, args.year)
    except RecordError as exc:
        print(f"记录 {exc.record_id} 无法统计：{exc}", file=sys.stderr)
        return 2
    try:
        content = export(built.report, fmt)
    except PdfError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return write_file(target, content)
