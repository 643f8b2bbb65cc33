"""Notices to the applicant (issue 14 §5): an e-mail, and an SMS where a provider is configured,
when the application is registered, when a 补正 or a fee is asked for, when the deadline is
extended, and when the office replies or ends the procedure.

They go after the step's transaction commits (nothing is sent for a step that rolled back), and
each one sent or failed is a timeline entry `notice` (通知申请人), so the case shows what the
applicant was told and when. A notice is a courtesy beside the written letters the 条例 requires
(第三十条, 第三十三条, 第三十六条), never a substitute: a failure is recorded, not raised.

E-mail goes through Django's mail settings (GONGKAI_EMAIL_*; the console backend in the demo).
SMS goes through GONGKAI_SMS_BACKEND, the dotted path of a class with `send(phone, text)`; none
is built in for a provider (each province contracts its own gateway), only `ConsoleSmsBackend`
and `MemorySmsBackend` (tests).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from gongkai.cases.models import Application, Event
from gongkai.domain.identity import mask_phone
from gongkai.domain.lifecycle import Action

log = logging.getLogger(__name__)

NOTICE = "notice"  # the timeline action of a notice to the applicant

# Which step sends which notice (templates cases/notices/<kind>.txt: subject, blank line, text).
NOTICE_OF_STEP = {
    "register": "receipt",
    Action.CONFIRM_RECEIPT.value: "receipt",
    Action.REQUEST_CORRECTION.value: "correction",
    Action.NOTIFY_FEE.value: "fee",
    Action.EXTEND.value: "extension",
    Action.REPLY.value: "reply",
    Action.TRANSFER.value: "transfer",
    Action.CLOSE_NO_CORRECTION.value: "closed",
    Action.CLOSE_NO_FEE.value: "closed",
}
# A step dated longer ago than this is history being entered (a ledger import, a late record):
# telling the applicant about it now would mislead.
RECENT_DAYS = 7


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Prints the message: for the demo and for trying the platform out."""

    def send(self, phone: str, text: str) -> None:
        print(f"[短信] {phone}: {text}")


class MemorySmsBackend:
    """Keeps the messages in `outbox` (tests)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_backend() -> SmsBackend | None:
    path = getattr(settings, "GONGKAI_SMS_BACKEND", "")
    return import_string(path)() if path else None


def notify_after_commit(application: Application, action: str, on: dt.date, today: dt.date) -> None:
    """Queue the notice of `action` for when the current transaction commits."""
    kind = NOTICE_OF_STEP.get(str(action))
    if kind is None or (today - on).days > RECENT_DAYS:
        return
    if not (application.email or (application.phone and sms_backend() is not None)):
        return
    pk = application.pk
    transaction.on_commit(lambda: notify_applicant(pk, kind, on))


def notify_applicant(application_pk: int, kind: str, on: dt.date) -> list[Event]:
    """Send the notice `kind` by every channel the applicant has; record each on the timeline."""
    application = Application.objects.select_related("organisation").get(pk=application_pk)
    subject, text = _message(application, kind)
    entries: list[Event] = []
    if application.email:
        entries.append(_send_email(application, kind, on, subject, text))
    sms = sms_backend()
    if sms is not None and application.phone:
        entries.append(_send_sms(sms, application, kind, on, subject))
    return entries


def _message(application: Application, kind: str) -> tuple[str, str]:
    context = {"application": application, "agency": application.organisation}
    rendered = render_to_string(f"cases/notices/{kind}.txt", context).strip()
    subject, _, body = rendered.partition("\n")
    return subject.strip(), body.strip()


def _send_email(application: Application, kind: str, on: dt.date, subject: str, text: str) -> Event:
    try:
        send_mail(subject, text, None, [application.email])
    except Exception as exc:  # an SMTP failure must not undo the step that was taken
        log.warning("通知申请人邮件发送失败：%s", exc)
        return _record(application, kind, on, "email", _masked_email(application.email), str(exc))
    return _record(application, kind, on, "email", _masked_email(application.email), "", subject)


def _send_sms(
    sms: SmsBackend, application: Application, kind: str, on: dt.date, subject: str
) -> Event:
    # An SMS carries the subject line only, signed with the office's name (短信签名).
    text = f"【{application.organisation.name}】{subject}"
    try:
        sms.send(application.phone, text)
    except Exception as exc:
        log.warning("通知申请人短信发送失败：%s", exc)
        return _record(application, kind, on, "sms", mask_phone(application.phone), str(exc))
    return _record(application, kind, on, "sms", mask_phone(application.phone), "", subject)


def _record(
    application: Application,
    kind: str,
    on: dt.date,
    channel: str,
    to: str,
    error: str,
    subject: str = "",
) -> Event:
    data: dict[str, Any] = {"notice": kind, "via": channel, "to": to}
    if error:
        data["error"] = error[:200]
    note = f"发送失败：{subject or kind}" if error else subject
    return Event.objects.create(
        application=application, action=NOTICE, date=on, actor=None, note=note, data=data
    )


def _masked_email(address: str) -> str:
    """z***@example.com: the timeline shows where it went without the whole address."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
