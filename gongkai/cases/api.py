"""The JSON API of the case workbench: register, list, read and move applications.

A django-ninja router, mounted under /api/ by gongkai.api with the bearer-token authentication,
the JSON body parser and the error answers it shares with the other routers. The request and
response shapes are the schemas of `api_types`; the OpenAPI document is generated from them.
Views only call one service or one access-plus-read and answer JSON; errors are
`{"error": message, "field": name or null}` (docs/api.md).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.params import functions as param
from pydantic import BaseModel
from pydantic_core import to_json

from gongkai.accounts.access import readable_organisation_ids, roles_in
from gongkai.accounts.models import Organisation
from gongkai.cases import personal
from gongkai.cases.access import applications_in, get_application_for_user
from gongkai.cases.api_types import (
    APPLICANT_KEYS,
    CHOICE_PARAMS,
    LIST_PARAMS,
    MAX_QUERY,
    SERVICE_KEYWORDS,
    ActionInput,
    ApiError,
    ApplicationDetail,
    ApplicationList,
    Correct,
    Error,
    ListQuery,
    RegistrationInput,
)
from gongkai.cases.calendar import calendar_for
from gongkai.cases.idempotency import (
    HEADER,
    KEY_PATTERN,
    application_register_once,
    request_hash,
)
from gongkai.cases.keyset import per_organisation
from gongkai.cases.models import Application, Event
from gongkai.cases.search import search
from gongkai.cases.services import (
    ACTION_SERVICES,
    CONFIRM_RECEIVED_ON,
    Applicant,
    Registration,
    ServiceError,
    application_correct,
    application_register,
    application_void,
    deadlines_of,
    masked_changes,
)
from gongkai.domain.deadline_model import Channel, Deadlines
from gongkai.domain.identity import IdType
from gongkai.domain.lifecycle import (
    UNRECEIVED_STATUSES,
    Action,
    ApplicantType,
    RecordChange,
    Role,
    allowed_actions,
    outcome,
    sign_off_allows,
)
from gongkai.domain.lifecycle import (
    Status as ApplicationStatus,
)
from gongkai.domain.workdays import WorkdayCalendar

router = Router(tags=["申请"])

_UNAUTHORIZED = {401: Error}
_ID = param.Path(description="申请的内部编号（响应中的 id）")
_REVEAL = param.Query(
    "0", description="1：返回完整的证件号码（id_number）和联系电话（phone），每次均记入审计日志"
)


def typed_json(schema: type[BaseModel], data: dict[str, Any], status: int = 200) -> HttpResponse:
    """`data` written by pydantic's own JSON encoder; checked against its response schema first
    when settings.API_CHECK_RESPONSES (development and tests).

    ninja would validate and then encode with the standard library's json, a Python call per
    date: on a 50-row page that made the list slower than the hand-written API it replaced
    (bench/api_throughput.py). Members left out of `data` stay out (the full ID number without
    reveal=1)."""
    body: str | bytes
    if settings.API_CHECK_RESPONSES:
        body = schema.model_validate(data).model_dump_json(exclude_unset=True)
    else:
        body = to_json(data)
    return HttpResponse(body, status=status, content_type="application/json")


def caller(request: HttpRequest) -> User:
    """The user of the request's token (the API's authentication has set it)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- endpoints


@router.get(
    "/applications",
    url_name="applications",
    operation_id="listApplications",
    summary="申请台账",
    description="调用者可查看的机构的申请，可按台账的条件筛选；按收到申请之日倒序，"
    "用游标分页（next_cursor），数据量大时翻页速度不变。列表不含期限计算过程和办理记录。",
    response={200: ApplicationList, 401: Error, 403: Error, 422: Error},
    exclude_unset=True,
)
def list_applications(request: HttpRequest, filters: Query[ListQuery]) -> HttpResponse:
    _check_list_params(request)
    organisations = readable_organisation_ids(request.user)
    rows = _filtered(request, filters, organisations).order_by("-received_on", "-id")
    limit = filters.limit
    if filters.cursor:
        received_on, pk = decode_cursor(filters.cursor)
        # The redundant bound (received_on <= …) lets the database seek in the ledger index
        # (organisation, -received_on, -id) instead of walking it from the top.
        later = Q(received_on__lt=received_on) | Q(received_on=received_on, id__lt=pk)
        rows = rows.filter(Q(received_on__lte=received_on) & later)
    # Several organisations: one index seek each (gongkai.cases.keyset).
    rows = per_organisation(rows, organisations, limit + 1)
    page = list(rows.prefetch_related("events")[: limit + 1])
    following = None
    if len(page) > limit:
        page = page[:limit]
        following = encode_cursor(page[-1])
    shared = _PerOrganisation(request, timezone.localdate())
    rows_json = [shared.row(a) for a in page]
    return typed_json(
        ApplicationList, {"results": rows_json, "next_cursor": following, "limit": limit}
    )


@router.post(
    "/applications",
    url_name="applications",
    operation_id="registerApplication",
    summary="登记申请",
    description="登记一件政府信息公开申请（条例第二十九条、第三十一条），分配申请编号并"
    "计算补正告知期限和答复期限。调用者须在受理机关担任经办人、审核人或管理员。"
    "省级平台推送申请即调用本接口。超时后重试请带同一 Idempotency-Key，以免重复登记："
    "同一用户以同一幂等键重试时不再登记，返回首次登记的申请（201，响应头 Idempotent-Replayed: "
    "true）；同一幂等键配不同的请求体返回 422。",
    response={201: ApplicationDetail, 400: Error, 401: Error, 403: Error, 422: Error},
    exclude_unset=True,
    openapi_extra={
        "parameters": [
            {
                "name": HEADER,
                "in": "header",
                "required": False,
                "description": "幂等键：1到200个可打印 ASCII 字符（如 UUID），保存24小时"
                "（GONGKAI_IDEMPOTENCY_HOURS）",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            }
        ],
        "responses": {
            201: {
                "description": "已登记（或以同一幂等键重试：首次登记的申请）；Location 头为申请的地址",
                "headers": {
                    "Location": {
                        "schema": {"type": "string"},
                        "description": "申请的地址 /api/applications/{id}",
                    },
                    "Idempotent-Replayed": {
                        "schema": {"type": "string", "enum": ["true"]},
                        "description": "仅在以同一幂等键重试、返回首次登记结果时出现",
                    },
                },
            }
        },
    },
)
def register_application(request: HttpRequest, payload: RegistrationInput) -> HttpResponse:
    key = _idempotency_key(request)
    organisation = Organisation.objects.filter(code=payload.org).first()
    if organisation is None:
        raise ApiError(f"机构代码不存在：{payload.org[:40]}", field="org")
    confirmed = bool(payload.confirm_old_received_on)
    registration = _registration(payload)
    today = timezone.localdate()
    replayed = False
    try:
        if key is None:
            application = application_register(
                actor=caller(request), organisation=organisation, data=registration,
                today=today, confirm_old_received_on=confirmed,
            )  # fmt: skip
        else:
            application, replayed = application_register_once(
                actor=caller(request), organisation=organisation, data=registration, key=key,
                digest=request_hash(payload.model_dump(mode="json", exclude_none=True)),
                today=today, confirm_old_received_on=confirmed,
            )  # fmt: skip
    except ServiceError as exc:
        raise _api_wording(exc) from exc
    application = _received_application(request.user, application.pk)
    response = typed_json(ApplicationDetail, _detail(request, application), status=201)
    response["Location"] = reverse("api:application", args=[application.pk])
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@router.get(
    "/applications/{int:id}",
    url_name="application",
    operation_id="getApplication",
    summary="申请详情",
    description="办理状态、法定期限及其计算过程、办理记录，以及调用者现在可以执行的操作。"
    "证件号码和联系电话为脱敏值，reveal=1 时为完整值：仅限在受理机关担任经办人、审核人或管理员"
    "的调用者，每次均记入审计日志；监督角色返回 403。",
    response={200: ApplicationDetail, 401: Error, 403: Error, 404: Error, 422: Error},
    exclude_unset=True,
)
def get_application(
    request: HttpRequest,
    id: int = _ID,
    reveal: Literal["0", "1"] = _REVEAL,
) -> HttpResponse:
    wants_full = _reveal_param(request, reveal)
    application = _received_application(request.user, id)
    revealed = None
    if wants_full:
        try:
            revealed = personal.reveal(request, application, list(personal.REVEALABLE), via="api")
        except PermissionDenied as exc:
            raise ApiError(str(exc), status=403, field="reveal") from None
    return typed_json(ApplicationDetail, _detail(request, application, revealed))


@router.post(
    "/applications/{int:id}/actions",
    url_name="application_actions",
    operation_id="applyAction",
    summary="办理一步",
    description="执行办理流程中的一步（补正、征求意见、延期、收费、答复、送达、归档、撤回等），"
    "或更正登记信息（correct）、作废误登记的申请（void）。每种操作的字段见请求体的各个变体；"
    "多余的字段一律拒绝。办理日期不得晚于今天，也不得早于上一步。当前状态下不能执行该操作时返回 "
    "409；调用者的角色不能执行时返回 403（如延期和答复须由审核人或管理员办理）。",
    response={200: ApplicationDetail, 400: Error, 401: Error, 403: Error, 404: Error,
              409: Error, 422: Error},
    exclude_unset=True,
)  # fmt: skip
def apply_action(request: HttpRequest, payload: ActionInput, id: int = _ID) -> HttpResponse:
    """Read access is enough to get past the 404, so a supervisor learns 403 from the service."""
    application = _received_application(request.user, id)
    if payload.action in {change.value for change in RecordChange}:
        _change_record(request, application, payload)
    else:
        action = Action(payload.action)
        kwargs = payload.model_dump(exclude={"action", "date"}, exclude_none=True)
        service = cast(Callable[..., Application], ACTION_SERVICES[action])
        service(
            actor=caller(request), application=application, on=payload.date,  # type: ignore[union-attr]
            today=timezone.localdate(),
            **{SERVICE_KEYWORDS.get(k, k): v for k, v in kwargs.items()},
        )  # fmt: skip
    return typed_json(ApplicationDetail, _detail(request, _received_application(request.user, id)))


RECORD_CHANGE_SERVICES = {
    RecordChange.CORRECT: application_correct,
    RecordChange.VOID: application_void,
}


def _change_record(request: HttpRequest, application: Application, payload: Any) -> None:
    """更正登记信息 and 作废: dated today, with a reason, audited with the caller's address."""
    change = RecordChange(payload.action)
    kwargs: dict[str, Any] = {"reason": payload.reason}
    if isinstance(payload, Correct):
        changes = payload.changes.model_dump(exclude_none=True)
        for key, value in changes.pop("applicant", {}).items():
            changes[APPLICANT_KEYS.get(key, key)] = value
        kwargs["changes"] = changes
        kwargs["confirm_old_received_on"] = bool(payload.confirm_old_received_on)
    service = cast(Callable[..., Application], RECORD_CHANGE_SERVICES[change])
    try:
        service(
            actor=caller(request), application=application, today=timezone.localdate(),
            request=request, **kwargs,
        )  # fmt: skip
    except ServiceError as exc:
        raise _api_wording(exc) from exc


def _api_wording(error: ServiceError) -> ServiceError | ApiError:
    """An old receipt date is confirmed by a member of the body here, not by a checkbox."""
    if error.code != CONFIRM_RECEIVED_ON:
        return error
    warning = error.message.split("；")[0]
    return ApiError(
        f'{warning}；确认无误的，请在请求体中加上 "{CONFIRM_RECEIVED_ON}": true',
        field=error.field,
    )


# ---------------------------------------------------------------- register and read


def _registration(payload: RegistrationInput) -> Registration:
    values = payload.model_dump(exclude={"org", "confirm_old_received_on"}, exclude_none=True)
    person = values.pop("applicant")
    applicant = Applicant(
        type=person.pop("type"), name=person.pop("name"), id_type=person.pop("id_type"),
        id_number=person.pop("id_number"), **person,
    )  # fmt: skip
    return Registration(applicant=applicant, **values)


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise ApiError(f"{HEADER} 应为1到200个可打印 ASCII 字符", status=400, field=HEADER)
    return key


def _detail(
    request: HttpRequest, application: Application, revealed: dict[str, str] | None = None
) -> dict[str, Any]:
    events = Event.objects.select_related("actor")
    prefetch_related_objects([application], Prefetch("events", queryset=events))
    roles = roles_in(request.user, application.organisation)
    return application_json(
        application,
        deadlines_of(application, timezone.localdate()),
        actions_for(application, roles),
        detail=True,
        revealed=revealed,
    )


def _reveal_param(request: HttpRequest, value: str) -> bool:
    unknown = sorted(set(request.GET) - {"reveal"})
    if unknown:
        raise ApiError(
            f"未知的查询参数：{unknown[0][:40]}（可用参数：reveal）", field=unknown[0][:100]
        )
    return value == "1"


def actions_for(application: Application, roles: frozenset[Role]) -> list[Action]:
    """The steps the caller may take now: the transition table's, less the extension when it
    has been used (条例第三十三条第二款 allows one; `application_extend` refuses a second)."""
    actions = allowed_actions(application.status_enum, roles)
    required = application.organisation.leader_signoff
    return [
        a
        for a in actions
        if not (a is Action.EXTEND and application.extended)
        and sign_off_allows(a, application.status_enum, required)
    ]


# ---------------------------------------------------------------- the list


@dataclass
class _PerOrganisation:
    """What every row of one organisation shares: its calendar and the caller's roles there."""

    request: HttpRequest
    today: dt.date
    calendars: dict[int, WorkdayCalendar] = field(default_factory=dict)
    roles: dict[int, frozenset[Role]] = field(default_factory=dict)

    def row(self, application: Application) -> dict[str, Any]:
        org = application.organisation
        if org.pk not in self.calendars:
            self.calendars[org.pk] = calendar_for(org)
            self.roles[org.pk] = roles_in(self.request.user, org)
        deadlines = deadlines_of(application, self.today, calendar=self.calendars[org.pk])
        actions = actions_for(application, self.roles[org.pk])
        return application_json(application, deadlines, actions)


def _check_list_params(request: HttpRequest) -> None:
    for name, value in request.GET.items():
        if "\x00" in value:
            # PostgreSQL cannot compare text with NUL: refused here rather than as a 500.
            raise ApiError(f"查询参数 {name[:40]} 含有不允许的空字符", field=name[:100])
    unknown = sorted(set(request.GET) - set(LIST_PARAMS))
    if unknown:
        allowed = "、".join(LIST_PARAMS)
        shown = unknown[0][:40]
        raise ApiError(f"未知的查询参数：{shown}（可用参数：{allowed}）", field=unknown[0][:100])


def _received_application(user: Any, pk: int) -> Application:
    """An application the caller may read, once received: the API knows no internet submission
    awaiting 签收 (or refused at it), which has no receipt date and no deadline yet
    (条例第三十一条（三）, docs/decisions.md PA-5); it is the same 404 as a missing one."""
    application = get_application_for_user(user, pk)
    if application.status_enum in UNRECEIVED_STATUSES:
        raise Http404("没有找到这件申请")
    return application


def _filtered(
    request: HttpRequest, filters: ListQuery, organisations: set[int]
) -> QuerySet[Application]:
    rows = applications_in(organisations).exclude(status__in=UNRECEIVED_STATUSES)
    for name, choices in CHOICE_PARAMS.items():
        wanted = _choices(getattr(filters, name) or [], name, choices)
        if wanted:
            rows = rows.filter(**{f"{name}__in": wanted})
    if filters.received_from:
        rows = rows.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        rows = rows.filter(received_on__lte=filters.received_to)
    if filters.org:
        rows = rows.filter(organisation=_readable_organisation(request, filters.org))
    keyword = (filters.q or "").strip()
    if keyword:
        if len(keyword) > MAX_QUERY:
            raise ApiError(f"关键词过长（最多{MAX_QUERY}个字符）", field="q")
        # As on the ledger screen: a tracking-number prefix, or words of the name or content.
        rows = search(rows, keyword, organisations)
    return rows


def _choices(raw_values: list[str], name: str, choices: tuple[str, ...]) -> list[str]:
    """Values of a repeatable, comma-separable parameter (`status=registered,processing`)."""
    wanted = [v.strip() for raw in raw_values for v in raw.split(",") if v.strip()]
    for value in wanted:
        if value not in choices:
            raise ApiError(f"{name} 无效：{value[:40]}（可选：{'、'.join(choices)}）", field=name)
    return wanted


def _readable_organisation(request: HttpRequest, code: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise ApiError(f"机构代码不存在：{code[:40]}", field="org")
    if organisation.pk not in readable_organisation_ids(request.user):
        raise ApiError(f"您无权查看{organisation.name}的申请", status=403, field="org")
    return organisation


def encode_cursor(application: Application) -> str:
    """The position after `application` in the order received_on desc, id desc (opaque)."""
    raw = f"{application.received_on.isoformat()}.{application.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, _, pk = raw.partition(".")
        return dt.date.fromisoformat(day), int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError("分页游标无效，请使用上一页返回的 next_cursor", field="cursor") from None


# ---------------------------------------------------------------- writing responses
# Plain dicts, checked against ApplicationRow / ApplicationDetail by django-ninja on the way out.


def application_json(
    application: Application,
    deadlines: Deadlines,
    actions: list[Action],
    *,
    detail: bool = False,
    revealed: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An application as the API shows it; the detail adds the deadline trail and the timeline.

    The ID number and the phone are masked unless `revealed` gives their full values (the detail
    with `?reveal=1`, audited by `gongkai.cases.personal.reveal`).
    """
    a = application
    chosen = outcome(a.outcome) if a.outcome else None
    data: dict[str, Any] = {
        "id": a.pk,
        "tracking_no": a.tracking_no,
        "org": a.organisation.code,
        "org_name": a.organisation.name,
        "status": a.status,
        "status_label": ApplicationStatus(a.status).label,
        "applicant": applicant_json(a, revealed),
        "channel": a.channel,
        "channel_label": Channel(a.channel).label,
        "received_on": a.received_on,
        "content": a.content,
        "purpose": a.purpose,
        "form": a.form,
        "delivery": a.delivery,
        "outcome": chosen.key if chosen else None,
        "outcome_label": chosen.label if chosen else None,
        "legal_basis": a.legal_basis or None,
        "concluded_on": a.concluded_on,
        "archived_on": a.archived_on,
        "extended": a.extended,
        "deadlines": deadlines_json(deadlines, trail=detail),
        "allowed_actions": [action.value for action in actions],
    }
    if detail:
        data["timeline"] = [event_json(event) for event in _sorted_events(a)]
    return data


def applicant_json(a: Application, revealed: dict[str, str] | None = None) -> dict[str, Any]:
    data = {
        "type": a.applicant_type,
        "type_label": ApplicantType(a.applicant_type).label,
        "name": a.applicant_name,
        "id_type": a.id_type,
        "id_type_label": IdType(a.id_type).label,
        "id_number_masked": a.masked_id,
        "phone": a.masked_phone,
        "address": a.address,
        "postcode": a.postcode,
        "email": a.email,
    }
    if revealed is not None:
        data["id_number"] = revealed["id_number"]
        data["phone"] = revealed["phone"]
    return data


def deadlines_json(d: Deadlines, *, trail: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "receipt_date": d.receipt_date,
        "clock_start": d.clock_start,
        "correction_notice_due": d.correction_notice_due,
        "reply_due": d.reply_due,
        "extended_reply_due": d.extended_reply_due,
        "current_due": d.governing_due,
        "fee_payment_due": d.fee_payment_due,
        "third_party_answer_due": d.third_party_answer_due,
        "remaining_working_days": d.remaining_working_days,
        "overdue": d.overdue,
        "provisional": d.provisional,
        "clock_status": d.status.value,
        "clock_status_label": d.status.label,
    }
    if trail:
        data["trail"] = [{"date": e.date, "reason": e.reason} for e in d.trail]
    return data


def event_json(event: Event) -> dict[str, Any]:
    actor = event.actor
    data = dict(event.data or {})
    if event.action == RecordChange.CORRECT and "changes" in data:
        # Identity numbers and phones are masked in every response (see application_json).
        data["changes"] = masked_changes(data["changes"])
    return {
        "id": event.pk,
        "action": event.action,
        "action_label": event.label,
        "date": event.date,
        # The name kept with the entry outlives the user; the username while the user exists.
        "actor": actor.get_username() if actor is not None else (event.actor_name or None),
        "note": event.note,
        "data": data,
    }


def _sorted_events(application: Application) -> list[Event]:
    return sorted(application.events.all(), key=lambda event: (event.date, event.id))
