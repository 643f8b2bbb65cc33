"""Statutory clock for an application (依申请公开): deadlines, pauses, restarts and their trail.

Pure functions over a case's dated events: the calendar, `today` and the counting conventions are
arguments (no clock, no settings). The events, conventions and result types live in
`deadline_model` and the trail in `deadline_trail`; everything public is importable from here.

Counting: working-day ordinals (`WorkdayCalendar.ordinal`) make "n working days after d" a
lookup; a pause shifts the deadline by the working days it covers, so a computation costs a few
lookups per pause, never a day-by-day loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeAlias

from gongkai.domain.deadline_model import (
    CONSULTATION_ANSWER_DAYS,
    CORRECTION_NOTICE_DAYS,
    DEFAULT_CONVENTIONS,
    FEE_PAYMENT_DAYS,
    MAX_EXTENSION_DAYS,
    REPLY_DAYS,
    Channel,
    ClockStatus,
    Consultation,
    ConsultationAnswered,
    ConsultationStarted,
    Conventions,
    CorrectionNotice,
    CorrectionReceived,
    Deadlines,
    Event,
    EventError,
    ExtensionApproved,
    FeeNoticeSent,
    FeePaid,
    Party,
    PauseSpan,
    Receipt,
    ReplySent,
    Timeline,
    TrailEntry,
    TrailKind,
    consultation_answer_due,
    counting_anchor,
    effective_receipt,
    last_date,
    parse_events,
)
from gongkai.domain.deadline_trail import TrailRun, build_trail, format_span, group_trail
from gongkai.domain.workdays import WorkdayCalendar

__all__ = [
    "CONSULTATION_ANSWER_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "DEFAULT_CONVENTIONS",
    "FEE_PAYMENT_DAYS",
    "MAX_EXTENSION_DAYS",
    "REPLY_DAYS",
    "Channel",
    "ClockStatus",
    "ConsultationAnswered",
    "ConsultationStarted",
    "Conventions",
    "CorrectionNotice",
    "CorrectionReceived",
    "Deadlines",
    "Event",
    "EventError",
    "ExtensionApproved",
    "FeeNoticeSent",
    "FeePaid",
    "Party",
    "Pause",
    "Receipt",
    "ReplySent",
    "TrailEntry",
    "TrailKind",
    "TrailRun",
    "add_counted_days",
    "compute_deadlines",
    "counted_days",
    "effective_receipt",
    "format_span",
    "group_trail",
    "merge_pauses",
    "reply_due",
    "signed_remaining",
]

Pause: TypeAlias = tuple[dt.date, dt.date]  # excludes the working days in (start, end]


def reply_due(
    calendar: WorkdayCalendar, received: dt.date, conventions: Conventions = DEFAULT_CONVENTIONS
) -> dt.date:
    """The 20-working-day reply deadline for an application received on `received`, without
    pauses (条例第三十三条第二款): the hot path of the benchmark, a few list lookups."""
    if conventions.receipt_day_counted:
        start = counting_anchor(effective_receipt(calendar, received, conventions), conventions)
        return calendar.add_workdays(start, REPLY_DAYS)
    roll = conventions.next_workday_receipt
    return calendar.add_workdays(received, REPLY_DAYS, roll_forward=roll)


def merge_pauses(pauses: Iterable[Pause]) -> tuple[Pause, ...]:
    """Union of the pauses as disjoint, sorted (start, end] intervals."""
    merged: list[Pause] = []
    for start, end in sorted(pauses):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return tuple(merged)


def add_counted_days(
    calendar: WorkdayCalendar, anchor: dt.date, n: int, pauses: Sequence[Pause] = ()
) -> dt.date:
    """The n-th counted working day after `anchor`, skipping the working days of each pause
    (条例第三十三条第三款). `pauses` must come from `merge_pauses`."""
    due = calendar.add_workdays(anchor, n)
    for start, end in pauses:
        low = max(start, anchor)
        if end <= low:
            continue
        if low >= due:
            break
        # Days counted before the pause stay counted; the pause's working days are added on.
        due = calendar.add_workdays(due, calendar.workdays_between(low, end))
    return due


def counted_days(
    calendar: WorkdayCalendar, start: dt.date, end: dt.date, pauses: Sequence[Pause] = ()
) -> int:
    """Counted working days in (start, end]: working days minus those inside a pause
    (`pauses` from `merge_pauses`, so that no day is subtracted twice)."""
    total = calendar.workdays_between(start, end)
    for p_start, p_end in pauses:
        low, high = max(p_start, start), min(p_end, end)
        if high > low:
            total -= calendar.workdays_between(low, high)
    return total


def signed_remaining(
    calendar: WorkdayCalendar, as_of: dt.date, due: dt.date, pauses: Sequence[Pause] = ()
) -> int:
    """Counted working days left after `as_of` up to `due`; negative once `due` has passed."""
    if as_of <= due:
        return counted_days(calendar, as_of, due, pauses)
    return -counted_days(calendar, due, as_of, pauses)


def compute_deadlines(
    events: Sequence[Event],
    calendar: WorkdayCalendar,
    *,
    today: dt.date | None = None,
    conventions: Conventions = DEFAULT_CONVENTIONS,
) -> Deadlines:
    """All deadlines of one application on `today`, with the trail that explains them.

    Raises `EventError` (Chinese message) when the events contradict each other.
    """
    timeline = parse_events(events)
    clock_start = effective_receipt(calendar, timeline.receipts[-1], conventions)
    anchor = counting_anchor(clock_start, conventions)
    pauses = _pauses(calendar, timeline, conventions)
    merged = merge_pauses((p.start, p.end) for p in pauses)
    reply, extended = _reply_deadlines(calendar, timeline, anchor, merged)
    status = _status(calendar, timeline, pauses, today)
    as_of = timeline.reply.date if timeline.reply else today
    remaining, overdue = _position(calendar, status, extended or reply, as_of, anchor, merged)
    result = Deadlines(
        receipt_date=timeline.receipt.date,
        clock_start=clock_start,
        correction_notice_due=_correction_notice_due(calendar, timeline, conventions),
        reply_due=reply,
        extended_reply_due=extended,
        fee_payment_due=_fee_payment_due(calendar, timeline),
        third_party_answer_due=_third_party_answer_due(calendar, timeline),
        remaining_working_days=remaining,
        overdue=overdue,
        provisional=False,
        status=status,
        trail=(),
    )
    provisional = calendar.any_provisional(result.receipt_date, last_date(result, events, as_of))
    result = replace(result, provisional=provisional)
    return replace(
        result, trail=build_trail(calendar, timeline, result, pauses, conventions, events)
    )


def _correction_notice_due(
    calendar: WorkdayCalendar, timeline: Timeline, conventions: Conventions
) -> dt.date:
    """7 working days from the receipt the latest 补正 notice answers, or from the current
    receipt when no notice has been sent (条例第三十条)."""
    notices = sum(isinstance(e, CorrectionNotice) for e in timeline.chain)
    base = timeline.receipts[max(notices - 1, 0)]
    start = counting_anchor(effective_receipt(calendar, base, conventions), conventions)
    return calendar.add_workdays(start, CORRECTION_NOTICE_DAYS)


def _third_party_answer_due(calendar: WorkdayCalendar, timeline: Timeline) -> dt.date | None:
    letters = [c.started for c in timeline.consultations if c.started.party is Party.THIRD_PARTY]
    return consultation_answer_due(calendar, letters[-1]) if letters else None


def _fee_payment_due(calendar: WorkdayCalendar, timeline: Timeline) -> dt.date | None:
    """20 working days from the day after the applicant receives the fee notice (spec §5)."""
    notice = timeline.fee_notice
    if notice is None:
        return None
    return calendar.add_workdays(notice.delivered or notice.date, FEE_PAYMENT_DAYS)


def _pauses(
    calendar: WorkdayCalendar, timeline: Timeline, conventions: Conventions
) -> list[PauseSpan]:
    """Excluded time: consultations (第三十三条第三款) and, by convention, the fee wait."""
    pauses = [_consultation_pause(calendar, c, conventions) for c in timeline.consultations]
    notice, due = timeline.fee_notice, _fee_payment_due(calendar, timeline)
    if conventions.fee_wait_pauses_clock and notice is not None and due is not None:
        paid = timeline.fee_paid
        end = due if paid is None else min(paid.date, due)
        pauses.append(PauseSpan(notice.date, end, "等待缴纳信息处理费，不计入", paid is None))
    return pauses


def _consultation_pause(
    calendar: WorkdayCalendar, consultation: Consultation, conventions: Conventions
) -> PauseSpan:
    started, answered = consultation.started, consultation.answered
    due = consultation_answer_due(calendar, started)
    reason = f"征求{started.party.label}意见，不计入"
    if answered is None:
        return PauseSpan(started.date, due, reason, True)
    end = min(answered.date, due) if conventions.consultation_capped else answered.date
    return PauseSpan(started.date, end, reason, False)


def _reply_deadlines(
    calendar: WorkdayCalendar, timeline: Timeline, anchor: dt.date, pauses: Sequence[Pause]
) -> tuple[dt.date | None, dt.date | None]:
    """Reply deadline and extended deadline (第三十三条第二款, 第三款); none while the applicant
    is correcting, because the period restarts from the corrected application (第三十条)."""
    if timeline.awaiting_correction:
        return None, None
    reply = add_counted_days(calendar, anchor, REPLY_DAYS, pauses)
    if not timeline.extensions:
        return reply, None
    days = REPLY_DAYS + timeline.extension_days
    return reply, add_counted_days(calendar, anchor, days, pauses)


def _status(
    calendar: WorkdayCalendar,
    timeline: Timeline,
    pauses: Sequence[PauseSpan],
    today: dt.date | None,
) -> ClockStatus:
    if timeline.reply is not None:
        return ClockStatus.REPLIED
    if timeline.awaiting_correction:
        return ClockStatus.AWAITING_CORRECTION
    if _fee_not_paid_in_time(calendar, timeline, today):
        return ClockStatus.ABANDONED
    if any(p.start < today <= p.end if today else p.open for p in pauses):
        return ClockStatus.PAUSED
    return ClockStatus.RUNNING


def _fee_not_paid_in_time(
    calendar: WorkdayCalendar, timeline: Timeline, today: dt.date | None
) -> bool:
    """Deemed abandoned: not paid by the fee deadline (国办函〔2020〕109号; report row （六）2)."""
    due = _fee_payment_due(calendar, timeline)
    if due is None:
        return False
    if timeline.fee_paid is not None:
        return timeline.fee_paid.date > due
    return today is not None and today > due


def _position(
    calendar: WorkdayCalendar,
    status: ClockStatus,
    due: dt.date | None,
    as_of: dt.date | None,
    anchor: dt.date,
    pauses: Sequence[Pause],
) -> tuple[int | None, bool | None]:
    """Counted working days left on `as_of` (the reply date once replied) and whether the
    deadline has passed; `None` where no deadline applies."""
    if due is None or as_of is None or status is ClockStatus.ABANDONED:
        return None, None
    as_of = max(as_of, anchor)
    return signed_remaining(calendar, as_of, due, pauses), as_of > due
