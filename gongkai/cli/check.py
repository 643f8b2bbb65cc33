"""`gongkai check PATH... [--previous FILE] [--json] [--jobs N] [--summary FILE]`: audit
published annual reports, one or a region's worth (files, folders, .zip; docs/audit-batch.md).

Exit status: 0 when no finding of error severity, 1 when any, 2 when a file could not be read
(the last wins over the others, so a script notices unread files first).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from gongkai.cli.commands import help_of
from gongkai.domain.report.batch import (
    REPORT_SUFFIXES,
    AuditedReport,
    ExtraCheck,
    Source,
    archive_sources,
    audit_batch,
    read_one,
    unreadable,
    with_previous,
)
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import ReportParseError, parse_report
from gongkai.domain.report.similarity import batch_similarity

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
        help=help_of("check"),
        description=(
            "检查政府信息公开工作年度报告（.docx / .pdf / .html / .txt / .json），"
            "可以是多个文件、文件夹（含子文件夹）或 .zip 压缩包；同一机关相邻年度的报告自动配对做跨年度核对。"
        ),
    )
    parser.add_argument(
        "files", nargs="+", metavar="PATH", help="要检查的报告文件、文件夹或 .zip 压缩包"
    )
    parser.add_argument("--previous", metavar="FILE", help="同一机关上一年度的报告，用于跨年度核对")
    parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="同时检查的进程数（默认：全部处理器核心）",
    )
    parser.add_argument(
        "--summary",
        metavar="FILE",
        help="汇总表（每个报告一行），按扩展名保存为 .xlsx / .csv / .html / .json",
    )
    parser.set_defaults(func=run)


# Checks over the whole batch, run after the cross-year pairing: 雷同 across agencies (D-02).
EXTRA_CHECKS: tuple[ExtraCheck, ...] = (batch_similarity,)


@dataclass(frozen=True)
class Outcome:
    file: str
    report: AnnualReport | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    risk: float | None = None
    previous: str | None = None

    @property
    def status(self) -> int:
        if self.error is not None:
            return EXIT_UNREADABLE
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_ERRORS
        return EXIT_OK

    @classmethod
    def of(cls, item: AuditedReport) -> Outcome:
        return cls(item.name, item.report, item.findings, item.error, item.risk, item.previous)


def read_report(path: str) -> AnnualReport:
    """Parse one file; OSError and ReportParseError carry the Chinese message to show."""
    return parse_report(read_bytes(path), path).report


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ReportParseError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise ReportParseError(f"这是一个文件夹，不是文件：{path}") from exc
    except OSError as exc:
        raise ReportParseError(f"无法读取文件 {path}：{exc.strerror}") from exc


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


def collect_sources(paths: list[str]) -> list[Source]:
    """Files as given; folders walked (sorted, hidden entries skipped) for report files and .zip
    files; a .zip read member by member from the open archive (batch.archive_sources)."""
    sources: list[Source] = []
    for path in paths:
        target = Path(path)
        if target.is_dir():
            for file in _walk(target):
                sources.extend(_file_sources(str(file)))
        else:
            sources.extend(_file_sources(path))
    return sources


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(files):
            suffix = Path(name).suffix.lower()
            if not name.startswith(".") and (suffix in REPORT_SUFFIXES or suffix == ".zip"):
                found.append(Path(root) / name)
    return found


def _file_sources(path: str) -> list[Source]:
    if path.lower().endswith(".zip") and Path(path).is_file():
        try:
            handle = open(path, "rb")  # noqa: SIM115  (members are read lazily, later)
        except OSError as exc:
            return [(path, partial(_fail, f"无法读取文件 {path}：{exc.strerror}"))]
        return archive_sources(path, handle)
    return [(path, partial(read_bytes, path))]


def _fail(reason: str) -> bytes:
    raise ReportParseError(reason)


def run(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)
    writer = None
    if args.summary:
        from gongkai.domain.report.batch_summary import WRITERS

        writer = WRITERS.get(Path(args.summary).suffix.lower())
        if writer is None:
            err.print("[bold red]汇总表只能保存为 .xlsx、.csv、.html 或 .json 文件[/]")
            return EXIT_UNREADABLE
    previous: AuditedReport | None = None
    if args.previous:
        try:
            previous = read_one(args.previous, read_bytes(args.previous))
        except ReportParseError as exc:
            previous = unreadable(args.previous, str(exc))
        if previous.error is not None:
            err.print(f"[bold red]无法读取上一年度报告：[/]{previous.error}")
            return EXIT_UNREADABLE
    sources = collect_sources(args.files)
    items = _audit(sources, args.jobs, err)
    if previous is not None:
        items = [with_previous(item, previous) for item in items]
    statuses = [Outcome.of(item).status for item in items]
    quiet = writer is not None and len(items) > 1
    for item in items:
        outcome = Outcome.of(item)
        if args.json:
            print(json.dumps(outcome_to_json(outcome), ensure_ascii=False), flush=False)
        elif not quiet:
            print_outcome(out, err, outcome)
        elif outcome.error is not None:
            err.print(f"[bold red]✗ {outcome.file}[/]：{outcome.error}")
    if writer is not None:
        Path(args.summary).write_bytes(writer(items))
    if not args.json and len(items) > 1:
        print_summary(out, statuses)
        if quiet:
            print_riskiest(out, items)
            out.print(f"汇总表已保存：{args.summary}")
    if not items:
        err.print("[bold red]没有找到可检查的报告文件[/]")
        return EXIT_UNREADABLE
    return max(statuses)


def _audit(sources: list[Source], jobs: int, err: Console) -> list[AuditedReport]:
    jobs = max(jobs, 1)
    if len(sources) <= 1 or not err.is_terminal:  # no bar to show, nothing of it to import
        return audit_batch(sources, jobs=jobs, extra_checks=EXTRA_CHECKS)
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("正在检查", total=len(sources))

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return audit_batch(sources, jobs=jobs, progress=advance, extra_checks=EXTRA_CHECKS)


def print_riskiest(out: Console, items: list[AuditedReport], count: int = 10) -> None:
    ranked = sorted(items, key=lambda item: (-item.risk, item.name))[:count]
    out.print("风险分最高的报告：")
    for item in ranked:
        out.print(
            f"  {item.risk:5.1f}  {item.name}  {item.agency or '未识别机关'} {item.year or ''}"
        )


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    if outcome.report is None:
        return {"file": outcome.file, "error": outcome.error, "risk": outcome.risk}
    from gongkai.domain.report.renderers.json import report_to_dict

    document = report_to_dict(outcome.report)
    result: dict[str, Any] = {"file": outcome.file}
    result.update({k: document[k] for k in ("format", "agency", "year", "tables")})
    # What a null cell was (blank, "/", text) and which rows the document lacks.
    result.update({k: document[k] for k in ("placeholders", "invalid", "missing_rows")})
    result["findings"] = [finding.as_dict() for finding in outcome.findings]
    result["risk"] = outcome.risk
    result["previous"] = outcome.previous
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
        + (f"  风险分：{outcome.risk:g}" if outcome.risk is not None else "")
        + (f"  上年报告：{outcome.previous}" if outcome.previous else "")
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
