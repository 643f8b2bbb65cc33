"""The statutory clock's vocabulary: events, conventions, results, and the rules tied to one event.

Periods (spec §4.10), each applied in `gongkai.domain.deadlines`:

- 补正 notice: 7 working days from receipt (《政府信息公开条例》第三十条);
- reply: 20 working days from receipt (第三十三条第二款), restarted by a corrected application
  (第三十条);
- extension: at most 20 more working days with the 工作机构负责人's approval (第三十三条第二款);
- consultation of a third party (第三十二条) or another agency (第三十四条): not counted
  (第三十三条第三款); the consulted party answers within 15 working days;
- fee payment: 20 working days from the day after the fee notice is received (国办函〔2020〕109号 as
  restated by the provincial notices, spec §5).

`parse_events` checks that a list of events can describe a real case (`EventError`, with a Chinese
message, otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeAlias, TypeVar

from gongkai.domain.workdays import WorkdayCalendar


class _Dated(Protocol):
    @property
    def date(self) -> dt.date: ...


_E = TypeVar("_E", bound=_Dated)


CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
REPLY_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
CONSULTATION_ANSWER_DAYS = 15  # 条例第三十二条 (third party), 第三十四条 (other agencies)
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 as restated by the Sichuan notice, spec §5 [V1]


class Channel(StrEnum):
    """How the application arrived; 条例第三十一条 fixes the receipt date for each channel."""

    ONLINE = "online"
    IN_PERSON = "in_person"
    MAIL = "mail"
    LETTER = "letter"
    FAX = "fax"
    ORAL = "oral"  # 第二十九条第一款: oral application, form filled in by staff

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]

    @property
    def receipt_rule(self) -> str:
        """Which day is 收到申请之日 for this channel (条例第三十一条)."""
        return _CHANNEL_RULES[self]


_CHANNEL_LABELS: Mapping[Channel, str] = {
    Channel.ONLINE: "互联网渠道",
    Channel.IN_PERSON: "当面提交",
    Channel.MAIL: "邮寄（需签收）",
    Channel.LETTER: "平常信函",
    Channel.FAX: "传真",
    Channel.ORAL: "口头申请（代为填写）",
}


_CHANNEL_RULES: Mapping[Channel, str] = {
    Channel.ONLINE: "以双方确认之日为收到申请之日",
    Channel.IN_PERSON: "以提交之日为收到申请之日",
    Channel.MAIL: "以签收之日为收到申请之日",
    Channel.LETTER: "以与申请人确认之日为收到申请之日",
    Channel.FAX: "以双方确认之日为收到申请之日",
    Channel.ORAL: "以工作人员代为填写申请之日为收到申请之日",
}


class Party(StrEnum):
    """Who is consulted: a third party (第三十二条) or another agency (第三十四条)."""

    THIRD_PARTY = "third_party"
    OTHER_AGENCY = "other_agency"

    @property
    def label(self) -> str:
        return "第三方" if self is Party.THIRD_PARTY else "其他机关"

    @property
    def article(self) -> str:
        return "第三十二条" if self is Party.THIRD_PARTY else "第三十四条"


class ClockStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    AWAITING_CORRECTION = "awaiting_correction"
    REPLIED = "replied"
    ABANDONED = "abandoned"  # fee not paid in time: 视为放弃, report row （六）2

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS: Mapping[ClockStatus, str] = {
    ClockStatus.RUNNING: "计时中",
    ClockStatus.PAUSED: "暂停计时",
    ClockStatus.AWAITING_CORRECTION: "等待申请人补正",
    ClockStatus.REPLIED: "已答复",
    ClockStatus.ABANDONED: "逾期未缴费，视为放弃申请",
}


class TrailKind(StrEnum):
    EVENT = "event"
    SKIPPED = "skipped"  # a rest day: weekend or holiday
    COUNTED = "counted"  # a weekend day that counts: 调休上班
    PAUSED = "paused"  # excluded by 第三十三条第三款 or the fee wait
    DEADLINE = "deadline"
    NOTE = "note"


DAY_KINDS = frozenset({TrailKind.SKIPPED, TrailKind.COUNTED, TrailKind.PAUSED})


TRAIL_ORDER = {kind: i for i, kind in enumerate(TrailKind)}


@dataclass(frozen=True)
class Receipt:
    """收到申请: `date` is the receipt date the channel's rule gives (条例第三十一条)."""

    date: dt.date
    channel: Channel = Channel.IN_PERSON


@dataclass(frozen=True)
class CorrectionNotice:
    """补正 notice sent to the applicant (条例第三十条: within 7 working days, once, in full)."""

    date: dt.date


@dataclass(frozen=True)
class CorrectionReceived:
    """Corrected application received: the reply period restarts from this date (第三十条)."""

    date: dt.date


@dataclass(frozen=True)
class ConsultationStarted:
    """Consultation letter sent (第三十二条, 第三十四条); `delivered` is when the party received
    it, from which its 15 working days run (defaults to `date`). `ref` pairs it with its answer."""

    date: dt.date
    party: Party = Party.THIRD_PARTY
    delivered: dt.date | None = None
    ref: str = ""


@dataclass(frozen=True)
class ConsultationAnswered:
    """Consulted party's answer received; the clock resumes the next day."""

    date: dt.date
    party: Party = Party.THIRD_PARTY
    ref: str = ""


@dataclass(frozen=True)
class ExtensionApproved:
    """Extension approved by the 工作机构负责人 (第三十三条第二款: ≤ 20 working days)."""

    date: dt.date
    working_days: int = MAX_EXTENSION_DAYS


@dataclass(frozen=True)
class FeeNoticeSent:
    """收费通知 sent (国办函〔2020〕109号); `delivered`: when the applicant got it."""

    date: dt.date
    delivered: dt.date | None = None


@dataclass(frozen=True)
class FeePaid:
    date: dt.date


@dataclass(frozen=True)
class ReplySent:
    """答复 sent: the clock stops."""

    date: dt.date


Event: TypeAlias = (
    Receipt
    | CorrectionNotice
    | CorrectionReceived
    | ConsultationStarted
    | ConsultationAnswered
    | ExtensionApproved
    | FeeNoticeSent
    | FeePaid
    | ReplySent
)


@dataclass(frozen=True)
class Conventions:
    """Counting conventions the 条例 leaves open; each is documented in docs/decisions.md.

    - `next_workday_receipt`: an application arriving on a non-working day is treated as received
      on the next working day (practice; 条例第三十一条 is silent).
    - `receipt_day_counted`: False — the day of receipt is not counted, counting starts the next
      day (spec §4.10, practitioner guidance and the general rule of Chinese procedural law).
    - `fee_wait_pauses_clock`: True — the reply clock stops from the fee notice to payment
      (spec §5: unconfirmed nationally, model "awaiting payment" as a pause, configurable).
    - `consultation_capped`: True — a consultation pause ends when the consulted party's 15
      working days expire even if its answer comes later (spec §4.5; 第三十二条: no answer → the
      agency decides).
    """

    next_workday_receipt: bool = True
    receipt_day_counted: bool = False
    fee_wait_pauses_clock: bool = True
    consultation_capped: bool = True


DEFAULT_CONVENTIONS = Conventions()


@dataclass(frozen=True)
class TrailEntry:
    date: dt.date
    reason: str
    kind: TrailKind = TrailKind.NOTE


@dataclass(frozen=True)
class Deadlines:
    """The computed deadlines; `to_json()` gives the documented JSON object (docs/deadlines.md)."""

    receipt_date: dt.date
    clock_start: dt.date
    correction_notice_due: dt.date
    reply_due: dt.date | None
    extended_reply_due: dt.date | None
    fee_payment_due: dt.date | None
    third_party_answer_due: dt.date | None
    remaining_working_days: int | None
    overdue: bool | None
    provisional: bool
    status: ClockStatus
    trail: tuple[TrailEntry, ...]

    @property
    def governing_due(self) -> dt.date | None:
        """The deadline that applies now: the extended one once an extension is approved."""
        return self.extended_reply_due or self.reply_due

    def to_json(self) -> dict[str, object]:
        return {
            "receipt_date": self.receipt_date.isoformat(),
            "clock_start": self.clock_start.isoformat(),
            "correction_notice_due": self.correction_notice_due.isoformat(),
            "reply_due": _iso(self.reply_due),
            "extended_reply_due": _iso(self.extended_reply_due),
            "remaining_working_days": self.remaining_working_days,
            "overdue": self.overdue,
            "provisional": self.provisional,
            "trail": [{"date": e.date.isoformat(), "reason": e.reason} for e in self.trail],
        }


class EventError(ValueError):
    """The events cannot describe a real case; the message is Chinese and shown to the user."""


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def effective_receipt(
    calendar: WorkdayCalendar, day: dt.date, conventions: Conventions = DEFAULT_CONVENTIONS
) -> dt.date:
    """The day the period is counted from: `day`, or the next working day when it is a rest day
    and `conventions.next_workday_receipt` (条例第三十一条 + documented convention)."""
    if conventions.next_workday_receipt and not calendar.is_workday(day):
        return calendar.add_workdays(day, 1)
    return day


def counting_anchor(day: dt.date, conventions: Conventions) -> dt.date:
    # The last day *not* counted: the receipt day itself, or the day before when it counts.
    return day - dt.timedelta(1) if conventions.receipt_day_counted else day


def consultation_answer_due(calendar: WorkdayCalendar, started: ConsultationStarted) -> dt.date:
    """15 working days from the consulted party's receipt of the letter (第三十二条, 第三十四条)."""
    return calendar.add_workdays(started.delivered or started.date, CONSULTATION_ANSWER_DAYS)


@dataclass(frozen=True)
class PauseSpan:
    start: dt.date  # last counted day before the pause
    end: dt.date  # last day of the pause; counting resumes the next day
    reason: str  # shown for each day of the pause
    open: bool  # no answer or payment yet: `end` is the date it is projected to lapse


def last_date(result: Deadlines, events: Sequence[Event], as_of: dt.date | None) -> dt.date:
    dates = [
        result.correction_notice_due,
        result.reply_due,
        result.extended_reply_due,
        result.fee_payment_due,
        result.third_party_answer_due,
        as_of,
        *(e.date for e in events),
    ]
    return max(d for d in dates if d is not None)


_EVENT_LABELS: Mapping[type, str] = {
    Receipt: "收到申请",
    CorrectionNotice: "补正通知",
    CorrectionReceived: "收到补正后的申请",
    ConsultationStarted: "征求意见",
    ConsultationAnswered: "收到意见",
    ExtensionApproved: "延长答复期限",
    FeeNoticeSent: "收费通知",
    FeePaid: "缴费",
    ReplySent: "答复",
}


Correction: TypeAlias = CorrectionNotice | CorrectionReceived


@dataclass(frozen=True)
class Consultation:
    started: ConsultationStarted
    answered: ConsultationAnswered | None


@dataclass(frozen=True)
class Timeline:
    receipt: Receipt
    chain: tuple[Correction, ...]  # alternating notice, corrected application, notice, …
    consultations: tuple[Consultation, ...]
    extensions: tuple[ExtensionApproved, ...]
    fee_notice: FeeNoticeSent | None
    fee_paid: FeePaid | None
    reply: ReplySent | None

    @property
    def awaiting_correction(self) -> bool:
        return bool(self.chain) and isinstance(self.chain[-1], CorrectionNotice)

    @property
    def receipts(self) -> tuple[dt.date, ...]:
        """The original receipt date, then each corrected application's."""
        corrected = (e.date for e in self.chain if isinstance(e, CorrectionReceived))
        return (self.receipt.date, *corrected)

    @property
    def extension_days(self) -> int:
        return sum(e.working_days for e in self.extensions)


def _only(events: Sequence[Event], kind: type[_E]) -> list[_E]:
    return sorted((e for e in events if isinstance(e, kind)), key=lambda e: e.date)


def parse_events(events: Sequence[Event]) -> Timeline:
    """Check that the events can describe a real case and order them (raises `EventError`)."""
    receipts = _only(events, Receipt)
    if len(receipts) != 1:
        raise EventError("须有且只有一个“收到申请”事件")
    receipt = receipts[0]
    for event in events:
        if event.date < receipt.date:
            label = _EVENT_LABELS[type(event)]
            raise EventError(f"{label}日期 {event.date} 早于收到申请之日 {receipt.date}")
    replies = _only(events, ReplySent)
    if len(replies) > 1:
        raise EventError("只能有一个“答复”事件")
    reply = replies[0] if replies else None
    if reply is not None:
        _check_nothing_after(events, reply.date)
    fee_notice, fee_paid = _fee_events(events)
    return Timeline(
        receipt=receipt,
        chain=_correction_chain(events),
        consultations=_consultations(events),
        extensions=_extensions(events),
        fee_notice=fee_notice,
        fee_paid=fee_paid,
        reply=reply,
    )


def _check_nothing_after(events: Sequence[Event], reply_date: dt.date) -> None:
    for event in events:
        if event.date > reply_date:
            label = _EVENT_LABELS[type(event)]
            raise EventError(f"{label}日期 {event.date} 晚于答复日期 {reply_date}")


def _correction_chain(events: Sequence[Event]) -> tuple[Correction, ...]:
    # 第三十条: one complete notice per round, and a corrected application only answers a notice.
    chain = sorted(
        (e for e in events if isinstance(e, CorrectionNotice | CorrectionReceived)),
        key=lambda e: (e.date, isinstance(e, CorrectionReceived)),
    )
    for i, event in enumerate(chain):
        expected = CorrectionNotice if i % 2 == 0 else CorrectionReceived
        if isinstance(event, expected):
            continue
        if isinstance(event, CorrectionReceived):
            raise EventError(f"{event.date} 收到补正后的申请，但此前没有发出补正通知")
        raise EventError(
            f"{event.date} 再次发出补正通知，但尚未收到补正后的申请（第三十条：一次性告知）"
        )
    return tuple(chain)


def _consultations(events: Sequence[Event]) -> tuple[Consultation, ...]:
    """Pair each letter with its answer by (party, ref), in date order."""
    answers: dict[tuple[Party, str], list[ConsultationAnswered]] = {}
    for answer in _only(events, ConsultationAnswered):
        answers.setdefault((answer.party, answer.ref), []).append(answer)
    paired: list[Consultation] = []
    for started in _only(events, ConsultationStarted):
        if started.delivered is not None and started.delivered < started.date:
            raise EventError(f"征求意见函送达日期 {started.delivered} 早于发出日期 {started.date}")
        queue = answers.get((started.party, started.ref), [])
        answered = queue.pop(0) if queue else None
        if answered is not None and answered.date < started.date:
            raise EventError(
                f"收到{started.party.label}意见的日期 {answered.date} 早于征求意见日期"
            )
        paired.append(Consultation(started, answered))
    for queue in answers.values():
        if queue:
            raise EventError(f"{queue[0].date} 收到意见，但没有对应的征求意见事件")
    return tuple(paired)


def _extensions(events: Sequence[Event]) -> tuple[ExtensionApproved, ...]:
    extensions = tuple(_only(events, ExtensionApproved))
    if any(e.working_days < 1 for e in extensions):
        raise EventError("延长的工作日数须为正数")
    if sum(e.working_days for e in extensions) > MAX_EXTENSION_DAYS:
        raise EventError("延长答复期限最长不得超过20个工作日（第三十三条第二款）")
    return extensions


def _fee_events(events: Sequence[Event]) -> tuple[FeeNoticeSent | None, FeePaid | None]:
    notices, payments = _only(events, FeeNoticeSent), _only(events, FeePaid)
    if len(notices) > 1 or len(payments) > 1:
        raise EventError("收费通知和缴费各只能有一个")
    notice = notices[0] if notices else None
    paid = payments[0] if payments else None
    if paid is not None and (notice is None or paid.date < notice.date):
        raise EventError(f"{paid.date} 缴费，但此前没有发出收费通知")
    if notice is not None and notice.delivered is not None and notice.delivered < notice.date:
        raise EventError(f"收费通知送达日期 {notice.delivered} 早于发出日期 {notice.date}")
    return notice, paid
