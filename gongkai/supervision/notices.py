"""督办通知: the supervising government sends, the organisation answers once (issue 12 §3).

Only a supervisor (监督) of a government may send, and only to an organisation at or below it;
the applications named must be that organisation's. Only an acting user (经办人 / 审核人 / 管理员)
of the organisation answers, once, with a non-empty text. Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.access import User as AnyUser
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import Application, user_display_name
from gongkai.supervision.models import SupervisionNotice
from gongkai.supervision.roles import acting_organisations, acts_in, is_within, supervises

MAX_SUBJECT = 200
MAX_TEXT = 5_000


def notice_send(
    *,
    by: User,
    government: Organisation,
    organisation: Organisation,
    subject: str,
    body: str,
    reply_by: dt.date,
    applications: Iterable[Application] = (),
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> SupervisionNotice:
    today = today or timezone.localdate()
    if not supervises(by, government):
        raise ServiceError("只有本级政府的监督人员可以发督办通知", kind="forbidden")
    if not is_within(organisation, government):
        raise ServiceError("只能向本级政府及所属机构发督办通知", kind="forbidden")
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ServiceError("请填写督办通知标题", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise ServiceError(f"标题不能超过{MAX_SUBJECT}字", field="subject")
    if not body:
        raise ServiceError("请写明督办事项", field="body")
    if len(body) > MAX_TEXT:
        raise ServiceError(f"督办事项不能超过{MAX_TEXT}字", field="body")
    if reply_by < today:
        raise ServiceError("回复期限不能早于今天", field="reply_by")
    chosen = list({app.pk: app for app in applications}.values())
    foreign = [app.tracking_no for app in chosen if app.organisation_id != organisation.pk]
    if foreign:
        raise ServiceError(
            f"以下申请不属于{organisation.name}：{'、'.join(foreign)}", field="applications"
        )
    with transaction.atomic():
        notice = SupervisionNotice.objects.create(
            government=government,
            organisation=organisation,
            subject=subject,
            body=body,
            reply_by=reply_by,
            sent_by=by,
            sent_by_name=user_display_name(by),
            sent_at=timezone.now(),
        )
        notice.applications.set(chosen)
        audit_record(
            AuditAction.CREATE,
            request=request,
            user=by,
            obj=notice,
            organisation=organisation.code,
            detail={
                "督办机构": government.code,
                "回复期限": reply_by.isoformat(),
                "申请": [app.tracking_no for app in chosen],
            },
        )
    return notice


def notice_answer(
    *,
    by: User,
    notice: SupervisionNotice,
    answer: str,
    request: HttpRequest | None = None,
) -> SupervisionNotice:
    answer = answer.strip()
    with transaction.atomic():
        locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if not acts_in(by, locked.organisation):
            raise ServiceError("只有被督办机构的工作人员可以回复督办通知", kind="forbidden")
        if locked.answered_at is not None:
            raise ServiceError("该督办通知已经回复，不能重复回复", kind="conflict")
        if not answer:
            raise ServiceError("请填写回复内容（办理情况）", field="answer")
        if len(answer) > MAX_TEXT:
            raise ServiceError(f"回复内容不能超过{MAX_TEXT}字", field="answer")
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.answered_by = by
        locked.answered_by_name = user_display_name(by)
        locked.save(update_fields=["answer", "answered_at", "answered_by", "answered_by_name"])
        audit_record(
            AuditAction.CHANGE,
            request=request,
            user=by,
            obj=locked,
            organisation=locked.organisation.code,
            detail={"操作": "回复督办通知"},
        )
    notice.refresh_from_db()
    return notice


# ---------------------------------------------------------------- selectors


def notices_sent(government: Organisation) -> QuerySet[SupervisionNotice]:
    return (
        SupervisionNotice.objects.filter(government=government)
        .select_related("organisation")
        .order_by("-sent_at", "-id")
    )


def notices_of(user: AnyUser) -> QuerySet[SupervisionNotice]:
    """Notices to the organisations where `user` acts."""
    return (
        SupervisionNotice.objects.filter(organisation__in=acting_organisations(user))
        .select_related("organisation", "government")
        .order_by("-sent_at", "-id")
    )


def open_notices_of(user: AnyUser) -> list[SupervisionNotice]:
    """The 工作台 block: notices not yet answered, nearest reply date first (one query)."""
    return list(notices_of(user).filter(answered_at__isnull=True).order_by("reply_by", "id")[:50])
