"""Internet applications (条例第二十七条、第二十九条): submission from the public 专栏, the 查询码
that lets the applicant follow it, and the applicant's own 补正 sent online.

The 查询码 has 80 random bits (16 characters of a 32-letter alphabet, `secrets`), is shown once on
the receipt and stored only as HMAC-SHA256 under a random per-row salt (docs/decisions.md PA-3).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, Attachment, Event, OnlineSubmission
from gongkai.cases.services import (
    Registration,
    _next_sequence,
    _refresh_deadlines,
    _validate_registration,
    attachment_add,
)
from gongkai.domain.deadline_model import Channel
from gongkai.domain.identity import normalize_id
from gongkai.domain.lifecycle import Action, Status, find_transition
from gongkai.domain.plausibility import has_visible_text, trim

SUBMIT = "submit"

# Crockford's base32: no I, L, O, U, so that a code copied by hand is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 = 80 bits (the issue asks for at least 60)
MAX_CORRECTION_TEXT = 5000


@dataclass(frozen=True)
class Submitted:
    """What the receipt shows once: the application and its 查询码 in clear."""

    application: Application
    code: str


def new_lookup_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    """The code as hashed: full-width made half-width, separators and spaces dropped, upper-case,
    and the letters people confuse with digits read as Crockford does (O→0, I/L→1)."""
    text = normalize_id(code)  # NFKC, spaces, hyphens and invisible characters removed
    return text.translate(str.maketrans("OIL", "011"))


def normalize_tracking_no(number: str) -> str:
    """A tracking number as stored (WCBGS-2025-0001): full-width made half-width, spaces and
    invisible characters dropped, upper-case; its hyphens stay."""
    text = unicodedata.normalize("NFKC", number)
    kept = "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) not in {"Cf", "Cc"}
    )
    return kept.upper()[:40]


def code_digest(salt: str, code: str) -> str:
    return hmac.new(salt.encode(), normalize_code(code).encode(), hashlib.sha256).hexdigest()


def application_submit_online(
    *,
    organisation: Organisation,
    data: Registration,
    files: Sequence[tuple[str, bytes]] = (),
    now: dt.datetime | None = None,
) -> Submitted:
    """An application sent through the 专栏: stored as 待签收 with its tracking number and a new
    查询码 (hashed). It is not received until the clerk's 签收 (条例第三十一条（三）): no deadline
    runs and no report counts it (docs/decisions.md PA-1, PA-2). Attachments pass the same checks
    as the office's uploads; one refused file refuses the whole submission."""
    today = timezone.localdate() if now is None else timezone.localdate(now)
    now = now or timezone.now()
    if data.channel != Channel.ONLINE:
        raise ServiceError("网上申请的申请方式应为互联网渠道", field="channel")
    if data.received_on != today:
        raise ServiceError("网上申请的提交日期应为今天", field="received_on")
    _validate_registration(data, today)
    code = new_lookup_code()
    salt = secrets.token_hex(16)
    with transaction.atomic():
        sequence = _next_sequence(organisation, today.year)
        application = Application.objects.create(
            organisation=organisation,
            year=today.year,
            sequence=sequence,
            tracking_no=f"{organisation.code}-{today.year}-{sequence:04d}",
            status=Status.SUBMITTED,
            applicant_type=data.applicant.type,
            applicant_name=trim(data.applicant.name),
            id_type=data.applicant.id_type,
            id_number=normalize_id(data.applicant.id_number),
            phone=trim(data.applicant.phone),
            address=trim(data.applicant.address),
            postcode=trim(data.applicant.postcode),
            email=data.applicant.email.strip(),
            channel=Channel.ONLINE,
            # Provisional: the submission day; the 签收 replaces it with the day of receipt.
            received_on=today,
            content=trim(data.content),
            purpose=trim(data.purpose),
            form=data.form,
            delivery=data.delivery,
        )
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


# A salt and digest compared against when the number is unknown, so that an unknown number costs
# the same HMAC and comparison as a wrong code (the same answer in about the same time).
_DUMMY_SALT = secrets.token_hex(16)
_DUMMY_HASH = code_digest(_DUMMY_SALT, "0" * CODE_LENGTH)


def application_for_code(tracking_no: str, code: str) -> Application | None:
    """The application of `tracking_no` when `code` is its 查询码, else None — the same None for
    an unknown number and a wrong code."""
    number = normalize_tracking_no(tracking_no)
    submission = (
        OnlineSubmission.objects.select_related("application__organisation")
        .filter(application__tracking_no=number)
        .first()
    )
    salt, stored = (
        (submission.code_salt, submission.code_hash) if submission else (_DUMMY_SALT, _DUMMY_HASH)
    )
    matches = hmac.compare_digest(code_digest(salt, code), stored)
    if submission is None or not matches:
        return None
    if submission.application.status == Status.VOIDED:
        return None  # entered in error: as if it did not exist
    return submission.application


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
        _refresh_deadlines(locked, today)
    application.refresh_from_db()
    return application
