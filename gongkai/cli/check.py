"""`gongkai check FILE... [--previous FILE] [--json]`: audit published annual reports.

Exit status: 0 when no finding of error severity, 1 when any, 2 when a file could not be read
(the last wins over the others, so a script notices unread files first).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import ReportParseError, parse_report

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_FORMAT_LABEL = {
    "2021": "2021版",
    "2019": "2019版（试行）",
    "pre2019": "2019年以前",
    "unknown": "未识别",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="检查年度报告的表格勾稽关系、格式和文字与表格的一致性",
        description="检查政府信息公开工作年度报告（.docx / .pdf / .html / .txt / .json）。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="要检查的报告文件")
    parser.add_argument("--previous", metavar="FILE", help="同一机关上一年度的报告，用于跨年度核对")
    parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
    parser.set_defaults(func=run)


@dataclass(frozen=True)
class Outcome:
    file: str
    report: AnnualReport | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None

    @property
    def status(self) -> int:
        if self.error is not None:
            return EXIT_UNREADABLE
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_ERRORS
        return EXIT_OK


def read_report(path: str) -> AnnualReport:
    """Parse one file; OSError and ReportParseError carry the Chinese message to show."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ReportParseError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise ReportParseError(f"这是一个文件夹，不是文件：{path}") from exc
    except OSError as exc:
        raise ReportParseError(f"无法读取文件 {path}：{exc.strerror}") from exc
    return parse_report(data, path).report


def check_file(path: str, previous: AnnualReport | None) -> Outcome:
    from gongkai.domain.report.rules import check_report

    try:
        report = read_report(path)
    except ReportParseError as exc:
        return Outcome(path, error=str(exc))
    try:
        return Outcome(path, report, tuple(check_report(report, previous)))
    except Exception as exc:  # a rule failing on an odd report: unreadable (2), never a traceback
        return Outcome(path, error=f"检查规则无法处理此文件（{type(exc).__name__}），请报告此问题")


def run(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)
    previous: AnnualReport | None = None
    if args.previous:
        try:
            previous = read_report(args.previous)
        except ReportParseError as exc:
            err.print(f"[bold red]无法读取上一年度报告：[/]{exc}")
            return EXIT_UNREADABLE
    statuses: list[int] = []
    show_progress = len(args.files) > 20 and err.is_terminal
    with Progress(console=err, transient=True, disable=not show_progress) as progress:
        task = progress.add_task("正在检查", total=len(args.files))
        for path in args.files:
            outcome = check_file(path, previous)
            statuses.append(outcome.status)
            if args.json:
                print(json.dumps(outcome_to_json(outcome), ensure_ascii=False), flush=False)
            else:
                print_outcome(out, err, outcome)
            progress.advance(task)
    if not args.json and len(args.files) > 1:
        print_summary(out, statuses)
    return max(statuses) if statuses else EXIT_OK


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    if outcome.report is None:
        return {"file": outcome.file, "error": outcome.error}
    from gongkai.domain.report.renderers.json import report_to_dict

    document = report_to_dict(outcome.report)
    result: dict[str, Any] = {"file": outcome.file}
    result.update({k: document[k] for k in ("format", "agency", "year", "tables")})
    # What a null cell was (blank, "/", text) and which rows the document lacks.
    result.update({k: document[k] for k in ("placeholders", "invalid", "missing_rows")})
    result["findings"] = [finding.as_dict() for finding in outcome.findings]
    result["notes"] = [note.message for note in outcome.report.notes]
    return result


def print_outcome(out: Console, err: Console, outcome: Outcome) -> None:
    if outcome.report is None:
        err.print(f"[bold red]✗ {outcome.file}[/]：{outcome.error}")
        return
    report = outcome.report
    out.print(
        f"[bold]{outcome.file}[/]  格式：{_FORMAT_LABEL[report.format.value]}  "
        f"年度：{report.year or '未识别'}  机关：{report.agency or '未识别'}"
    )
    for note in report.notes:
        out.print(f"  [dim]解析说明：{note.message}[/]")
    if not outcome.findings:
        out.print("  [green]✓ 未发现问题[/]")
        return
    table = Table(show_lines=False, pad_edge=False)
    for header in ("规则", "级别", "位置", "说明"):
        table.add_column(header, overflow="fold")
    for finding in outcome.findings:
        style = _SEVERITY_STYLE[finding.severity]
        table.add_row(
            finding.rule, f"[{style}]{finding.severity.label}[/]", finding.where, finding.message
        )
    out.print(table)
    out.print("  " + _counts(outcome.findings))


def _counts(findings: tuple[Finding, ...]) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    return "，".join(f"{counts[s]} 个{s.label}" for s in Severity)


def print_summary(out: Console, statuses: list[int]) -> None:
    unreadable = statuses.count(EXIT_UNREADABLE)
    with_errors = statuses.count(EXIT_ERRORS)
    out.print(
        f"\n共检查 {len(statuses)} 个文件：{statuses.count(EXIT_OK)} 个无错误，"
        f"{with_errors} 个有错误，{unreadable} 个无法读取"
    )
