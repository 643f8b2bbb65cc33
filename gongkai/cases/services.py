"""Every change to an application: one keyword-only function per state change, each in a
transaction, each leaving a timeline entry. Views, the API, the ledger import and the demo data
all come through here.

The legality of a step is decided by the transition table of `gongkai.domain.lifecycle`; the
deadlines by `gongkai.domain.deadlines`. A refused step raises `ServiceError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.access import roles_in
from gongkai.accounts.errors import ServiceError as ServiceError  # every app's refusal
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.applicant_notices import NOTICE, notify_after_commit
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import (
    Application,
    Attachment,
    Event,
    LetterCounter,
    OnlineSubmission,
    TrackingCounter,
    user_display_name,
)
from gongkai.cases.online import (
    MAX_CORRECTION_TEXT,
    SUBMIT,
    Submitted,
    code_digest,
    new_lookup_code,
)
from gongkai.domain import deadline_model as dm
from gongkai.domain.deadline_model import Channel, EventError
from gongkai.domain.deadlines import compute_deadlines
from gongkai.domain.identity import IdType, mask_id, normalize_id, validate_id
from gongkai.domain.lifecycle import (
    CLOSURE_OUTCOMES,
    LETTER_ACTIONS,
    UNRECEIVED_STATUSES,
    Action,
    ApplicantType,
    RecordChange,
    Role,
    Status,
    TransitionError,
    check_record_change,
    check_transition,
    find_transition,
    needs_reasons,
    outcome,
    outcomes,
    sign_off_allows,
)
from gongkai.domain.plausibility import (
    fee_problem,
    has_visible_text,
    old_receipt_warning,
    receipt_date_problem,
    trim,
)
from gongkai.domain.workdays import WorkdayCalendar
from gongkai.domain.zipcheck import zip_problem

REGISTER = "register"


CONFIRM_RECEIVED_ON = "confirm_old_received_on"


@dataclass(frozen=True)
class Applicant:
    type: str
    name: str
    id_type: str
    id_number: str
    phone: str = ""
    address: str = ""
    postcode: str = ""
    email: str = ""


@dataclass(frozen=True)
class Registration:
    applicant: Applicant
    channel: str
    received_on: dt.date
    content: str
    purpose: str = ""
    form: str = "electronic"
    delivery: str = "email"
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- registration


def application_register(
    *,
    actor: User | None,
    organisation: Organisation,
    data: Registration,
    today: dt.date | None = None,
    confirm_old_received_on: bool = True,
    notify: bool = True,
) -> Application:
    """Register a new application (条例第二十九条, 第三十一条) and give it a tracking number.

    The applicant is told by e-mail/SMS once it is registered (`applicant_notices`), unless
    `notify` is off (a ledger import enters history, not news).

    A receipt more than RECEIPT_CONFIRM_DAYS ago is refused unless `confirm_old_received_on`:
    the form and the API ask the user; the ledger import and the demo register old records on
    purpose (the import's review screen is their confirmation)."""
    if actor is not None:
        _require_role(actor, organisation, {Role.CLERK, Role.REVIEWER, Role.ADMIN}, "登记申请")
    today = today or timezone.localdate()
    _validate_registration(data, today)
    if not confirm_old_received_on:
        _check_old_receipt(data.received_on, today)
    with transaction.atomic():
        application = _create_application(
            organisation, data.received_on.year, data,
            channel=data.channel, received_on=data.received_on,
        )  # fmt: skip
        register_event(application, actor, data).save()
        refresh_deadlines(application, today)
        if notify:
            notify_after_commit(application, REGISTER, data.received_on, today)
    return application


def _create_application(
    organisation: Organisation, year: int, data: Registration, **fields: Any
) -> Application:
    """The application of `data` under the organisation's next tracking number of `year` (inside
    the caller's transaction: the number's row lock holds until it commits)."""
    application = new_application(organisation, year, _next_sequence(organisation, year), data)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(force_insert=True)
    return application


def new_application(
    organisation: Organisation, year: int, sequence: int, data: Registration
) -> Application:
    """The unsaved application of `data` numbered `sequence` of `year`, with what was typed
    trimmed and the ID number normalised. Registration one by one and the ledger's bulk import
    both build their rows here (decision IM-1)."""
    return Application(
        organisation=organisation,
        year=year,
        sequence=sequence,
        tracking_no=f"{organisation.code}-{year}-{sequence:04d}",
        applicant_type=data.applicant.type,
        applicant_name=trim(data.applicant.name),
        id_type=data.applicant.id_type,
        id_number=normalize_id(data.applicant.id_number),
        phone=trim(data.applicant.phone),
        address=trim(data.applicant.address),
        postcode=trim(data.applicant.postcode),
        email=data.applicant.email.strip(),
        content=trim(data.content),
        purpose=trim(data.purpose),
        form=data.form,
        delivery=data.delivery,
        channel=data.channel,
        received_on=data.received_on,
    )


def register_event(application: Application, actor: User | None, data: Registration) -> Event:
    """The unsaved timeline entry of a registration (one by one and in bulk)."""
    return Event(
        application=application,
        action=REGISTER,
        date=data.received_on,
        actor=actor,
        actor_name=user_display_name(actor) if actor is not None else "",
        note=f"登记（{Channel(data.channel).label}）",
        data={"channel": data.channel},
    )


def registration_check(data: Registration, today: dt.date) -> None:
    """What `application_register` checks of the data itself (no database): raises ServiceError."""
    _validate_registration(data, today)


def _validate_registration(data: Registration, today: dt.date) -> None:
    a = data.applicant
    _choice(a.type, ApplicantType, "applicant.type", "申请人类型")
    _choice(a.id_type, IdType, "applicant.id_type", "证件类型")
    _choice(data.channel, Channel, "channel", "申请方式")
    if not has_visible_text(a.name):
        # Spaces, zero-width or control characters only: nothing a reply could be addressed to.
        raise ServiceError("请填写申请人姓名或名称", field="applicant.name")
    if len(a.name) > 200:
        raise ServiceError("申请人姓名或名称过长", field="applicant.name")
    problem = validate_id(IdType(a.id_type), a.id_number)
    if problem:
        raise ServiceError(problem, field="applicant.id_number")
    if not (a.phone.strip() or a.address.strip() or a.email.strip()):
        # 条例第二十九条第二款（一）: the application names a way to reach the applicant.
        raise ServiceError(
            "请至少填写一种联系方式（电话、地址或电子邮箱）", field="applicant.phone"
        )
    if not has_visible_text(data.content):
        raise ServiceError("请填写申请公开的政府信息内容", field="content")
    problem = receipt_date_problem(data.received_on, today)
    if problem:
        raise ServiceError(problem, field="received_on")
    if data.form not in {"paper", "electronic"}:
        raise ServiceError("载体形式应为 paper 或 electronic", field="form")
    if data.delivery not in {"pickup", "mail", "email", "online"}:
        raise ServiceError("获取方式应为 pickup、mail、email 或 online", field="delivery")


def _check_old_receipt(received_on: dt.date, today: dt.date) -> None:
    warning = old_receipt_warning(received_on, today, settings.RECEIPT_CONFIRM_DAYS)
    if warning:
        raise ServiceError(
            f"{warning}；确认无误的，请勾选“确认收到日期”",
            field="received_on",
            code=CONFIRM_RECEIVED_ON,
        )


def _choice(value: str, enum: type, field_name: str, label: str) -> None:
    values = {member.value for member in enum}  # type: ignore[attr-defined]
    if value not in values:
        raise ServiceError(
            f"{label}无效：{value}（可选：{'、'.join(sorted(values))}）", field=field_name
        )


def _next_sequence(
    organisation: Organisation, year: int, counter_model: type[Any] = TrackingCounter
) -> int:
    """The next number of the year, under a row lock so concurrent registrations never clash."""
    return reserve_sequences(organisation, year, 1, counter_model)


def reserve_sequences(
    organisation: Organisation, year: int, count: int, counter_model: type[Any] = TrackingCounter
) -> int:
    """The first of `count` consecutive numbers of the year, taken at once under the counter's
    row lock (held until the caller's transaction ends): a bulk import numbers its rows exactly
    as `count` registrations one after another would."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _ = counter_model.objects.select_for_update().get_or_create(
                    organisation=organisation, year=year
                )
                counter.last += count
                counter.save(update_fields=["last"])
                return int(counter.last) - count + 1
        except IntegrityError:
            continue  # two first numbers of the year created the counter at once
    raise ServiceError("编号分配冲突，请重试", kind="conflict")


# ---------------------------------------------------------------- internet applications


def application_submit_online(
    *,
    organisation: Organisation,
    data: Registration,
    files: Sequence[tuple[str, bytes]] = (),
    now: dt.datetime | None = None,
    code: str | None = None,
    key_digest: str | None = None,
    request_hash: str = "",
) -> Submitted:
    """An application sent through the 专栏: stored as 待签收 with its tracking number and a new
    查询码 (hashed). It is not received until the clerk's 签收 (条例第三十一条（三）): no deadline
    runs and no report counts it (docs/decisions.md PA-1, PA-2). Attachments pass the same checks
    as the office's uploads; one refused file refuses the whole submission.

    `code`, `key_digest` and `request_hash` come from a submission under a key
    (gongkai.cases.idempotency.submit_online_once): the code derived from the key, the key's
    digest (unique: a second submission with it fails with IntegrityError) and the content's."""
    today = timezone.localdate() if now is None else timezone.localdate(now)
    now = now or timezone.now()
    if data.channel != Channel.ONLINE:
        raise ServiceError("网上申请的申请方式应为互联网渠道", field="channel")
    if data.received_on != today:
        raise ServiceError("网上申请的提交日期应为今天", field="received_on")
    _validate_registration(data, today)
    code = code or new_lookup_code()
    salt = secrets.token_hex(16)
    with transaction.atomic():
        application = _create_application(
            organisation, today.year, data, status=Status.SUBMITTED, channel=Channel.ONLINE,
            # Provisional: the submission day; the 签收 replaces it with the day of receipt.
            received_on=today,
        )  # fmt: skip
        event = Event.objects.create(
            application=application,
            action=SUBMIT,
            date=today,
            note="通过政府信息公开专栏提交，待签收",
            data={"channel": Channel.ONLINE.value},
        )
        OnlineSubmission.objects.create(
            application=application,
            submitted_at=now,
            code_salt=salt,
            code_hash=code_digest(salt, code),
            key_digest=key_digest,
            request_hash=request_hash,
        )
        for name, content in files:
            attachment_add(
                actor=None,
                application=application,
                name=name,
                content=content,
                kind=Attachment.Kind.APPLICATION,
                event=event,
            )
    return Submitted(application, code)


def application_submit_correction_online(
    *,
    application: Application,
    text: str,
    files: Sequence[tuple[str, bytes]] = (),
    today: dt.date | None = None,
) -> Application:
    """The applicant's 补正 sent through the status page: recorded as received that day, like
    the workbench's 收到补正材料, so the 20 working days start again (条例第三十条)."""
    today = today or timezone.localdate()
    text = trim(text or "")
    if not has_visible_text(text) and not files:
        raise ServiceError("请填写补正内容或上传补正材料", field="text")
    if len(text) > MAX_CORRECTION_TEXT:
        raise ServiceError(f"补正内容过长（最多{MAX_CORRECTION_TEXT}个字符）", field="text")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        transition = find_transition(locked.status_enum, Action.RECEIVE_CORRECTION)
        if transition is None or transition.target is None:
            raise ServiceError("本申请当前无需补正", kind="conflict")
        locked.status = transition.target
        locked.save(update_fields=["status", "updated_at"])
        event = Event.objects.create(
            application=locked,
            action=Action.RECEIVE_CORRECTION,
            date=today,
            note="申请人通过专栏在线提交补正",
            data={"online": True, "text": text},
        )
        for name, content in files:
            attachment_add(
                actor=None,
                application=locked,
                name=name,
                content=content,
                kind=Attachment.Kind.CORRECTION,
                event=event,
            )
        refresh_deadlines(locked, today)
    application.refresh_from_db()
    return application


# ---------------------------------------------------------------- steps of the procedure

# A 补正 period of more than three months would leave the application hanging (条例第三十条: a
# 合理的补正期限); 60 working days is the longest an office is offered.
MAX_CORRECTION_WORKDAYS = 60


def application_request_correction(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    items: str,
    period: str = "",
    workdays: int | None = None,
    today: dt.date | None = None,
) -> Application:
    """补正通知 (条例第三十条): one complete notice naming everything to correct, and the date by
    which to correct: `workdays` working days after the notice (GONGKAI_CORRECTION_WORKDAYS, 15 by
    default; the 条例 asks for a 合理的补正期限 without fixing it, docs/decisions.md LN-2)."""
    if not items.strip():
        raise ServiceError("请写明需要补正的事项（一次性告知）", field="items")
    days = settings.GONGKAI_CORRECTION_WORKDAYS if workdays is None else workdays
    if not 1 <= days <= MAX_CORRECTION_WORKDAYS:
        raise ServiceError(f"补正期限应为1至{MAX_CORRECTION_WORKDAYS}个工作日", field="workdays")
    correct_by = calendar_for(application.organisation).add_workdays(on, days)
    data = {
        "items": items.strip(),
        "period": period.strip(),
        "workdays": days,
        "correct_by": correct_by.isoformat(),
    }
    return _step(actor, application, Action.REQUEST_CORRECTION, on, data, items.strip(), today)


def application_receive_correction(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """Corrected application received: the 20 working days start again (条例第三十条)."""
    return _step(actor, application, Action.RECEIVE_CORRECTION, on, {}, note, today)


def application_close_no_correction(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """No correction within the period without good reason: closed as （六）1 (条例第三十条)."""
    return _close(actor, application, Action.CLOSE_NO_CORRECTION, on, note, today)


def application_start_consultation(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    party: str,
    consulted: str,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """征求意见 of a third party (第三十二条) or another agency (第三十四条); not counted."""
    if party not in {"third_party", "agency"}:
        raise ServiceError("被征求意见方类型应为 third_party 或 agency", field="party")
    if not consulted.strip():
        raise ServiceError("请填写被征求意见的第三方或机关名称", field="consulted")
    data = {"party": party, "consulted": consulted.strip()}
    return _step(actor, application, Action.START_CONSULTATION, on, data, note, today)


def application_end_consultation(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    opinion: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    data = {"opinion": opinion.strip()}
    return _step(actor, application, Action.END_CONSULTATION, on, data, note, today)


def application_extend(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> Application:
    """延期 by at most 20 working days with the head's consent (条例第三十三条第二款)."""
    if application.extended:
        raise ServiceError(
            "本申请已延期一次；条例第三十三条规定延长期限最长不得超过20个工作日", kind="conflict"
        )
    if not reason.strip():
        raise ServiceError("请填写延期理由", field="reason")
    if application.due_on and on > application.due_on:
        raise ServiceError(
            f"答复期限{application.due_on}已过，不能再批准延期", kind="conflict", field="date"
        )
    return _step(actor, application, Action.EXTEND, on, {"reason": reason.strip()}, reason, today)


def application_notify_fee(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    amount: int,
    method: str,
    basis: str = "",
    today: dt.date | None = None,
) -> Application:
    """收费通知 (国办函〔2020〕109号): the applicant pays within 20 working days."""
    if method not in {"by_count", "by_pages"}:
        raise ServiceError("计费方式应为 by_count（按件）或 by_pages（按量）", field="method")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise ServiceError("收费金额应为大于0的整数（元）", field="amount")
    problem = fee_problem(amount)
    if problem:
        raise ServiceError(problem, field="amount")
    data = {"amount": amount, "method": method, "basis": basis.strip()}
    return _step(actor, application, Action.NOTIFY_FEE, on, data, f"收费{amount}元", today)


def application_receive_fee(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    return _step(actor, application, Action.RECEIVE_FEE, on, {}, note, today)


def application_close_no_fee(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """Fee unpaid by its deadline: closed as （六）2."""
    return _close(actor, application, Action.CLOSE_NO_FEE, on, note, today)


def application_propose_reply(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    outcome_key: str,
    legal_basis: str = "",
    reasons: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """The clerk's draft reply, for a reviewer to approve.

    `reasons` is the specific reasons printed in the letter; 条例第三十六条、第三十七条 require them
    for 部分公开, 不予公开, 无法提供 and 不予处理 — a generic letter is the classic ground for losing a
    复议, so the proposal is refused without them.
    """
    chosen = _reply_outcome(outcome_key)
    reasons = reasons.strip()
    if needs_reasons(chosen.key) and not reasons:
        raise ServiceError(
            f"“{chosen.label}”须写明具体理由（条例第三十六条），理由将写入告知书", field="reasons"
        )
    data = {"outcome": chosen.key, "legal_basis": legal_basis.strip() or chosen.basis}
    if reasons:
        data["reasons"] = reasons
    return _step(actor, application, Action.PROPOSE_REPLY, on, data, note, today)


def application_return_reply(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str,
    today: dt.date | None = None,
) -> Application:
    return _step(actor, application, Action.RETURN_REPLY, on, {}, note, today)


def application_reply(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    outcome_key: str | None = None,
    legal_basis: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """答复, approved by a reviewer: exactly one result row of table 三 and its legal basis."""
    proposal = _last_proposal(application)
    if outcome_key is None:
        if proposal is None:
            raise ServiceError("请选择答复类型", field="outcome")
        outcome_key, legal_basis = proposal["outcome"], legal_basis or proposal["legal_basis"]
    chosen = _reply_outcome(outcome_key)
    basis = legal_basis.strip() or chosen.basis
    data = {"outcome": chosen.key, "legal_basis": basis}
    # The clerk's reasons are carried through approval when the reviewer keeps the proposed outcome.
    if proposal is not None and proposal.get("outcome") == chosen.key and proposal.get("reasons"):
        data["reasons"] = proposal["reasons"]
    return _step(
        actor, application, Action.REPLY, on, data, note, today, conclude=(chosen.key, basis)
    )


# 条例第三十六条（五）: the outcome of a transfer is row （四）1 of table 三 for the office that
# received it (本机关不掌握), with the competent agency named.
TRANSFER_OUTCOME = "r_na_notheld"
TRANSFER_BASIS = "《中华人民共和国政府信息公开条例》第三十六条第（五）项"


def application_transfer(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    to_organisation: str,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """转办 (条例第三十六条（五）): the information belongs to another agency of the same
    government. This office answers 本机关不掌握 naming that agency, and the agency receives the
    application on the day of the transfer under its own tracking number; both timelines link the
    other (docs/decisions.md TR-1). Returns this office's application."""
    today = today or timezone.localdate()
    target = Organisation.objects.filter(code=to_organisation.strip()).first()
    source = application.organisation
    if target is None:
        raise ServiceError("没有这个机关", field="to_organisation")
    if target.pk == source.pk:
        raise ServiceError("不能转办给本机关", field="to_organisation")
    if _government_of(target) != _government_of(source):
        raise ServiceError("只能转办给本级人民政府所属的机关", field="to_organisation")
    with transaction.atomic():
        received = _create_application(
            target, on.year, _registration_from(application),
            channel=application.channel, received_on=on,
        )  # fmt: skip
        Event.objects.create(
            application=received, action=REGISTER, date=on, actor=actor,
            note=f"转办收到（{source.name}转来，原申请编号{application.tracking_no}）",
            data={"channel": application.channel, "transferred_from": application.tracking_no},
        )  # fmt: skip
        refresh_deadlines(received, today)
        data = {"to": target.code, "to_name": target.name, "transferred_to": received.tracking_no}
        text = note.strip() or (
            f"经查，申请公开的政府信息由{target.name}负责公开，本机关已于{on:%Y年%-m月%-d日}将申请"
            f"转交{target.name}办理（申请编号{received.tracking_no}）。"
            + (f"联系电话：{target.phone}。" if target.phone else "")
        )
        return _step(
            actor, application, Action.TRANSFER, on, data, text, today,
            conclude=(TRANSFER_OUTCOME, TRANSFER_BASIS),
        )  # fmt: skip


def _government_of(organisation: Organisation) -> int:
    """The id of the government an organisation belongs to: itself or its nearest government."""
    node: Organisation | None = organisation
    while node is not None:
        if node.kind == "government":
            return node.pk
        node = node.parent
    return organisation.pk


def _registration_from(application: Application) -> Registration:
    return _registration_of({name: getattr(application, name) for name in CORRECTABLE_FIELDS})


def application_approve(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """审核同意, sent on to the 分管领导 for 签批 (organisations that require it, RV-3)."""
    return _step(actor, application, Action.APPROVE, on, {}, note, today)


def application_deliver(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    method: str,
    tracking_number: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """送达: how and when the reply reached the applicant."""
    if method not in {"in_person", "mail", "email", "online"}:
        raise ServiceError("送达方式应为 in_person、mail、email 或 online", field="method")
    if method == "mail" and not tracking_number.strip():
        raise ServiceError("邮寄送达请填写邮件单号", field="tracking_number")
    data = {"method": method, "tracking_number": tracking_number.strip()}
    return _step(actor, application, Action.DELIVER, on, data, note, today)


def application_archive(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """归档 (条例第四十五条)."""
    return _step(actor, application, Action.ARCHIVE, on, {}, note, today)


def application_withdraw(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """撤回 by the applicant: closed as （六）3."""
    return _close(actor, application, Action.WITHDRAW, on, note, today)


def application_confirm_receipt(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """签收 of an internet application: the day of the clerk's confirmation is 收到申请之日
    (条例第三十一条（三）, docs/decisions.md PA-1), so it can only be today; from then on the
    deadlines run as for any application."""
    today = today or timezone.localdate()
    if on != today:
        raise ServiceError(
            "网上申请以工作人员签收之日为收到申请之日，签收日期只能是今天", field="date"
        )
    return _audited_step(actor, application, Action.CONFIRM_RECEIPT, on, {}, note, today)


def application_refuse_submission(
    *,
    actor: User,
    application: Application,
    on: dt.date,
    note: str,
    today: dt.date | None = None,
) -> Application:
    """不予签收 of an obviously invalid internet submission (empty, abusive, a test), with the
    reason the applicant sees on the status page; it never counts as a received application."""
    if not has_visible_text(note or ""):
        raise ServiceError("请填写不予签收的理由（申请人查询时可见）", field="note")
    data = {"reason": trim(note)}
    today = today or timezone.localdate()
    return _audited_step(actor, application, Action.REFUSE_SUBMISSION, on, data, note, today)


def _audited_step(
    actor: User,
    application: Application,
    action: Action,
    on: dt.date,
    data: dict[str, Any],
    note: str,
    today: dt.date,
) -> Application:
    """A step that also leaves an audit entry: 签收 fixes the statutory clock of an application
    nobody at the office registered, so who did it and when is kept in the audit log too."""
    with transaction.atomic():
        result = _step(actor, application, action, on, data, note, today)
        detail = {"step": action.value, "on": on.isoformat(), **data}
        audit_record(AuditAction.CHANGE, user=actor, obj=result, detail=detail)
    return result


# ---------------------------------------------------------------- ledger import

IMPORT = "import"


@dataclass(frozen=True)
class LedgerConclusion:
    """How an office's own ledger says an application ended (read by `gongkai.cases.ledger`)."""

    outcome: str
    concluded_on: dt.date
    legal_basis: str = ""
    extended: bool = False
    delivery_method: str = ""
    archived_on: dt.date | None = None


def application_import_conclusion(
    *,
    actor: User,
    application: Application,
    source: str,
    row: int,
    source_no: str = "",
    conclusion: LedgerConclusion | None = None,
    today: dt.date | None = None,
) -> Application:
    """Record that a just-registered application came from row `row` of the ledger file `source`
    and, when the ledger shows it concluded, the conclusion as the ledger states it: one "import"
    entry, not review, reply, delivery and archive steps that never happened here (decision L-1
    in docs/decisions.md). A conclusion needs 审核人 or 管理员, who approve replies (第四十五条)."""
    acting = {Role.REVIEWER, Role.ADMIN} if conclusion else {Role.CLERK, Role.REVIEWER, Role.ADMIN}
    _require_role(
        actor, application.organisation, acting, "导入已办结的申请" if conclusion else "导入台账"
    )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.REGISTERED or locked.events.exclude(action=REGISTER).exists():
            raise ServiceError("只能为刚登记、尚未办理的申请记录台账导入", kind="conflict")
        last_step = _last_step_date(locked)
        event = import_event(
            locked, actor, source=source, row=row, source_no=source_no,
            conclusion=conclusion, today=today, last_step=last_step,
        )  # fmt: skip
        fields = ["updated_at", *(_IMPORTED_FIELDS if conclusion is not None else [])]
        locked.save(update_fields=fields)
        event.save()
        refresh_deadlines(locked, today)
    application.refresh_from_db()
    return application


_IMPORTED_FIELDS = ["status", "outcome", "legal_basis", "concluded_on", "archived_on", "extended"]


def import_roles_check(actor: User, organisation: Organisation, *, concluded: bool) -> None:
    """The roles `application_register` and `application_import_conclusion` require, checked once
    for a bulk import: any acting role registers; a concluded row needs 审核人 or 管理员."""
    _require_role(actor, organisation, {Role.CLERK, Role.REVIEWER, Role.ADMIN}, "登记申请")
    if concluded:
        _require_role(actor, organisation, {Role.REVIEWER, Role.ADMIN}, "导入已办结的申请")


def import_event(
    application: Application,
    actor: User,
    *,
    source: str,
    row: int,
    source_no: str,
    conclusion: LedgerConclusion | None,
    today: dt.date,
    last_step: dt.date | None,
) -> Event:
    """The unsaved "import" entry of a just-registered application, with the ledger's conclusion
    checked and set on `application` (not saved). `application_import_conclusion` and the bulk
    import (`gongkai.cases.ledger`) both record an imported row through here (decision IM-1)."""
    data: dict[str, Any] = {"source": source, "row": row, "source_no": source_no}
    note = f"从台账《{source}》第{row}行导入（导入日期{today}）"
    on = application.received_on
    if conclusion is not None:
        data |= _imported_conclusion(application, conclusion, today, last_step)
        on = conclusion.concluded_on
        note += f"；台账载明{on}办结：{outcome(conclusion.outcome).label}"
    return Event(
        application=application, action=IMPORT, date=on, actor=actor,
        actor_name=user_display_name(actor), note=note, data=data,
    )  # fmt: skip


def _imported_conclusion(
    application: Application, conclusion: LedgerConclusion, today: dt.date,
    last_step: dt.date | None,
) -> dict[str, Any]:  # fmt: skip
    """Check the ledger's conclusion and set it on `application`; the event data that records it."""
    try:
        chosen = outcome(conclusion.outcome)
    except KeyError:
        raise ServiceError(f"答复类型无效：{conclusion.outcome}", field="outcome") from None
    if conclusion.delivery_method not in {"", "in_person", "mail", "email", "online"}:
        raise ServiceError("送达方式应为 in_person、mail、email 或 online", field="method")
    _check_step_date(application.received_on, last_step, conclusion.concluded_on, today)
    archived = conclusion.archived_on
    if archived is not None and not conclusion.concluded_on <= archived <= today:
        raise ServiceError("归档日期应在答复日期之后、今天之前", field="archived_on")
    if archived is not None:
        application.status = Status.ARCHIVED
    elif conclusion.delivery_method:
        application.status = Status.DELIVERED
    else:
        application.status = Status.CLOSED if chosen.closure else Status.REPLIED
    application.outcome = chosen.key
    application.legal_basis = conclusion.legal_basis.strip() or chosen.basis
    application.concluded_on = conclusion.concluded_on
    application.archived_on = archived
    application.extended = conclusion.extended
    data: dict[str, Any] = {
        "outcome": chosen.key,
        "legal_basis": application.legal_basis,
        "extended": conclusion.extended,
        # A reply stops the statutory clock; the closures (（六）1–3) do not, as in `_close`.
        "replied": chosen.closure is None,
    }
    if conclusion.delivery_method:
        data["method"] = conclusion.delivery_method  # the key `application_deliver` uses
    if archived is not None:
        data["archived_on"] = archived.isoformat()
    return data


# ---------------------------------------------------------------- shared mechanics


def _reply_outcome(key: str) -> Any:
    try:
        chosen = outcome(key)
    except KeyError:
        keys = "、".join(o.key for o in outcomes() if o.by_reply)
        raise ServiceError(f"答复类型无效：{key}（可选：{keys}）", field="outcome") from None
    if not chosen.by_reply:
        raise ServiceError(
            f"“{chosen.label}”须通过终止办理操作登记，不能作为答复类型", field="outcome"
        )
    return chosen


def _last_proposal(application: Application) -> dict[str, str] | None:
    event = application.events.filter(action=Action.PROPOSE_REPLY).order_by("-id").first()
    return dict(event.data) if event else None


def _close(
    actor: User,
    application: Application,
    action: Action,
    on: dt.date,
    note: str,
    today: dt.date | None,
) -> Application:
    key = CLOSURE_OUTCOMES[action]
    basis = outcome(key).basis
    data = {"outcome": key, "legal_basis": basis}
    return _step(actor, application, action, on, data, note, today, conclude=(key, basis))


def _step(
    actor: User,
    application: Application,
    action: Action,
    on: dt.date,
    data: dict[str, Any],
    note: str,
    today: dt.date | None,
    conclude: tuple[str, str] | None = None,
) -> Application:
    """Check, then record one step: status, timeline entry, conclusion, deadlines — or nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        roles = roles_in(actor, locked.organisation)
        try:
            target = check_transition(locked.status_enum, action, roles)
        except TransitionError as exc:
            raise ServiceError(
                exc.message, kind="forbidden" if exc.forbidden else "conflict"
            ) from exc
        _check_date(locked, on, today)
        _check_sign_off(locked, action)
        locked.status = target
        fields = ["status", "updated_at"]
        if action is Action.EXTEND:
            locked.extended = True
            fields.append("extended")
        if conclude is not None:
            locked.outcome, locked.legal_basis = conclude
            locked.concluded_on = on
            fields += ["outcome", "legal_basis", "concluded_on"]
        if action is Action.ARCHIVE:
            locked.archived_on = on
            fields.append("archived_on")
        if action is Action.CONFIRM_RECEIPT:
            locked.received_on = on  # 条例第三十一条（三）: the day both sides confirm
            fields.append("received_on")
        locked.save(update_fields=fields)
        if action in LETTER_ACTIONS:
            # The letter is issued with the step: its own 文号, the next of the office's year.
            number = _next_sequence(locked.organisation, on.year, LetterCounter)
            data = {**data, "letter_no": number}
        Event.objects.create(
            application=locked, action=action, date=on, actor=actor, note=note.strip(), data=data
        )
        refresh_deadlines(locked, today)
        notify_after_commit(locked, action, on, today)
    application.refresh_from_db()
    return application


def _check_sign_off(application: Application, action: Action) -> None:
    """The organisation's chain: where its 分管领导 signs replies off, none is issued before."""
    required = application.organisation.leader_signoff
    if sign_off_allows(action, application.status_enum, required):
        return
    if action is Action.APPROVE:
        raise ServiceError("本机关的答复无需分管领导签批，审核人可直接答复", kind="conflict")
    raise ServiceError(
        "本机关的答复须经分管领导签批：请先“审核同意，呈分管领导签批”", kind="conflict"
    )


def _check_date(application: Application, on: dt.date, today: dt.date) -> None:
    _check_step_date(application.received_on, _last_step_date(application), on, today)


def _last_step_date(application: Application) -> dt.date | None:
    # Corrections and voiding are dated when they are made and are no step of the procedure: a
    # step recorded late may still be dated before them.
    steps = application.events.exclude(action__in=[*RecordChange, NOTICE])
    last: dt.date | None = steps.order_by("-date").values_list("date", flat=True).first()
    return last


def _check_step_date(
    received_on: dt.date, last: dt.date | None, on: dt.date, today: dt.date
) -> None:
    if on > today:
        raise ServiceError("办理日期不能晚于今天", field="date")
    if on < received_on:
        raise ServiceError(f"办理日期不能早于收到申请日期{received_on}", field="date")
    if last is not None and on < last:
        raise ServiceError(f"办理日期不能早于上一步的日期{last}", field="date")


# ---------------------------------------------------------------- deadlines


def domain_events(application: Application) -> list[dm.Event]:
    """The application's timeline in the deadline engine's terms.

    Reads `application.events.all()` once, so a list that prefetched the events costs no query.
    """
    rows = sorted(application.events.all(), key=lambda event: (event.date, event.id))
    events: list[dm.Event] = []
    for event in rows:
        converted = _domain_event(application, event, rows)
        if converted is not None:
            events.append(converted)
    return events


def _domain_event(application: Application, event: Event, rows: list[Event]) -> dm.Event | None:
    action, day, data = event.action, event.date, event.data or {}
    if action in (REGISTER, Action.CONFIRM_RECEIPT):
        # An internet application is received at its 签收 (条例第三十一条（三）). The
        # application's receipt date, not the entry's: a correction of 收到申请日期 moves the
        # clock and leaves the registration entry as it was written (its own timeline entry says so).
        return dm.Receipt(application.received_on, Channel(application.channel))
    if action == Action.END_CONSULTATION:
        return dm.ConsultationAnswered(day, _open_party(rows, event))
    if action == IMPORT:
        return dm.ReplySent(day) if data.get("replied") else None
    party = dm.Party.OTHER_AGENCY if data.get("party") == "agency" else dm.Party.THIRD_PARTY
    simple: dict[str, dm.Event] = {
        Action.REQUEST_CORRECTION: dm.CorrectionNotice(day),
        Action.RECEIVE_CORRECTION: dm.CorrectionReceived(day),
        Action.START_CONSULTATION: dm.ConsultationStarted(day, party),
        Action.EXTEND: dm.ExtensionApproved(day),
        Action.NOTIFY_FEE: dm.FeeNoticeSent(day),
        Action.RECEIVE_FEE: dm.FeePaid(day),
        Action.REPLY: dm.ReplySent(day),
        Action.TRANSFER: dm.ReplySent(day),  # the 告知 naming the competent agency is the reply
    }
    return simple.get(action)


def _open_party(rows: list[Event], answer: Event) -> dm.Party:
    starts = [e for e in rows if e.action == Action.START_CONSULTATION and e.id < answer.id]
    start = max(starts, key=lambda event: event.id, default=None)
    if start is not None and (start.data or {}).get("party") == "agency":
        return dm.Party.OTHER_AGENCY
    return dm.Party.THIRD_PARTY


def deadlines_of(
    application: Application,
    today: dt.date | None = None,
    *,
    calendar: WorkdayCalendar | None = None,
) -> dm.Deadlines:
    """Deadlines and their explanation trail, computed afresh from the timeline. A list passes
    the `calendar` of the organisation it already built."""
    events = domain_events(application)
    calendar = calendar or calendar_for(application.organisation)
    try:
        return compute_deadlines(events, calendar, today=today or timezone.localdate())
    except EventError as exc:
        raise ServiceError(str(exc), kind="conflict") from exc


def refresh_deadlines(application: Application, today: dt.date | None) -> None:
    if application.status_enum in UNRECEIVED_STATUSES:
        return  # not received yet (条例第三十一条（三）): no clock runs before the 签收
    set_deadlines(application, deadlines_of(application, today))
    application.save(
        update_fields=["correction_notice_due", "due_on", "fee_due", "deadline_provisional"]
    )


def set_deadlines(application: Application, result: dm.Deadlines) -> None:
    """The deadline fields of `application` from a computation (not saved)."""
    application.correction_notice_due = result.correction_notice_due
    application.due_on = result.extended_reply_due or result.reply_due
    application.fee_due = result.fee_payment_due
    application.deadline_provisional = result.provisional


def deadlines_from(
    application: Application,
    events: Sequence[Event],
    calendar: WorkdayCalendar,
    today: dt.date,
    memo: dict[tuple[dm.Event, ...], dm.Deadlines] | None = None,
) -> dm.Deadlines:
    """Deadlines of an application whose timeline is `events` (not read from the database): the
    bulk import computes each row's deadlines with the conversion `deadlines_of` uses. `memo`
    keeps results by the timeline in the engine's terms, for one calendar and one `today`: a
    ledger's rows share their receipt and reply days, and the computation is a pure function."""
    rows = sorted(events, key=lambda event: event.date)
    converted = tuple(
        e for e in (_domain_event(application, event, rows) for event in rows) if e is not None
    )
    if memo is not None and converted in memo:
        return memo[converted]
    try:
        result = compute_deadlines(list(converted), calendar, today=today)
    except EventError as exc:
        raise ServiceError(str(exc), kind="conflict") from exc
    if memo is not None:
        memo[converted] = result
    return result


# ---------------------------------------------------------------- attachments

ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ofd": "application/ofd",
    ".txt": "text/plain",
}
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
}


def attachment_add(
    *,
    actor: User | None,
    application: Application,
    name: str,
    content: bytes,
    kind: str,
    event: Event | None = None,
) -> Attachment:
    """Store a file with its size, type and SHA-256; refuse what is empty, too big or not what
    its name says it is."""
    if actor is not None:
        _require_role(
            actor, application.organisation, {Role.CLERK, Role.REVIEWER, Role.ADMIN}, "上传附件"
        )
    if kind not in Attachment.Kind.values:
        raise ServiceError(f"附件类别无效：{kind}", field="kind")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED_TYPES:
        raise ServiceError(
            f"不支持的文件类型“{suffix or name}”，可上传：{'、'.join(sorted(ALLOWED_TYPES))}",
            field="file",
        )
    if not content:
        raise ServiceError("文件为空", field="file")
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise ServiceError(
            f"文件过大（{len(content)}字节），上限为{limit // (1024 * 1024)}MB", field="file"
        )
    if suffix in _MAGIC and not content.startswith(_MAGIC[suffix]):
        raise ServiceError(f"文件内容与扩展名“{suffix}”不符，可能已损坏", field="file")
    if suffix in {".docx", ".xlsx", ".ofd"}:
        problem = zip_problem(content)
        if problem:
            raise ServiceError(problem, field="file")
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        attachment = Attachment(
            application=application,
            event=event,
            kind=kind,
            name=name[:200],
            content_type=ALLOWED_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "",
            size=len(content),
            sha256=digest,
            uploaded_by=actor,
        )
        attachment.file.save(f"{digest[:16]}{suffix}", ContentFile(content), save=False)
        attachment.save()
    return attachment


def _require_role(actor: User, organisation: Organisation, allowed: set[Role], what: str) -> None:
    if not roles_in(actor, organisation) & allowed:
        raise ServiceError(f"您在{organisation.name}没有{what}的权限", kind="forbidden")


ACTION_SERVICES = {
    Action.REQUEST_CORRECTION: application_request_correction,
    Action.RECEIVE_CORRECTION: application_receive_correction,
    Action.CLOSE_NO_CORRECTION: application_close_no_correction,
    Action.START_CONSULTATION: application_start_consultation,
    Action.END_CONSULTATION: application_end_consultation,
    Action.EXTEND: application_extend,
    Action.NOTIFY_FEE: application_notify_fee,
    Action.RECEIVE_FEE: application_receive_fee,
    Action.CLOSE_NO_FEE: application_close_no_fee,
    Action.PROPOSE_REPLY: application_propose_reply,
    Action.RETURN_REPLY: application_return_reply,
    Action.REPLY: application_reply,
    Action.DELIVER: application_deliver,
    Action.ARCHIVE: application_archive,
    Action.WITHDRAW: application_withdraw,
    Action.CONFIRM_RECEIPT: application_confirm_receipt,
    Action.REFUSE_SUBMISSION: application_refuse_submission,
    Action.TRANSFER: application_transfer,
    Action.APPROVE: application_approve,
}
STATUS_OPEN = [s.value for s in Status if s.is_open]


# ---------------------------------------------------------------- corrections and voiding

# The registered facts a correction may change (条例第二十九条第二款: applicant, description,
# form and way of delivery; 第三十一条: channel and receipt date), with their Chinese names.
CORRECTABLE_FIELDS = {
    "applicant_type": "申请人类型",
    "applicant_name": "申请人姓名或名称",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "phone": "联系电话",
    "address": "通讯地址",
    "postcode": "邮政编码",
    "email": "电子邮箱",
    "channel": "申请方式",
    "received_on": "收到申请日期",
    "content": "申请内容",
    "purpose": "用途说明",
    "form": "载体形式",
    "delivery": "获取方式",
}
# Shown masked in the audit log and on the timeline; the entry's data keeps the full values.
MASKED_FIELDS = frozenset({"id_number", "phone"})
MAX_REASON = 500


def application_correct(
    *,
    actor: User,
    application: Application,
    changes: dict[str, Any],
    reason: str,
    today: dt.date | None = None,
    confirm_old_received_on: bool = True,
    request: HttpRequest | None = None,
) -> Application:
    """Correct registered facts (`changes`: field → new value, CORRECTABLE_FIELDS), with a reason.

    The corrected application must pass every check of a registration; the old and new values
    stay in a timeline entry and the audit log (docs/decisions.md I-1, I-2). A new 收到申请日期
    recomputes the deadlines and may move the application into another year's report; the
    tracking number, an identifier, stays. A correction that changes nothing is refused."""
    today = today or timezone.localdate()
    reason = _reason(reason, "更正")
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        allowed = "、".join(CORRECTABLE_FIELDS)
        raise ServiceError(f"不能更正的字段：{unknown[0]}（可更正：{allowed}）", field=unknown[0])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        before = {name: getattr(locked, name) for name in CORRECTABLE_FIELDS}
        after = {**before, **_normalised(changes)}
        changed = [name for name in CORRECTABLE_FIELDS if after[name] != before[name]]
        if not changed:
            raise ServiceError("填写的内容与现有登记信息相同，没有需要更正的内容")
        _check_record_change(actor, locked, RecordChange.CORRECT, frozenset(changed))
        _validate_registration(_registration_of(after), today)
        if "received_on" in changed:
            _check_new_receipt(locked, after["received_on"], today, confirm_old_received_on)
        for name in changed:
            setattr(locked, name, after[name])
        locked.save(update_fields=[*changed, "updated_at"])
        diff = {name: {"old": _plain(before[name]), "new": _plain(after[name])} for name in changed}
        Event.objects.create(
            application=locked,
            action=RecordChange.CORRECT,
            date=today,
            actor=actor,
            note=reason,
            data={"reason": reason, "changes": diff},
        )
        refresh_deadlines(locked, today)
        audit_record(
            AuditAction.CORRECT,
            request=request,
            user=actor,
            obj=locked,
            detail={"reason": reason, "changes": masked_changes(diff)},
        )
    application.refresh_from_db()
    return application


def application_void(
    *,
    actor: User,
    application: Application,
    reason: str,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Void an application entered in error (a duplicate, a test record), with a reason: it stays
    in the ledger as 已作废 and counts in no report, list or deadline. Only 审核人 and 管理员;
    nothing leads out of 已作废 (docs/decisions.md I-1)."""
    today = today or timezone.localdate()
    reason = _reason(reason, "作废")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        previous = locked.status
        locked.status = _check_record_change(actor, locked, RecordChange.VOID, frozenset())
        locked.save(update_fields=["status", "updated_at"])
        Event.objects.create(
            application=locked,
            action=RecordChange.VOID,
            date=today,
            actor=actor,
            note=reason,
            data={"reason": reason, "status": previous},
        )
        audit_record(
            AuditAction.VOID,
            request=request,
            user=actor,
            obj=locked,
            detail={"reason": reason, "status": previous},
        )
    application.refresh_from_db()
    return application


def _reason(reason: str, what: str) -> str:
    text = trim(reason or "")
    if not has_visible_text(text):
        raise ServiceError(f"请填写{what}理由", field="reason")
    if len(text) > MAX_REASON:
        raise ServiceError(f"{what}理由过长（最多{MAX_REASON}个字符）", field="reason")
    return text


def _check_record_change(
    actor: User, application: Application, change: RecordChange, fields: frozenset[str]
) -> Status:
    roles = roles_in(actor, application.organisation)
    try:
        return check_record_change(application.status_enum, change, roles, fields)
    except TransitionError as exc:
        kind = "forbidden" if exc.forbidden else "conflict"
        raise ServiceError(exc.message, kind=kind) from exc


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """The new values as registration stores them."""
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "received_on":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise ServiceError("收到申请日期应为日期", field="received_on")
            values[name] = value
        elif not isinstance(value, str):
            raise ServiceError(f"{CORRECTABLE_FIELDS[name]}应为文字", field=name)
        elif name == "id_number":
            values[name] = normalize_id(value)
        elif name == "email":
            values[name] = value.strip()
        else:
            values[name] = trim(value)
    return values


def _registration_of(values: dict[str, Any]) -> Registration:
    """The corrected application as a registration, to check it with the same rules."""
    return Registration(
        applicant=Applicant(
            type=values["applicant_type"],
            name=values["applicant_name"],
            id_type=values["id_type"],
            id_number=values["id_number"],
            phone=values["phone"],
            address=values["address"],
            postcode=values["postcode"],
            email=values["email"],
        ),
        channel=values["channel"],
        received_on=values["received_on"],
        content=values["content"],
        purpose=values["purpose"],
        form=values["form"],
        delivery=values["delivery"],
    )


def _check_new_receipt(
    application: Application, received_on: dt.date, today: dt.date, confirmed: bool
) -> None:
    """A receipt cannot follow the first step taken on it (补正, 征求意见, reply…)."""
    steps = application.events.exclude(action__in=[REGISTER, *RecordChange])
    # An import without a conclusion is dated the old receipt date and is no step.
    steps = steps.exclude(Q(action=IMPORT) & ~Q(data__has_key="outcome"))
    first = steps.order_by("date").values_list("date", flat=True).first()
    if first is not None and received_on > first:
        raise ServiceError(
            f"收到申请日期不能晚于已办理步骤的日期{first.isoformat()}", field="received_on"
        )
    if not confirmed:
        _check_old_receipt(received_on, today)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def masked_changes(diff: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A correction's old and new values with identity numbers and phones masked
    (个人信息保护: the audit log and the screens show them masked)."""
    return {
        name: {key: mask_id(str(value)) if name in MASKED_FIELDS and value else value
               for key, value in values.items()}
        for name, values in diff.items()
    }  # fmt: skip
