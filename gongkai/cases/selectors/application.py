"""The application page: data, timeline, deadline with its trail, the next legal actions,
attachments and letters; and the small reads of the views that change an application."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse

from gongkai.accounts.access import User, roles_in, writable_organisation_ids
from gongkai.accounts.models import Organisation
from gongkai.cases.access import get_application_for_user
from gongkai.cases.choices import DELIVERY_METHODS, FEE_METHODS, PARTIES
from gongkai.cases.forms import (
    ActionForm,
    CorrectionForm,
    UploadForm,
    VoidForm,
    action_form,
    default_bases,
)
from gongkai.cases.letters import Letter, letters_for
from gongkai.cases.models import Application, Attachment, Delivery, Event, Form
from gongkai.cases.personal import ACTING_ROLES, hidden_fields
from gongkai.cases.selectors.common import Calendars, Remaining
from gongkai.cases.selectors.history import EarlierRequest, applicant_history
from gongkai.cases.services import CORRECTABLE_FIELDS, ServiceError, deadlines_of, masked_changes
from gongkai.domain.deadline_model import Channel, Deadlines
from gongkai.domain.deadlines import TrailRun, group_trail
from gongkai.domain.identity import IdType
from gongkai.domain.lifecycle import (
    REVIEWED_FIELDS,
    UNRECEIVED_STATUSES,
    Action,
    ApplicantType,
    RecordChange,
    Role,
    Status,
    allowed_actions,
    allowed_record_changes,
    letter_number,
    outcomes,
    sign_off_allows,
)
from gongkai.domain.workdays import WorkdayCalendar


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    label: str
    details: list[tuple[str, str]]
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # a correction's old → new


@dataclass
class ActionPanel:
    action: Action
    form: ActionForm
    url: str
    open: bool = False


@dataclass
class ApplicationPage:
    application: Application
    roles: frozenset[Role]
    can_act: bool
    timeline: list[TimelineEntry]
    attachments: list[Attachment]
    deadlines: Deadlines | None
    deadline_error: str
    trail: tuple[TrailRun, ...]
    remaining: Remaining
    actions: list[ActionPanel]
    letters: list[tuple[str, str, str]]  # (kind, label, url)
    upload_form: UploadForm
    correct_form: CorrectionForm | None = None  # None: the user may not correct now
    void_form: VoidForm | None = None
    outcome_label: str = ""
    bases: dict[str, str] = field(default_factory=default_bases)
    revealed: dict[str, str] = field(default_factory=dict)  # full values shown this once
    reveal_buttons: tuple[str, ...] = ()  # fields the user may reveal here
    # The same applicant's other requests here: evidence for a 重复申请 (条例第三十六条（六）).
    history: list[EarlierRequest] = field(default_factory=list)

    @property
    def voided(self) -> bool:
        return self.status is Status.VOIDED

    @property
    def status(self) -> Status:
        return self.application.status_enum

    @property
    def channel(self) -> Channel:
        return Channel(self.application.channel)

    @property
    def correction_notice_open(self) -> bool:
        """A 补正 notice can still be sent (条例第三十条: within 7 working days of receipt)."""
        return Action.REQUEST_CORRECTION in allowed_actions(self.status)

    @property
    def can_reveal_id(self) -> bool:
        return "id_number" in self.reveal_buttons and "id_number" not in self.revealed

    @property
    def can_reveal_phone(self) -> bool:
        return "phone" in self.reveal_buttons and "phone" not in self.revealed


def application_page(
    user: User,
    pk: int,
    *,
    today: dt.date,
    bound: tuple[Action, ActionForm] | None = None,
    upload_form: UploadForm | None = None,
    revealed: dict[str, str] | None = None,
    correct_form: CorrectionForm | None = None,
    void_form: VoidForm | None = None,
) -> ApplicationPage:
    """Everything the application page shows; `bound` (and the other forms) replace a form by
    the one the user submitted, with its errors; `revealed`, the full values `personal.reveal`
    gave."""
    application = get_application_for_user(user, pk)
    # One read of the timeline serves the deadlines, the timeline and the last proposal.
    prefetch_related_objects(
        [application], Prefetch("events", queryset=Event.objects.select_related("actor"))
    )
    roles = roles_in(user, application.organisation)
    calendars = Calendars()
    deadlines, error = _deadlines(application, today, calendars.of(application.organisation))
    due = application.fee_due if application.status_enum is Status.AWAITING_FEE else None
    governing = deadlines.governing_due if deadlines else application.due_on
    return ApplicationPage(
        application=application,
        roles=roles,
        can_act=bool(roles & ACTING_ROLES),
        timeline=_timeline(application),
        attachments=list(application.attachments.select_related("uploaded_by")),
        deadlines=deadlines,
        deadline_error=error,
        trail=group_trail(deadlines.trail) if deadlines else (),
        remaining=calendars.remaining(
            application.organisation,
            (due or governing) if application.status_enum.is_open else None,
            today,
        ),
        actions=_action_panels(application, roles, today, bound),
        letters=_letters(application),
        upload_form=upload_form or UploadForm(),
        outcome_label=_outcome_label(application.outcome),
        revealed=revealed or {},
        reveal_buttons=hidden_fields(application) if roles & ACTING_ROLES else (),
        history=applicant_history(application),
        **_record_forms(application, roles, correct_form, void_form),
    )


def _record_forms(
    application: Application,
    roles: frozenset[Role],
    correct_form: CorrectionForm | None,
    void_form: VoidForm | None,
) -> dict[str, Any]:
    """The 更正 and 作废 forms the user may use now (the record-change table decides)."""
    allowed = allowed_record_changes(application.status_enum, roles)
    forms: dict[str, Any] = {}
    if RecordChange.CORRECT in allowed:
        forms["correct_form"] = correct_form or correction_form(application, roles)
    if RecordChange.VOID in allowed:
        forms["void_form"] = void_form or VoidForm()
    return forms


def correction_form(
    application: Application, roles: frozenset[Role], data: Any = None
) -> CorrectionForm:
    """The correction form, with the fields this user may not correct locked."""
    locked: frozenset[str] = frozenset()
    if not roles & {Role.REVIEWER, Role.ADMIN}:
        locked = REVIEWED_FIELDS
    return CorrectionForm(data, application=application, locked=locked)


def _deadlines(
    application: Application, today: dt.date, calendar: WorkdayCalendar
) -> tuple[Deadlines | None, str]:
    if application.status_enum in UNRECEIVED_STATUSES:
        return (
            None,
            "网上申请尚未签收，签收之日为收到申请之日（条例第三十一条第三项），期限自签收后计算",
        )
    try:
        return deadlines_of(application, today, calendar=calendar), ""
    except ServiceError as exc:
        return None, exc.message


def _outcome_label(key: str) -> str:
    labels = {o.key: o.label for o in outcomes()}
    return labels.get(key, key)


def _action_panels(
    application: Application,
    roles: frozenset[Role],
    today: dt.date,
    bound: tuple[Action, ActionForm] | None,
) -> list[ActionPanel]:
    proposal = _last_proposal(application)
    panels = []
    for action in _chain_actions(application, allowed_actions(application.status_enum, roles)):
        url = reverse("cases:act", args=[application.pk, action.value])
        if bound is not None and bound[0] is action:
            panels.append(ActionPanel(action, bound[1], url, open=True))
        else:
            panels.append(
                ActionPanel(action, action_form(action, today=today, proposal=proposal), url)
            )
    return panels


def _chain_actions(application: Application, actions: list[Action]) -> list[Action]:
    """Less the steps the organisation's sign-off chain does not allow now (RV-3)."""
    required = application.organisation.leader_signoff
    return [a for a in actions if sign_off_allows(a, application.status_enum, required)]


def _events(application: Application) -> list[Event]:
    return sorted(application.events.all(), key=lambda event: (event.date, event.id))


def _last_proposal(application: Application) -> dict[str, str] | None:
    if application.status_enum not in (Status.REVIEW, Status.SIGNOFF):
        return None
    proposals = [e for e in _events(application) if e.action == Action.PROPOSE_REPLY]
    return dict(proposals[-1].data) if proposals else None


def _timeline(application: Application) -> list[TimelineEntry]:
    return [
        TimelineEntry(e, e.label, _event_details(e), _correction_changes(e))
        for e in _events(application)
    ]


def _correction_changes(event: Event) -> list[tuple[str, str, str]]:
    """(field, old, new) of a correction, in words, identity numbers and phones masked."""
    if event.action != RecordChange.CORRECT:
        return []
    changes = masked_changes((event.data or {}).get("changes", {}))
    return [
        (CORRECTABLE_FIELDS.get(name, name), _shown(name, values.get("old")),
         _shown(name, values.get("new")))
        for name, values in changes.items()
    ]  # fmt: skip


_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "applicant_type": {t.value: t.label for t in ApplicantType},
    "id_type": {t.value: t.label for t in IdType},
    "channel": {c.value: c.label for c in Channel},
    "form": dict(Form.choices),
    "delivery": dict(Delivery.choices),
}


def _shown(name: str, value: Any) -> str:
    if value in ("", None):
        return "（空）"
    return _CHOICE_LABELS.get(name, {}).get(str(value), str(value))


LETTER_EVENT = "letter"  # a generated letter's entry (gongkai.cases.models.EVENT_LABELS)

_DETAIL_LABELS = {
    "items": "补正事项",
    "period": "补正期限说明",
    "correct_by": "补正截止日期",
    "consulted": "被征求意见方",
    "opinion": "意见",
    "reason": "延期理由",
    "basis": "收费依据",
    "legal_basis": "法律依据",
    "tracking_number": "邮件单号",
    "to": "发送至",
    "error": "失败原因",
}
_NOTICE_CHANNELS = {"email": "电子邮件", "sms": "短信"}


def _event_details(event: Event) -> list[tuple[str, str]]:
    data: dict[str, Any] = event.data or {}
    details: list[tuple[str, str]] = []
    for key, value in data.items():
        # The note already says it (the 补正 items, the extension's reason, the channel); a
        # correction's changes are listed apart (`_correction_changes`).
        if value in ("", None) or str(value) == event.note or key in ("channel", "changes"):
            continue
        if event.action == LETTER_EVENT and key in ("kind", "name"):
            continue  # the note is the letter's title; the file is among the attachments
        if key == "notice":
            continue  # the note is the notice's subject
        if key == "via":
            details.append(("方式", _NOTICE_CHANNELS.get(str(value), str(value))))
            continue
        if key == "letter_no":
            details.append(("文号", _letter_number(event, value)))
            continue
        details.append(_detail(event.action, key, value))
    return details


def _letter_number(event: Event, number: Any) -> str:
    code = event.application.organisation.letter_code
    return letter_number(code, event.date.year, int(number))


def _detail(action: str, key: str, value: Any) -> tuple[str, str]:
    if key == "outcome":
        return "答复类型", _outcome_label(str(value))
    if key == "party":
        return "类型", PARTIES.get(value, value)
    if key == "amount":
        return "收费金额", f"{value}元"
    if key == "workdays":
        return "补正期限", f"{value}个工作日"
    if key == "status" and action == RecordChange.VOID:
        return "作废前状态", Status(value).label if value in set(Status) else str(value)
    if key == "method":
        methods = FEE_METHODS if action == Action.NOTIFY_FEE else DELIVERY_METHODS
        return ("计费方式" if action == Action.NOTIFY_FEE else "送达方式"), methods.get(
            value, value
        )
    return _DETAIL_LABELS.get(key, key), str(value)


def _letters(application: Application) -> list[Letter]:
    """The letters the letters app (through `gongkai.cases.letters`) can generate now."""
    if application.status_enum is Status.VOIDED:
        return []  # a voided application is answered by no letter
    return letters_for(application)


# ---------------------------------------------------------------- small reads for the views


def attachment_for_user(user: User, application_pk: int, attachment_pk: int) -> Attachment:
    """An attachment of an application the user may read (404 otherwise, like the application)."""
    application = get_application_for_user(user, application_pk)
    try:
        return application.attachments.get(pk=attachment_pk)
    except Attachment.DoesNotExist:
        raise Http404("没有找到这个附件") from None


def registration_organisations(user: User) -> QuerySet[Organisation]:
    """Where the user may register applications: organisations where they act."""
    return Organisation.objects.filter(id__in=writable_organisation_ids(user)).order_by("code")
