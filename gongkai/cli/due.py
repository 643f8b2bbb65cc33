"""`gongkai due`: the statutory deadlines of one application and how they were counted.

    gongkai due --received 2025-01-20 [--channel online|in_person|mail|letter|fax]
                [--correction-notice DATE --corrected DATE] [--pause START END]...
                [--extend] [--today DATE] [--json]

Exit status 0, or 2 with a Chinese message on stderr when the input is invalid. The JSON object is
documented in docs/deadlines.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from gongkai.cli.commands import help_of
from gongkai.domain.deadlines import (
    CORRECTION_NOTICE_DAYS,
    MAX_EXTENSION_DAYS,
    REPLY_DAYS,
    Channel,
    ConsultationAnswered,
    ConsultationStarted,
    Conventions,
    CorrectionNotice,
    CorrectionReceived,
    Deadlines,
    Event,
    EventError,
    ExtensionApproved,
    Receipt,
    compute_deadlines,
    group_trail,
)
from gongkai.domain.workdays import WorkdayCalendar, default_calendar

if TYPE_CHECKING:  # rich is imported for the text output only, not for --json
    from rich.table import Table

EXIT_OK, EXIT_INVALID = 0, 2
# China has one time zone and no daylight saving time.
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
# `--pause START END` excludes exactly the working days after START up to and including END, even
# past the consulted party's 15 working days (the case workbench records real answers instead).
CLI_CONVENTIONS = Conventions(consultation_capped=False)


class InputError(Exception):
    """Invalid command-line input; the message is Chinese."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "due",
        help=help_of("due"),
        description="按《政府信息公开条例》第三十条、第三十三条计算期限，并列出计算过程。",
    )
    parser.add_argument("--received", metavar="DATE", help="收到申请之日（YYYY-MM-DD）")
    parser.add_argument(
        "--channel",
        default=Channel.IN_PERSON.value,
        metavar="CHANNEL",
        help="申请渠道：online、in_person（默认）、mail、letter、fax",
    )
    parser.add_argument("--correction-notice", metavar="DATE", help="发出补正通知之日")
    parser.add_argument("--corrected", metavar="DATE", help="收到补正后申请之日（期限重新起算）")
    parser.add_argument(
        "--pause",
        nargs=2,
        action="append",
        default=[],
        metavar=("START", "END"),
        help="征求第三方意见的起止日期（START 次日至 END 不计入），可重复",
    )
    parser.add_argument(
        "--extend",
        nargs="?",
        const=True,
        metavar="DATE",
        help=(
            f"经批准延长答复期限 {MAX_EXTENSION_DAYS} 个工作日；"
            "DATE 为批准日期（默认记在原答复期限当日）"
        ),
    )
    parser.add_argument("--today", metavar="DATE", help="计算剩余工作日的日期（默认今天）")
    parser.add_argument("--json", action="store_true", help="输出 JSON（字段见 docs/deadlines.md）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    calendar = default_calendar()
    try:
        events = events_from_args(args)
        today = _date(args.today, "--today") if args.today else dt.datetime.now(CHINA_TIME).date()
        if args.extend is True:
            events.append(_extension_on_due(events, calendar))
        result = compute_deadlines(events, calendar, today=today, conventions=CLI_CONVENTIONS)
    except (InputError, EventError) as exc:
        print(f"gongkai due：{exc}", file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print(result, today, Channel(args.channel))
    return EXIT_OK


def events_from_args(args: argparse.Namespace) -> list[Event]:
    """Turn the options into dated events, rejecting contradictory input in Chinese."""
    if not args.received:
        raise InputError("缺少 --received（收到申请之日，格式 YYYY-MM-DD）")
    received = _date(args.received, "--received")
    events: list[Event] = [Receipt(received, _channel(args.channel))]
    events += _correction_events(args)
    for index, (start, end) in enumerate(args.pause):
        events += _pause_events(index, start, end)
    if isinstance(args.extend, str):
        events.append(ExtensionApproved(_date(args.extend, "--extend")))
    return events


def _extension_on_due(events: list[Event], calendar: WorkdayCalendar) -> ExtensionApproved:
    """`--extend` without a date: record the approval on the original reply deadline, the last
    day it can be given (第三十三条第二款); the extended deadline does not depend on the day."""
    due = compute_deadlines(events, calendar, conventions=CLI_CONVENTIONS).reply_due
    if due is None:
        raise InputError("尚未收到补正后的申请，答复期限尚未重新起算，不能延长（--extend）")
    return ExtensionApproved(due)


def _correction_events(args: argparse.Namespace) -> list[Event]:
    if args.corrected and not args.correction_notice:
        raise InputError("使用 --corrected 时须同时给出 --correction-notice（发出补正通知之日）")
    if not args.correction_notice:
        return []
    notice = _date(args.correction_notice, "--correction-notice")
    if not args.corrected:
        return [CorrectionNotice(notice)]
    corrected = _date(args.corrected, "--corrected")
    if corrected < notice:
        raise InputError(f"--corrected {corrected} 早于 --correction-notice {notice}")
    return [CorrectionNotice(notice), CorrectionReceived(corrected)]


def _pause_events(index: int, start_text: str, end_text: str) -> list[Event]:
    start, end = _date(start_text, "--pause"), _date(end_text, "--pause")
    if end < start:
        raise InputError(f"--pause {start} {end}：结束日期早于开始日期")
    ref = f"pause-{index}"
    return [ConsultationStarted(start, ref=ref), ConsultationAnswered(end, ref=ref)]


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} 的日期“{text}”无效，应为 YYYY-MM-DD，例如 2025-01-20") from None


def _channel(text: str) -> Channel:
    try:
        return Channel(text)
    except ValueError:
        names = "、".join(c.value for c in Channel)
        raise InputError(f"--channel 的值“{text}”无效，应为 {names} 之一") from None


# -- text output ----------------------------------------------------------------------------------


def _print(result: Deadlines, today: dt.date, channel: Channel) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    console.print(_summary(result, today, channel))
    trail = Table.grid(padding=(0, 2))
    trail.add_column(style="cyan", no_wrap=True)
    trail.add_column(overflow="fold")
    for run in group_trail(result.trail):
        trail.add_row(run.dates, Text(run.reason))
    console.print(Text("计算过程（未列出的日期为普通工作日，计入期限）", style="bold"))
    console.print(trail)


def _summary(result: Deadlines, today: dt.date, channel: Channel) -> Table:
    from rich.table import Table

    table = Table(title="政府信息公开申请期限", show_header=True, header_style="bold")
    table.add_column("项目")
    table.add_column("日期")
    table.add_column("说明")
    table.add_row("收到申请之日", str(result.receipt_date), f"第三十一条：{channel.receipt_rule}")
    table.add_row("起算日", str(result.clock_start), "当日不计入，次日起算")
    notice = f"第三十条，{CORRECTION_NOTICE_DAYS}个工作日"
    table.add_row("补正通知期限", str(result.correction_notice_due), notice)
    reply = f"第三十三条第二款，{REPLY_DAYS}个工作日"
    table.add_row("答复期限", _or_dash(result.reply_due), reply)
    extended = f"第三十三条第二款，另加{MAX_EXTENSION_DAYS}个工作日"
    table.add_row("延长后的答复期限", _or_dash(result.extended_reply_due), extended)
    table.add_row("状态", result.status.label, _position(result, today))
    if result.provisional:
        table.add_row(
            "暂定", "是", "涉及尚未公布调休安排的年份：已扣除法定节假日，其余按周一至周五计算"
        )
    return table


def _or_dash(day: dt.date | None) -> str:
    return "—" if day is None else str(day)


def _position(result: Deadlines, today: dt.date) -> str:
    remaining = result.remaining_working_days
    if remaining is None:
        return ""
    if result.overdue:
        return f"截至 {today} 已逾期 {-remaining} 个工作日"
    return f"截至 {today} 剩余 {remaining} 个工作日"
