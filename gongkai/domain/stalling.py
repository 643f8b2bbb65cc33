"""Stalling patterns the records of one application reveal (督办, issue 12).

Evaluations of 依申请公开 found offices stalling with 补正 notices and extensions issued just before
the reply deadline (shared/docs/public-and-supervision.md, "Applications" and "Indicators a
platform can compute"). The records show four patterns exactly:

- LATE_CORRECTION: a 补正 notice sent after the 7 working days of 条例第三十条;
- LAST_MINUTE_CORRECTION / LAST_MINUTE_EXTENSION: a 补正 notice or an extension dated within the
  last N working days before the reply deadline as it stood that day (N = `window`, default 3,
  the 工作台's "3个工作日内到期");
- EXTENSION_WITHOUT_REASON: an extension recorded without its reason (条例第三十三条第二款 requires
  the 工作机构负责人's approval and notice of the reason to the applicant);
- LATE_REPLY: a reply dated after the reply deadline as it stood that day (条例第三十三条).

Each deadline is the deadline engine's own (`compute_deadlines`) over the events *before* the
event judged — "the deadline at the time", not one computed with hindsight. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gongkai.domain.deadline_model import (
    CORRECTION_NOTICE_DAYS,
    DEFAULT_CONVENTIONS,
    Conventions,
    CorrectionNotice,
    Deadlines,
    Event,
    EventError,
    ExtensionApproved,
    ReplySent,
)
from gongkai.domain.deadlines import compute_deadlines
from gongkai.domain.workdays import WorkdayCalendar

DEFAULT_WINDOW = 3  # working days; the same "due soon" as the 工作台 (DUE_SOON_WORKDAYS)


class Pattern(enum.StrEnum):
    LATE_CORRECTION = "late_correction"
    LAST_MINUTE_CORRECTION = "last_minute_correction"
    LAST_MINUTE_EXTENSION = "last_minute_extension"
    EXTENSION_WITHOUT_REASON = "extension_without_reason"
    LATE_REPLY = "late_reply"

    @property
    def label(self) -> str:
        return PATTERNS[self][0]

    @property
    def explanation(self) -> str:
        return PATTERNS[self][1]

    @property
    def source(self) -> str:
        return PATTERNS[self][2]


# label, explanation, source
PATTERNS: Mapping[Pattern, tuple[str, str, str]] = {
    Pattern.LATE_CORRECTION: (
        "超期补正",
        f"补正通知应在收到申请之日起{CORRECTION_NOTICE_DAYS}个工作日内一次性发出，该通知发出时已超过期限",
        "《政府信息公开条例》第三十条",
    ),
    Pattern.LAST_MINUTE_CORRECTION: (
        "临期补正",
        "补正通知在答复期限届满前的最后几个工作日才发出，答复期限因此重新计算，可能被用于拖延",
        "《政府信息公开条例》第三十条；第三方评估发现的“临近期限补正”问题",
    ),
    Pattern.LAST_MINUTE_EXTENSION: (
        "临期延期",
        "延期在答复期限届满前的最后几个工作日才批准，可能被用于拖延",
        "《政府信息公开条例》第三十三条第二款；第三方评估发现的“临近期限延期”问题",
    ),
    Pattern.EXTENSION_WITHOUT_REASON: (
        "延期未载明理由",
        "延期答复应经政府信息公开工作机构负责人同意并告知申请人，记录中没有延期理由",
        "《政府信息公开条例》第三十三条第二款",
    ),
    Pattern.LATE_REPLY: (
        "逾期答复",
        "答复日期晚于当时的答复期限",
        "《政府信息公开条例》第三十三条",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One pattern found: the day of the event judged and the deadline it is measured against."""

    pattern: Pattern
    date: dt.date
    due: dt.date | None
    remaining: int | None = None  # counted working days from `date` to `due` (last-minute ones)

    @property
    def label(self) -> str:
        return self.pattern.label

    @property
    def dates_text(self) -> str:
        """The dates in words, for a supervisor's list."""
        match self.pattern:
            case Pattern.LATE_CORRECTION:
                return f"{self.date}发出补正通知，补正告知期限为{self.due}"
            case Pattern.LAST_MINUTE_CORRECTION:
                return f"{self.date}发出补正通知，距答复期限{self.due}仅剩{self.remaining}个工作日"
            case Pattern.LAST_MINUTE_EXTENSION:
                return f"{self.date}批准延期，距原答复期限{self.due}仅剩{self.remaining}个工作日"
            case Pattern.EXTENSION_WITHOUT_REASON:
                return f"{self.date}批准延期，未记录延期理由"
            case Pattern.LATE_REPLY:
                return f"{self.date}答复，答复期限为{self.due}"


def find_stalling(
    events: Sequence[Event],
    calendar: WorkdayCalendar,
    *,
    extension_reasons: Sequence[str] = (),
    window: int = DEFAULT_WINDOW,
    conventions: Conventions = DEFAULT_CONVENTIONS,
) -> list[Finding]:
    """The patterns in one application's events (sorted by date, as `compute_deadlines` takes
    them). `extension_reasons` are the recorded reasons of its extensions, in order (a missing
    one counts as empty). Events the engine rejects (`EventError`) yield no finding: a record
    that cannot be read is no evidence of stalling."""
    if window < 0:
        raise ValueError("window must be >= 0")
    findings: list[Finding] = []
    extensions = 0
    for index, event in enumerate(events):
        if not isinstance(event, CorrectionNotice | ExtensionApproved | ReplySent):
            continue
        before = _deadlines(events[:index], calendar, event.date, conventions)
        if isinstance(event, CorrectionNotice):
            # With the notice itself, the engine measures it from the receipt it answers.
            including = _deadlines(events[: index + 1], calendar, event.date, conventions)
            if including is not None and event.date > including.correction_notice_due:
                findings.append(
                    Finding(Pattern.LATE_CORRECTION, event.date, including.correction_notice_due)
                )
            found = _last_minute(Pattern.LAST_MINUTE_CORRECTION, event.date, before, window)
        elif isinstance(event, ExtensionApproved):
            reason = extension_reasons[extensions] if extensions < len(extension_reasons) else ""
            extensions += 1
            if not reason.strip():
                findings.append(Finding(Pattern.EXTENSION_WITHOUT_REASON, event.date, None))
            found = _last_minute(Pattern.LAST_MINUTE_EXTENSION, event.date, before, window)
        else:
            due = _due(before)
            found = None
            if due is not None and event.date > due:
                found = Finding(Pattern.LATE_REPLY, event.date, due)
        if found is not None:
            findings.append(found)
    return findings


def _deadlines(
    events: Sequence[Event], calendar: WorkdayCalendar, today: dt.date, conventions: Conventions
) -> Deadlines | None:
    if not events:
        return None
    try:
        return compute_deadlines(events, calendar, today=today, conventions=conventions)
    except EventError:
        return None


def _due(deadlines: Deadlines | None) -> dt.date | None:
    if deadlines is None:
        return None
    return deadlines.extended_reply_due or deadlines.reply_due


def _last_minute(
    pattern: Pattern, day: dt.date, before: Deadlines | None, window: int
) -> Finding | None:
    """Within the last `window` counted working days up to the deadline, the deadline day
    included (remaining 0 … window); after the deadline is another pattern's business."""
    due = _due(before)
    if before is None or due is None or before.remaining_working_days is None:
        return None
    remaining = before.remaining_working_days
    if 0 <= remaining <= window and day <= due:
        return Finding(pattern, day, due, remaining)
    return None
