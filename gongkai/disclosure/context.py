"""The facts a letter template is rendered with, gathered from an application and its timeline.

Python collects the facts and formats dates and amounts; every sentence of a letter stays in its
template. The variables are listed for administrators in `gongkai.disclosure.kinds`.

Values typed by people (names, the request, correction items, notes) are cleaned so that they
can never be read as markup: single-line values have their whitespace collapsed, multi-line
values are joined with U+2028 (one paragraph per line in the letter), and a leading marker
character is made full-width (`gongkai.disclosure.documents.neutralise`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from gongkai.cases.models import Application, Event
from gongkai.disclosure.documents import LINE_SEPARATOR, neutralise
from gongkai.disclosure.kinds import (
    CONSULTATION,
    CORRECTION,
    EXTENSION,
    FEE,
    FORM_KINDS,
    LETTER_KINDS,
    OUTCOME_KINDS,
    RECEIPT,
    SERVICE_PROOF,
)
from gongkai.domain.lifecycle import Action, ApplicantType, letter_number, outcome

# The timeline step each procedural letter is about; its date is the letter's date.
SOURCE_ACTIONS = {
    CORRECTION: Action.REQUEST_CORRECTION,
    EXTENSION: Action.EXTEND,
    CONSULTATION: Action.START_CONSULTATION,
    FEE: Action.NOTIFY_FEE,
}
CONCLUDING_ACTIONS = (
    Action.REPLY,
    Action.TRANSFER,
    Action.CLOSE_NO_CORRECTION,
    Action.CLOSE_NO_FEE,
    Action.WITHDRAW,
)


def last_event(events: Sequence[Event], *actions: str) -> Event | None:
    for event in reversed(events):
        if event.action in actions:
            return event
    return None


def source_event(application: Application, kind: str, events: Sequence[Event]) -> Event | None:
    """The step a letter reports: the notice, the extension, or the reply or closure."""
    if kind in SOURCE_ACTIONS:
        return last_event(events, SOURCE_ACTIONS[kind])
    if kind in OUTCOME_KINDS and application.outcome == kind:
        return last_event(events, *CONCLUDING_ACTIONS)
    return None


def letter_date(
    application: Application, kind: str, events: Sequence[Event], today: dt.date
) -> dt.date:
    """The date printed on the letter: that of the step it reports, else today (a draft). The
    登记回执 is dated the day the application was received; the 送达回证 the day of delivery."""
    if kind == RECEIPT:
        return application.received_on
    if kind == SERVICE_PROOF:
        delivered = last_event(events, Action.DELIVER)
        return delivered.date if delivered else today
    event = source_event(application, kind, events)
    return event.date if event is not None else today


def letter_context(
    *, application: Application, kind: str, on: dt.date, events: Sequence[Event]
) -> dict[str, Any]:
    """Everything a template may print except `you` and `remedy`, which are phrases rendered
    from their own templates (`gongkai.disclosure.services`)."""
    organisation = application.organisation
    parent = organisation.parent
    return {
        "agency": {
            "name": one_line(organisation.name),
            "address": one_line(organisation.address),
            "postcode": one_line(organisation.postcode),
            "phone": one_line(organisation.phone),
            "email": one_line(organisation.email),
        },
        "review_body": one_line(parent.name) if parent is not None else "",
        "tracking_no": application.tracking_no,
        **_doc_no(application, kind, events),
        "applicant": {
            "name": one_line(application.applicant_name),
            "is_person": application.applicant_type == ApplicantType.NATURAL,
            "address": one_line(application.address),
            "postcode": one_line(application.postcode),
        },
        "request": one_line(application.content),
        "received_on": cn_date(application.received_on),
        "letter_date": cn_date(on),
        "due_on": cn_date(application.due_on),
        "concluded_on": cn_date(application.concluded_on),
        **_outcome(application, kind, events),
        "correction": _correction(events),
        "extension": _extension(application, events),
        "consultation": _consultation(events),
        "fee": _fee(application, events),
        "delivery": _delivery(application, events),
    }


DRAFT_NUMBER = "（草稿，签发后编号）"


def _doc_no(application: Application, kind: str, events: Sequence[Event]) -> dict[str, Any]:
    """The letter's own 文号, given when its step was recorded (`LetterCounter`): 机关代字, year,
    number (GB/T 9704-2012 §7.2.4). A letter whose step is not taken yet — a reply still waiting
    for approval — is a draft and has none."""
    if kind in FORM_KINDS:
        return {"doc_no": "", "draft": False}  # forms carry no 文号 of their own
    event = source_event(application, kind, events)
    if event is None:
        return {"doc_no": DRAFT_NUMBER, "draft": True}
    number = _data(event).get("letter_no")
    if not isinstance(number, int):  # an unsaved sample case (template check)
        return {"doc_no": letter_number("", application.year, application.sequence), "draft": False}
    code = application.organisation.letter_code
    return {"doc_no": letter_number(code, event.date.year, number), "draft": False}


def _outcome(application: Application, kind: str, events: Sequence[Event]) -> dict[str, Any]:
    key = kind if kind in OUTCOME_KINDS else application.outcome
    if not key:
        blank = {"key": "", "label": "", "basis": ""}
        return {"outcome": blank, "legal_basis": "", "note": "", "reasons": "", "withdrawn": False}
    chosen = outcome(key)
    basis, note, reasons, withdrawn = chosen.basis, "", "", False
    proposal = last_event(events, Action.PROPOSE_REPLY)
    if application.outcome == key:
        conclusion = last_event(events, *CONCLUDING_ACTIONS)
        basis = application.legal_basis or basis
        note = conclusion.note if conclusion is not None else ""
        reasons = _data(conclusion).get("reasons", "")
        withdrawn = conclusion is not None and conclusion.action == Action.WITHDRAW
    elif proposal is not None and (proposal.data or {}).get("outcome") == key:
        basis = proposal.data.get("legal_basis") or basis
        note = proposal.note
        reasons = proposal.data.get("reasons", "")
    return {
        "outcome": {"key": chosen.key, "label": chosen.label, "basis": chosen.basis},
        "legal_basis": one_line(basis),
        # Templates print `note` where the reasons go: the reasons first, then any further note.
        "note": lines("\n".join(part for part in (reasons, note) if part.strip())),
        # The clerk's specific reasons (条例第三十六条), carried from the proposal through approval.
        "reasons": lines(reasons),
        "withdrawn": withdrawn,
    }


def _correction(events: Sequence[Event]) -> dict[str, str]:
    event = last_event(events, Action.REQUEST_CORRECTION)
    data = _data(event)
    correct_by = data.get("correct_by")
    return {
        "items": lines(str(data.get("items", ""))),
        "period": one_line(str(data.get("period", ""))),
        "notice_date": cn_date(event.date if event else None),
        # The date by which to correct (条例第三十条: 合理的补正期限), computed at the notice.
        "due_on": cn_date(dt.date.fromisoformat(correct_by)) if correct_by else "",
        "workdays": data.get("workdays") or "",
    }


def _extension(application: Application, events: Sequence[Event]) -> dict[str, str]:
    event = last_event(events, Action.EXTEND)
    reason = one_line(str(_data(event).get("reason", "")))
    return {
        # The template writes "因{{ extension.reason }}，": a final full stop would double up.
        "reason": reason.rstrip("。.；;，,"),
        "due_on": cn_date(application.due_on) if application.extended else "",
        "date": cn_date(event.date if event else None),
    }


def _consultation(events: Sequence[Event]) -> dict[str, str]:
    event = last_event(events, Action.START_CONSULTATION)
    data = _data(event)
    return {
        "party_name": one_line(str(data.get("consulted", ""))),
        "party": str(data.get("party", "")),
        "date": cn_date(event.date if event else None),
    }


def _fee(application: Application, events: Sequence[Event]) -> dict[str, Any]:
    event = last_event(events, Action.NOTIFY_FEE)
    data = _data(event)
    amount = data.get("amount")
    amount = amount if isinstance(amount, int) and amount > 0 else 0
    return {
        "amount": amount,
        "amount_upper": rmb_upper(amount) if amount else "",
        "method": str(data.get("method", "")),
        "basis": one_line(str(data.get("basis", ""))).rstrip("。.；;，,"),
        "notice_date": cn_date(event.date if event else None),
        "due_on": cn_date(application.fee_due),
    }


_DELIVERY_METHODS = {
    "in_person": "直接送达",
    "mail": "邮寄送达",
    "email": "电子邮件送达",
    "online": "网上送达",
}


def _delivery(application: Application, events: Sequence[Event]) -> dict[str, str]:
    """What the 送达回证 proves: the reply or closing letter, its 文号, how and when it went."""
    if not application.outcome:
        return {"title": "", "doc_no": "", "method": "", "address": "", "date": ""}
    delivered = last_event(events, Action.DELIVER)
    method = str(_data(delivered).get("method", "")) if delivered else ""
    return {
        "title": LETTER_KINDS.get(application.outcome, ""),
        "doc_no": _doc_no(application, application.outcome, events)["doc_no"],
        "method": _DELIVERY_METHODS.get(method, method),
        "address": one_line(application.address),
        "date": cn_date(delivered.date if delivered else None),
    }


def _data(event: Event | None) -> dict[str, Any]:
    return dict(event.data or {}) if event is not None else {}


# ---------------------------------------------------------------- formatting


def cn_date(day: dt.date | None) -> str:
    """2025年3月3日: Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.1)."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")


def rmb_upper(amount: int) -> str:
    """A whole number of yuan in capital numerals, as on a receipt: 4700 → 肆仟柒佰元整."""
    if amount < 0 or amount >= 10**12:
        raise ValueError(f"金额超出范围：{amount}")
    if amount == 0:
        return "零元整"
    groups: list[int] = []
    while amount:
        amount, group = divmod(amount, 10000)
        groups.append(group)
    text, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"  # 壹万零伍拾: a zero between groups is read out once
        text += _group_upper(group) + _GROUPS[index]
        gap = False
    return text + "元整"


def _group_upper(group: int) -> str:
    text, gap = "", False
    for place in (3, 2, 1, 0):
        digit = group // 10**place % 10
        if digit == 0:
            gap = bool(text)
            continue
        if gap:
            text += "零"
            gap = False
        text += _DIGITS[digit] + _PLACES[place]
    return text


# ---------------------------------------------------------------- cleaning typed values


def one_line(value: str) -> str:
    """A typed value on one line, with no leading markup marker."""
    return neutralise(" ".join(value.split()))


def lines(value: str) -> str:
    """A typed multi-line value: its non-empty lines joined with U+2028."""
    kept = (" ".join(line.split()) for line in value.splitlines())
    return LINE_SEPARATOR.join(neutralise(line) for line in kept if line)
