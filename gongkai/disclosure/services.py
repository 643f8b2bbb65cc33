"""Letters (告知书): which ones a case needs now, rendering one, and storing it on the case.

A letter is a Django template (`disclosure/letters/<kind>.txt`, or an administrator's
`LetterTemplate` for that kind) rendered with the facts of `gongkai.disclosure.context`, then
laid out by `gongkai.disclosure.documents`. Nothing here writes a word of a letter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.base import Template
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import Application, Attachment, Event
from gongkai.cases.services import ServiceError, attachment_add
from gongkai.disclosure.approval import has_sign_off
from gongkai.disclosure.context import CONCLUDING_ACTIONS, last_event, letter_context, letter_date
from gongkai.disclosure.documents import MarkupError, parse_letter, render_docx
from gongkai.disclosure.kinds import (
    CONSULTATION,
    CORRECTION,
    EXTENSION,
    FEE,
    LETTER_KINDS,
    OUTCOME_KINDS,
    RECEIPT,
    SERVICE_PROOF,
    template_name,
)
from gongkai.disclosure.models import LetterTemplate
from gongkai.domain.lifecycle import UNRECEIVED_STATUSES, Action, Status

LETTER = "letter"  # the timeline action of a generated letter
APPROVAL_SHEET = "approval_sheet"  # the 呈批单 among the case page's documents

# Phrases every letter may use, each rendered from its own template, in this order.
PHRASES = (
    ("you", "disclosure/letters/_you.txt"),
    ("remedy", "disclosure/letters/_remedy.txt"),
)


@dataclass(frozen=True)
class RenderedLetter:
    title: str
    date: dt.date
    content: bytes


# ---------------------------------------------------------------- which letters


def letter_kinds_for(application: Application) -> list[tuple[str, str]]:
    """The letters that fit the case now, as (kind, label), procedural letters first.

    补正 while a correction notice awaits its answer; 征求第三方意见 while a third party is being
    consulted; 收费 while a fee awaits payment; 延期 once an extension is approved and the case is
    still open; the outcome letter once an outcome is recorded, or proposed for review.
    """
    status = application.status_enum
    if status is Status.VOIDED:
        return []  # entered in error: nothing is answered
    events = list(application.events.order_by("date", "id"))
    kinds: list[str] = []
    if status not in UNRECEIVED_STATUSES:
        kinds.append(RECEIPT)  # 登记回执: from registration on
    if status is Status.CORRECTION and last_event(events, Action.REQUEST_CORRECTION):
        kinds.append(CORRECTION)
    consultation = last_event(events, Action.START_CONSULTATION)
    if status is Status.CONSULTING and consultation and _party(consultation) == "third_party":
        kinds.append(CONSULTATION)
    if status is Status.AWAITING_FEE and last_event(events, Action.NOTIFY_FEE):
        kinds.append(FEE)
    if application.extended and status.is_open:
        kinds.append(EXTENSION)
    proposal = last_event(events, Action.PROPOSE_REPLY)
    if application.outcome:
        kinds.append(application.outcome)
    elif status in (Status.REVIEW, Status.SIGNOFF) and proposal is not None:
        kinds.append(str((proposal.data or {}).get("outcome", "")))
    if application.outcome and last_event(events, *CONCLUDING_ACTIONS):
        kinds.append(SERVICE_PROOF)  # 送达回证 of the reply or closing letter
    return [(kind, LETTER_KINDS[kind]) for kind in kinds if kind in LETTER_KINDS]


def letters_offered(application: Application) -> list[tuple[str, str, str]]:
    """The letters that fit the case now as (kind, label, url to generate it): the provider of the
    application page's letters (`gongkai.cases.letters`, registered in `DisclosureConfig.ready`)."""
    offered = [
        (str(kind), str(label), reverse("letters:generate", args=[application.pk, kind]))
        for kind, label in letter_kinds_for(application)
    ]
    if has_sign_off(application):  # the 呈批单 is read, not generated: a GET download
        offered.append(
            (APPROVAL_SHEET, "呈批单", reverse("letters:approval_sheet", args=[application.pk]))
        )
    return offered


def _party(event: Event) -> str:
    return str((event.data or {}).get("party", ""))


# ---------------------------------------------------------------- rendering


def letter_render(*, application: Application, kind: str, on: dt.date | None = None) -> bytes:
    """The letter `kind` for `application` as .docx bytes; reads only.

    `on` is the date printed on the letter; by default the date of the step the letter reports
    (the notice, the extension, the reply or closure), or today for a draft of a proposed reply.
    Any kind can be rendered, fitting or not: `letter_generate` is the one that checks.
    """
    return _render(application, kind, on).content


def _render(application: Application, kind: str, on: dt.date | None) -> RenderedLetter:
    if kind not in LETTER_KINDS:
        raise ServiceError(f"没有这种告知书：{kind}", field="kind")
    events = list(application.events.order_by("date", "id"))
    day = on or letter_date(application, kind, events, timezone.localdate())
    context = letter_context(application=application, kind=kind, on=day, events=events)
    try:
        text = render_text(_template_for(kind), context)
        letter = parse_letter(text)
    except (TemplateSyntaxError, TemplateDoesNotExist, MarkupError) as exc:
        raise ServiceError(f"告知书模板有误，请管理员修改：{exc}", kind="conflict") from exc
    content = render_docx(letter, author=application.organisation.name)
    return RenderedLetter(letter.title, day, content)


def _template_for(kind: str) -> Template:
    engine = Engine.get_default()
    replacement = LetterTemplate.objects.filter(kind=kind).values_list("body", flat=True).first()
    if replacement is not None:
        return engine.from_string(replacement)
    return engine.get_template(template_name(kind))


def render_text(template: Template, facts: dict[str, Any]) -> str:
    """`template` rendered as plain text (no HTML escaping), with the shared phrases added."""
    engine = Engine.get_default()
    context = Context(facts, autoescape=False)
    for name, partial in PHRASES:
        context[name] = engine.get_template(partial).render(context).strip()
    return template.render(context)


# ---------------------------------------------------------------- storing


def letter_generate(*, actor: User, application: Application, kind: str) -> Attachment:
    """Render the letter, store it as an attachment (告知书) and note it on the timeline."""
    if kind not in dict(letter_kinds_for(application)):
        label = LETTER_KINDS.get(kind, kind)
        raise ServiceError(f"这件申请目前不需要出具“{label}”", kind="conflict", field="kind")
    letter = _render(application, kind, None)
    name = f"{letter.title}（{application.tracking_no}）.docx"
    with transaction.atomic():
        event = Event.objects.create(
            application=application, action=LETTER, date=letter.date, actor=actor,
            note=letter.title, data={"kind": kind, "name": name},
        )  # fmt: skip
        return attachment_add(
            actor=actor, application=application, name=name, content=letter.content,
            kind=Attachment.Kind.LETTER, event=event,
        )  # fmt: skip


# ---------------------------------------------------------------- administrators' wording


def letter_template_check(*, kind: str, body: str) -> None:
    """Refuse a replacement body that does not compile, fails to render on a sample case, or
    renders without a title (ServiceError with the template engine's message)."""
    if kind not in LETTER_KINDS:
        raise ServiceError(f"没有这种告知书：{kind}", field="kind")
    application, events = sample_case(kind)
    facts = letter_context(
        application=application, kind=kind, on=dt.date(2025, 3, 24), events=events
    )
    try:
        parse_letter(render_text(Engine.get_default().from_string(body), facts))
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise ServiceError(f"模板无法渲染：{exc}", field="body") from exc
    except MarkupError as exc:
        raise ServiceError(str(exc), field="body") from exc
    except Exception as exc:  # a filter or tag failing on the sample values
        raise ServiceError(f"模板渲染出错：{exc}", field="body") from exc


@transaction.atomic
def letter_template_save(
    *, actor: User | None, kind: str, body: str, request: HttpRequest | None = None
) -> LetterTemplate:
    """Replace the wording of `kind` after checking it renders; the file is used again once the
    row is deleted.

    The wording is the installation's, used by every organisation: the system administrator's
    (permission disclosure.change_lettertemplate; `actor=None` is the command line). The change
    is an audit entry with the lengths of the old and new text, not the text itself."""
    if actor is not None and not actor.has_perm("disclosure.change_lettertemplate"):
        raise ServiceError("只有系统管理员可以修改告知书模板", kind="forbidden")
    letter_template_check(kind=kind, body=body)
    before = LetterTemplate.objects.select_for_update().filter(kind=kind).first()
    template, created = LetterTemplate.objects.update_or_create(
        kind=kind, defaults={"body": body, "updated_by": actor}
    )
    audit_record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        request=request,
        user=actor,
        username="" if actor is not None else "（命令行）",
        obj=template,
        detail={
            "kind": kind,
            "length_before": len(before.body) if before is not None else None,
            "length_after": len(body),
        },
    )
    return template


def sample_case(kind: str) -> tuple[Application, list[Event]]:
    """An unsaved case that has been through every step, for checking a template."""
    district = Organisation(name="示例区人民政府", kind="government")
    office = Organisation(
        name="示例区人民政府办公室", kind="department", parent=district,
        address="示例市示例区示例路1号", postcode="473000", phone="0377-00000000",
    )  # fmt: skip
    application = Application(
        organisation=office, year=2025, sequence=7, tracking_no="SAMPLE-2025-0007",
        applicant_type="natural", applicant_name="张三", address="示例市示例路2号",
        received_on=dt.date(2025, 3, 3), content="2024年示例项目的立项批复文件",
        due_on=dt.date(2025, 4, 30), fee_due=dt.date(2025, 4, 8), extended=True,
    )  # fmt: skip
    steps: list[tuple[str, dt.date, dict[str, Any], str]] = [
        (Action.REQUEST_CORRECTION, dt.date(2025, 3, 5),
         {"items": "一、请写明文件名称或文号；\n二、请写明文件的形成年份。", "period": "自收到本告知书之日起15个工作日内"}, ""),
        (Action.START_CONSULTATION, dt.date(2025, 3, 10),
         {"party": "third_party", "consulted": "示例有限公司"}, ""),
        (Action.NOTIFY_FEE, dt.date(2025, 3, 10),
         {"amount": 200, "method": "by_count", "basis": "本月第12件申请"}, ""),
        (Action.EXTEND, dt.date(2025, 3, 24), {"reason": "申请公开的信息数量较多，需要检索、核对"}, ""),
    ]  # fmt: skip
    if kind in OUTCOME_KINDS:
        application.outcome = kind
        application.concluded_on = dt.date(2025, 3, 24)
        steps.append((Action.REPLY, dt.date(2025, 3, 24), {"outcome": kind}, "示例说明。"))
    events = [
        Event(application=application, action=action, date=day, data=data, note=note)
        for action, day, data, note in steps
    ]
    return application, events
