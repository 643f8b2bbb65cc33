"""`gongkai render FILE --to OUT.{docx,html,pdf,txt,json}`: convert a report between formats.

FILE is any format `gongkai check` reads (.docx, .pdf, .html, .txt, .json); the output format
follows the extension of OUT. Exit status 0 on success, 2 when FILE cannot be read or OUT cannot
be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongkai.cli.commands import help_of

EXIT_OK, EXIT_UNREADABLE = 0, 2
EXTENSIONS = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "txt",
    ".json": "json",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render",
        help=help_of("render"),
        description="读取年度报告（.docx / .pdf / .html / .txt / .json），按官方格式输出为 --to 指定的文件。",
    )
    parser.add_argument("file", metavar="FILE", help="要转换的报告文件")
    parser.add_argument(
        "--to",
        required=True,
        metavar="OUT",
        help="输出文件；格式由扩展名决定：.docx、.html、.pdf、.txt 或 .json",
    )
    parser.set_defaults(func=run)


def output_format(path: str) -> str | None:
    return EXTENSIONS.get(Path(path).suffix.lower())


def run(args: argparse.Namespace) -> int:
    # Imported here so that `gongkai --help` does not load the parsers.
    from gongkai.cli.check import read_report
    from gongkai.domain.report.parsers import ReportParseError
    from gongkai.pdf import PdfError, export

    fmt = output_format(args.to)
    if fmt is None:
        choices = "、".join(sorted(set(EXTENSIONS)))
        print(f"无法确定输出格式：{args.to}（扩展名应为 {choices}）", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        report = read_report(args.file)
    except ReportParseError as exc:
        print(f"无法读取 {args.file}：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        content = export(report, fmt)
    except PdfError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        Path(args.to).write_bytes(content)
    except OSError as exc:
        print(f"无法写入 {args.to}：{exc.strerror}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"已生成 {args.to}")
    return EXIT_OK
