"""The trail of a deadline computation: every event, deadline and non-ordinary day, in Chinese.

One entry per day that is skipped (周末, a holiday's name), counted although a weekend (调休上班) or
excluded (征求第三方意见，不计入), so that a reader can recount each period by hand; `group_trail`
merges consecutive days for display (`2025-01-28…02-04 春节`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from gongkai.domain.deadline_model import (
    CONSULTATION_ANSWER_DAYS,
    CORRECTION_NOTICE_DAYS,
    DAY_KINDS,
    FEE_PAYMENT_DAYS,
    REPLY_DAYS,
    TRAIL_ORDER,
    ConsultationAnswered,
    Conventions,
    CorrectionReceived,
    Deadlines,
    Event,
    Party,
    PauseSpan,
    Timeline,
    TrailEntry,
    TrailKind,
    consultation_answer_due,
    counting_anchor,
    effective_receipt,
    last_date,
)
from gongkai.domain.workdays import DayKind, WorkdayCalendar


@dataclass(frozen=True)
class TrailRun:
    """Consecutive trail days with the same reason, for display: `2025-01-28…02-04 春节`."""

    start: dt.date
    end: dt.date
    reason: str
    kind: TrailKind

    @property
    def dates(self) -> str:
        return format_span(self.start, self.end)


def format_span(start: dt.date, end: dt.date) -> str:
    """`2025-03-03…03-14`; a single day is just its ISO date."""
    if start == end:
        return start.isoformat()
    tail = end.strftime("%m-%d") if end.year == start.year else end.isoformat()
    return f"{start.isoformat()}…{tail}"


def group_trail(trail: Iterable[TrailEntry]) -> tuple[TrailRun, ...]:
    """Merge consecutive days with the same reason into runs, for display."""
    runs: list[TrailRun] = []
    others: list[TrailRun] = []
    for entry in trail:
        if entry.kind not in DAY_KINDS:
            others.append(TrailRun(entry.date, entry.date, entry.reason, entry.kind))
            continue
        last = runs[-1] if runs else None
        if (
            last
            and (last.reason, last.kind) == (entry.reason, entry.kind)
            and (entry.date - last.end).days == 1
        ):
            runs[-1] = replace(last, end=entry.date)
        else:
            runs.append(TrailRun(entry.date, entry.date, entry.reason, entry.kind))
    return tuple(sorted(runs + others, key=lambda r: (r.start, TRAIL_ORDER[r.kind])))


def build_trail(
    calendar: WorkdayCalendar,
    timeline: Timeline,
    result: Deadlines,
    pauses: Sequence[PauseSpan],
    conventions: Conventions,
    events: Sequence[Event],
) -> tuple[TrailEntry, ...]:
    """Events, deadlines and every non-ordinary day from the receipt to the last deadline."""
    end = last_date(result, events, None)
    entries = [
        *_receipt_entries(calendar, timeline, conventions),
        *_correction_entries(calendar, timeline, conventions),
        *_consultation_entries(calendar, timeline),
        *_extension_entries(timeline, result),
        *_fee_entries(timeline, result, conventions),
        *_reply_entries(timeline, result),
        *_deadline_entries(calendar, timeline, result, conventions),
        *_day_entries(calendar, result.receipt_date, end, pauses),
        *_provisional_entries(calendar, result, end),
    ]
    return tuple(sorted(entries, key=lambda e: (e.date, TRAIL_ORDER[e.kind])))


def _event(day: dt.date, reason: str) -> TrailEntry:
    return TrailEntry(day, reason, TrailKind.EVENT)


def _arrival_entries(
    calendar: WorkdayCalendar, day: dt.date, what: str, conventions: Conventions, noun: str
) -> list[TrailEntry]:
    """An application's arrival, rolled to the next working day when it is a rest day
    (条例第三十一条 + `Conventions.next_workday_receipt`)."""
    counting = "当日计入" if conventions.receipt_day_counted else "当日不计入，次日起算"
    start = effective_receipt(calendar, day, conventions)
    if start == day:
        return [_event(day, f"{what}，{counting}")]
    rest = calendar.explain(day)
    return [
        _event(day, f"{what}；当日为{rest}，视为下一工作日收到"),
        _event(start, f"视为收到{noun}之日，{counting}"),
    ]


def _receipt_entries(
    calendar: WorkdayCalendar, timeline: Timeline, conventions: Conventions
) -> list[TrailEntry]:
    channel = timeline.receipt.channel
    what = f"收到申请（{channel.label}，{channel.receipt_rule}，第三十一条）"
    return _arrival_entries(calendar, timeline.receipt.date, what, conventions, "申请")


def _correction_entries(
    calendar: WorkdayCalendar, timeline: Timeline, conventions: Conventions
) -> list[TrailEntry]:
    entries: list[TrailEntry] = []
    receipts = iter(timeline.receipts)
    answered = next(receipts)
    for event in timeline.chain:
        if isinstance(event, CorrectionReceived):
            what = "收到补正后的申请，答复期限重新起算（第三十条）"
            entries += _arrival_entries(calendar, event.date, what, conventions, "补正后的申请")
            answered = next(receipts)
            continue
        start = counting_anchor(effective_receipt(calendar, answered, conventions), conventions)
        due = calendar.add_workdays(start, CORRECTION_NOTICE_DAYS)
        entries.append(_event(event.date, _notice_reason(calendar, event.date, due)))
    if timeline.awaiting_correction:
        note = "等待申请人补正：自收到补正后的申请之日起重新计算答复期限（第三十条）"
        entries.append(TrailEntry(timeline.chain[-1].date, note, TrailKind.NOTE))
    return entries


def _notice_reason(calendar: WorkdayCalendar, sent: dt.date, due: dt.date) -> str:
    if sent <= due:
        return f"发出补正通知（第三十条，期限 {due}，按期）"
    late = calendar.workdays_between(due, sent)
    return f"发出补正通知（第三十条，期限 {due}，逾期 {late} 个工作日）"


def _consultation_entries(calendar: WorkdayCalendar, timeline: Timeline) -> list[TrailEntry]:
    entries: list[TrailEntry] = []
    for consultation in timeline.consultations:
        started, answered = consultation.started, consultation.answered
        party, due = started.party, consultation_answer_due(calendar, started)
        entries.append(
            _event(
                started.date,
                f"发出征求{party.label}意见函（{party.article}），次日起暂停计算"
                "（第三十三条第三款：征求意见所需时间不计算在答复期限内）",
            )
        )
        if started.delivered is not None and started.delivered != started.date:
            entries.append(_event(started.delivered, f"{party.label}收到征求意见函"))
        entries.append(_answer_due_entry(party, due, answered))
        if answered is not None:
            entries.append(_event(answered.date, _answer_reason(party, answered.date, due)))
    return entries


def _answer_due_entry(
    party: Party, due: dt.date, answered: ConsultationAnswered | None
) -> TrailEntry:
    reason = f"{party.label}答复期限（{party.article}，{CONSULTATION_ANSWER_DAYS}个工作日）"
    if answered is None or answered.date > due:
        reason += "；逾期未答复的，由行政机关依法决定，次日起恢复计算"
    return TrailEntry(due, reason, TrailKind.DEADLINE)


def _answer_reason(party: Party, answered: dt.date, due: dt.date) -> str:
    if answered <= due:
        return f"收到{party.label}意见，次日起恢复计算"
    return f"收到{party.label}意见（晚于答复期限 {due}）"


def _extension_entries(timeline: Timeline, result: Deadlines) -> list[TrailEntry]:
    entries: list[TrailEntry] = []
    for extension in timeline.extensions:
        reason = (
            f"经政府信息公开工作机构负责人同意并告知申请人，延长答复期限 "
            f"{extension.working_days} 个工作日（第三十三条第二款）"
        )
        if result.reply_due is not None and extension.date > result.reply_due:
            reason += f"；延长决定晚于原答复期限 {result.reply_due}"
        entries.append(_event(extension.date, reason))
    return entries


def _fee_entries(
    timeline: Timeline, result: Deadlines, conventions: Conventions
) -> list[TrailEntry]:
    notice, paid, due = timeline.fee_notice, timeline.fee_paid, result.fee_payment_due
    if notice is None or due is None:
        return []
    pausing = conventions.fee_wait_pauses_clock
    reason = (
        f"发出收费通知（国办函〔2020〕109号），"
        f"申请人应自收到通知次日起{FEE_PAYMENT_DAYS}个工作日内缴费"
    )
    entries = [_event(notice.date, reason + ("；等待缴费期间暂停计算" if pausing else ""))]
    if notice.delivered is not None and notice.delivered != notice.date:
        entries.append(_event(notice.delivered, "申请人收到收费通知"))
    due_reason = f"缴费期限（{FEE_PAYMENT_DAYS}个工作日）"
    if paid is None or paid.date > due:
        due_reason += "；逾期未缴费的，视为放弃申请，不再处理"
    entries.append(TrailEntry(due, due_reason, TrailKind.DEADLINE))
    if paid is not None:
        late = paid.date > due
        paid_reason = f"申请人缴费（晚于缴费期限 {due}）" if late else "申请人缴费"
        entries.append(_event(paid.date, paid_reason + ("，次日起恢复计算" if pausing else "")))
    return entries


def _reply_entries(timeline: Timeline, result: Deadlines) -> list[TrailEntry]:
    reply, due = timeline.reply, result.governing_due
    if reply is None:
        return []
    if due is None:
        return [_event(reply.date, "作出答复")]
    if reply.date <= due:
        return [_event(reply.date, f"作出答复（答复期限 {due}，按期）")]
    late = -(result.remaining_working_days or 0)
    return [_event(reply.date, f"作出答复（答复期限 {due}，逾期 {late} 个工作日）")]


def _deadline_entries(
    calendar: WorkdayCalendar, timeline: Timeline, result: Deadlines, conventions: Conventions
) -> list[TrailEntry]:
    anchor = counting_anchor(result.clock_start, conventions)
    label = f"补正通知期限（第三十条，{CORRECTION_NOTICE_DAYS}个工作日）"
    entries = [TrailEntry(result.correction_notice_due, label, TrailKind.DEADLINE)]
    if result.reply_due is not None:
        label = f"答复期限（第三十三条第二款，{REPLY_DAYS}个工作日"
        entries.append(_period_entry(calendar, anchor, result.reply_due, REPLY_DAYS, label))
    if result.extended_reply_due is not None:
        extra = timeline.extension_days
        label = f"延长后的答复期限（第三十三条第二款，{REPLY_DAYS}+{extra}个工作日"
        due = result.extended_reply_due
        entries.append(_period_entry(calendar, anchor, due, REPLY_DAYS + extra, label))
    return entries


def _period_entry(
    calendar: WorkdayCalendar, anchor: dt.date, due: dt.date, counted: int, label: str
) -> TrailEntry:
    excluded = calendar.workdays_between(anchor, due) - counted
    if excluded > 0:
        label += f"，另有 {excluded} 个工作日不计入"
    return TrailEntry(due, label + "）", TrailKind.DEADLINE)


def _day_entries(
    calendar: WorkdayCalendar, first: dt.date, last: dt.date, pauses: Sequence[PauseSpan]
) -> list[TrailEntry]:
    """Every day after `first` up to `last` that is paused, a rest day or a 调休 working day."""
    paused = _paused_days(calendar, first, last, pauses)
    entries = [TrailEntry(d, "；".join(r), TrailKind.PAUSED) for d, r in paused.items()]
    for day, kind in calendar.notable_days(first, last):
        if day in paused:
            continue
        trail_kind = TrailKind.COUNTED if kind is DayKind.MAKEUP_WORKDAY else TrailKind.SKIPPED
        entries.append(TrailEntry(day, calendar.explain(day), trail_kind))
    return entries


def _paused_days(
    calendar: WorkdayCalendar, first: dt.date, last: dt.date, pauses: Sequence[PauseSpan]
) -> dict[dt.date, list[str]]:
    """Each day of each pause's excluded span within (first, last], with its reasons."""
    paused: dict[dt.date, list[str]] = {}
    for pause in pauses:
        low, high = _excluded_span(calendar, pause)
        low, high = max(low, first + dt.timedelta(1)), min(high, last)
        for offset in range(high.toordinal() - low.toordinal() + 1):
            reasons = paused.setdefault(low + dt.timedelta(offset), [])
            if pause.reason not in reasons:
                reasons.append(pause.reason)
    return paused


def _excluded_span(calendar: WorkdayCalendar, pause: PauseSpan) -> tuple[dt.date, dt.date]:
    """First to last excluded working day of a pause: rest days at its edges keep their own
    reason (`2025-03-03…03-14 征求第三方意见，不计入` for a letter sent on Friday 02-28)."""
    low = calendar.add_workdays(pause.start, 1)
    high = calendar.nth_workday(calendar.ordinal(pause.end))
    return low, high


def _provisional_entries(
    calendar: WorkdayCalendar, result: Deadlines, last: dt.date
) -> list[TrailEntry]:
    """spec §7: a year without a published schedule is counted provisionally: the law's statutory
    holidays are rest days (gongkai.domain.holidays), the rest Monday–Friday."""
    for year in range(result.receipt_date.year, last.year + 1):
        if calendar.is_provisional(dt.date(year, 1, 1)):
            day = max(result.receipt_date, dt.date(year, 1, 1))
            note = (
                f"{year}年节假日调休安排尚未公布，已扣除法定节假日，其余按周一至周五计算，"
                "结果为暂定，公布后须重新计算"
            )
            return [TrailEntry(day, note, TrailKind.NOTE)]
    return []
