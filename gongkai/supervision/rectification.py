"""整改 tasks: open, confirm (交办), answer, close (销号), return (退回), withdraw (issue 12 §5).

One service per action; each checks the party (`gongkai.domain.rectification.ACTION_PARTY`: a
supervisor of the task's government, or an acting user of the organisation) and the transition
table, records a step (who, when, note) and an audit entry — or raises ServiceError and changes
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from gongkai.accounts.access import User as AnyUser
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import user_display_name
from gongkai.domain.rectification import (
    NOTE_REQUIRED,
    Party,
    SourceKind,
    TaskAction,
    TaskStatus,
    TransitionError,
    allowed_actions,
    next_status,
)
from gongkai.supervision.models import RectificationStep, RectificationTask
from gongkai.supervision.roles import acting_organisations, acts_in, is_within, supervises

MAX_TITLE = 200
MAX_TEXT = 5_000


@dataclass(frozen=True)
class TaskInput:
    organisation: Organisation
    source_kind: str
    title: str
    detail: str = ""
    source_ref: str = ""
    source_url: str = ""
    deadline: dt.date | None = None


def rectification_open(
    *,
    by: User,
    government: Organisation,
    data: TaskInput,
    assign: bool = False,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RectificationTask:
    """A finding becomes a task (待确认); with `assign`, confirmed and sent at once (已交办)."""
    today = today or timezone.localdate()
    if not supervises(by, government):
        raise ServiceError("只有本级政府的监督人员可以登记整改任务", kind="forbidden")
    if not is_within(data.organisation, government):
        raise ServiceError("只能向本级政府及所属机构交办整改任务", kind="forbidden")
    if data.source_kind not in {k.value for k in SourceKind}:
        raise ServiceError("请选择问题来源", field="source_kind")
    title = data.title.strip()
    if not title:
        raise ServiceError("请填写问题", field="title")
    if len(title) > MAX_TITLE:
        raise ServiceError(f"问题不能超过{MAX_TITLE}字", field="title")
    if len(data.detail) > MAX_TEXT:
        raise ServiceError(f"问题描述不能超过{MAX_TEXT}字", field="detail")
    url = data.source_url.strip()
    if url and not internal_url(url):
        # Only links inside gongkai: a prefilled link must not lead the organisation elsewhere.
        raise ServiceError("来源链接应为本系统内的地址（以 / 开头）", field="source_url")
    _check_deadline(data.deadline, today, required=assign)
    with transaction.atomic():
        task = RectificationTask.objects.create(
            organisation=data.organisation,
            government=government,
            source_kind=data.source_kind,
            source_ref=data.source_ref.strip()[:200],
            source_url=url[:500],
            title=title,
            detail=data.detail.strip(),
            deadline=data.deadline,
            status=TaskStatus.FOUND,
            created_by=by,
            created_by_name=user_display_name(by),
        )
        _log(task, TaskAction.OPEN, by, government, "", data.deadline)
        audit_record(
            AuditAction.CREATE,
            request=request,
            user=by,
            obj=task,
            organisation=data.organisation.code,
            detail={"来源": data.source_kind, "来源标识": task.source_ref},
        )
        if assign:
            _apply(task, TaskAction.CONFIRM, by, "", data.deadline, request)
    return task


def rectification_confirm(
    *,
    by: User,
    task: RectificationTask,
    deadline: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RectificationTask:
    """确认并交办: the organisation now owes an answer by the deadline (required here)."""
    return _act(task, TaskAction.CONFIRM, by, note, deadline, today, request, need_deadline=True)


rectification_assign = rectification_confirm


def rectification_answer(
    *,
    by: User,
    task: RectificationTask,
    answer: str,
    request: HttpRequest | None = None,
) -> RectificationTask:
    """The organisation says what it changed (non-empty)."""
    return _act(task, TaskAction.ANSWER, by, answer, None, None, request)


def rectification_close(
    *,
    by: User,
    task: RectificationTask,
    note: str = "",
    request: HttpRequest | None = None,
) -> RectificationTask:
    """Re-check passed: 销号."""
    return _act(task, TaskAction.CLOSE, by, note, None, None, request)


def rectification_return(
    *,
    by: User,
    task: RectificationTask,
    reason: str,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RectificationTask:
    """Re-check failed: back to the organisation with the reason, optionally a new deadline."""
    return _act(task, TaskAction.RETURN, by, reason, deadline, today, request)


def rectification_withdraw(
    *,
    by: User,
    task: RectificationTask,
    reason: str,
    request: HttpRequest | None = None,
) -> RectificationTask:
    """The finding did not hold: 撤销, with the reason."""
    return _act(task, TaskAction.WITHDRAW, by, reason, None, None, request)


def _act(
    task: RectificationTask,
    action: TaskAction,
    by: User,
    note: str,
    deadline: dt.date | None,
    today: dt.date | None,
    request: HttpRequest | None,
    *,
    need_deadline: bool = False,
) -> RectificationTask:
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            RectificationTask.objects.select_for_update()
            .select_related("organisation", "government")
            .get(pk=task.pk)
        )
        party = party_of(by, locked)
        if party is None or party is not action.party:
            who = "被交办单位的工作人员" if action.party is Party.ORGANISATION else "监督人员"
            raise ServiceError(f"只有{who}可以“{action.label}”", kind="forbidden")
        try:
            next_status(locked.status_enum, action, party)
        except TransitionError as exc:
            raise ServiceError(str(exc), kind="conflict") from exc
        if action in NOTE_REQUIRED and not note.strip():
            raise ServiceError(NOTE_REQUIRED[action], field="note")
        if len(note) > MAX_TEXT:
            raise ServiceError(f"说明不能超过{MAX_TEXT}字", field="note")
        if deadline is not None or need_deadline:
            _check_deadline(deadline or locked.deadline, today, required=need_deadline)
        _apply(locked, action, by, note.strip(), deadline, request)
    task.refresh_from_db()
    return task


def _apply(
    task: RectificationTask,
    action: TaskAction,
    by: User,
    note: str,
    deadline: dt.date | None,
    request: HttpRequest | None,
) -> None:
    before = task.status_enum
    party = Party.ORGANISATION if action.party is Party.ORGANISATION else Party.SUPERVISOR
    task.status = next_status(before, action, party)
    fields = ["status", "updated_at"]
    if deadline is not None:
        task.deadline = deadline
        fields.append("deadline")
    task.save(update_fields=fields)
    where = task.organisation if party is Party.ORGANISATION else task.government
    _log(task, action, by, where, note, deadline)
    audit_record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=task,
        organisation=task.organisation.code,
        detail={"操作": action.label, "状态": [before.label, task.status_enum.label]},
    )


def _log(
    task: RectificationTask,
    action: TaskAction,
    by: User,
    where: Organisation,
    note: str,
    deadline: dt.date | None,
) -> None:
    RectificationStep.objects.create(
        task=task,
        action=action,
        status_after=task.status,
        actor=by,
        actor_name=user_display_name(by),
        organisation_name=where.name,
        note=note,
        deadline=deadline,
        at=timezone.now(),
    )


def _check_deadline(deadline: dt.date | None, today: dt.date, *, required: bool) -> None:
    if deadline is None:
        if required:
            raise ServiceError("交办时请填写整改期限", field="deadline")
        return
    if deadline < today:
        raise ServiceError("整改期限不能早于今天", field="deadline")


# ---------------------------------------------------------------- who and what


def internal_url(url: str) -> bool:
    """A path inside gongkai ("/…"): no scheme, no host — "//host" and "/\\host" are other
    sites to a browser, "javascript:" is a script."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())


def party_of(user: User, task: RectificationTask) -> Party | None:
    """The side `user` takes on `task`: its government's supervisor, the organisation's acting
    user, or neither. A user who is both (rare) acts as the supervisor."""
    if supervises(user, task.government):
        return Party.SUPERVISOR
    if acts_in(user, task.organisation):
        return Party.ORGANISATION
    return None


def actions_for(user: User, task: RectificationTask) -> list[TaskAction]:
    party = party_of(user, task)
    return [] if party is None else allowed_actions(task.status_enum, party)


def tasks_of_government(government: Organisation) -> QuerySet[RectificationTask]:
    return RectificationTask.objects.filter(government=government).select_related("organisation")


def tasks_of(user: AnyUser) -> QuerySet[RectificationTask]:
    """Tasks of the organisations where `user` acts, as they see them (not yet confirmed ones
    are the supervising office's draft and stay with it)."""
    return (
        RectificationTask.objects.filter(organisation__in=acting_organisations(user))
        .exclude(status=TaskStatus.FOUND)
        .select_related("organisation", "government")
    )


def open_tasks_of(user: AnyUser) -> list[RectificationTask]:
    """The 工作台 block: tasks the organisation owes an answer to, nearest deadline first."""
    owed = [TaskStatus.ASSIGNED, TaskStatus.RETURNED]
    return list(tasks_of(user).filter(status__in=owed).order_by("deadline", "id")[:50])
