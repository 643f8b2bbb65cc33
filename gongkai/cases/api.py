"""The JSON API of the case workbench: register, list, read and move applications.

Documented in docs/api.md and by the OpenAPI document at /api/openapi.json (`api_schema`, composed
in `gongkai.api.schema`).
Every endpoint but the two documentation pages needs `Authorization: Bearer <token>`
(`gongkai.accounts.tokens`). Views only parse, call one service or one access-plus-read, and
answer JSON; errors are `{"error": message, "field": name or null}`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.access import readable_organisation_ids, roles_in
from gongkai.accounts.models import Organisation
from gongkai.accounts.tokens import api_token_required
from gongkai.cases import personal
from gongkai.cases.access import applications_for_user, get_application_for_user
from gongkai.cases.api_io import (
    DEFAULT_LIMIT,
    LIST_PARAMS,
    MAX_LIMIT,
    MAX_QUERY,
    ApiError,
    action_from,
    application_json,
    is_record_change,
    parse_body,
    parse_date,
    record_change_from,
    registration_from,
)
from gongkai.cases.calendar import calendar_for
from gongkai.cases.idempotency import (
    HEADER,
    KEY_PATTERN,
    application_register_once,
    request_hash,
)
from gongkai.cases.models import Application, Event
from gongkai.cases.services import (
    ACTION_SERVICES,
    CONFIRM_RECEIVED_ON,
    ServiceError,
    application_correct,
    application_register,
    application_void,
    deadlines_of,
)
from gongkai.domain.deadline_model import Channel
from gongkai.domain.lifecycle import (
    Action,
    ApplicantType,
    RecordChange,
    Role,
    Status,
    allowed_actions,
    outcomes,
)
from gongkai.domain.workdays import WorkdayCalendar

HTTP_STATUS_OF_KIND = {"invalid": 422, "conflict": 409, "forbidden": 403}

View = Callable[..., HttpResponse]


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(message: str, status: int, field: str | None = None) -> JsonResponse:
    return json_response({"error": message, "field": field}, status=status)


def api_endpoint(*methods: str) -> Callable[[View], View]:
    """Token authentication, the allowed methods, and every refusal as a JSON error."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error_response(f"不支持的请求方法：{request.method}", 405)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return error_response(exc.message, exc.status, exc.field)
            except ServiceError as exc:
                return error_response(
                    exc.message, HTTP_STATUS_OF_KIND.get(exc.kind, 422), exc.field
                )
            except Http404:
                return error_response("没有找到这件申请", 404)

        return api_token_required(wrapper)

    return decorate


def caller(request: HttpRequest) -> User:
    """The user of the request's token (`api_token_required` has set it)."""
    return cast(User, request.user)


# ---------------------------------------------------------------- endpoints


@api_endpoint("GET", "POST")
def applications(request: HttpRequest) -> HttpResponse:
    """GET: the ledger, filtered and paged by cursor; POST: register an application."""
    if request.method == "POST":
        return _register(request)
    return _list(request)


@api_endpoint("GET")
def application_detail(request: HttpRequest, id: int) -> HttpResponse:
    """One application; `?reveal=1` adds the full ID number and phone for a caller who acts in
    its organisation (each reveal audited; a supervisor gets 403)."""
    wants_full = _reveal_param(request.GET)
    application = get_application_for_user(request.user, id)
    revealed = None
    if wants_full:
        try:
            revealed = personal.reveal(request, application, list(personal.REVEALABLE), via="api")
        except PermissionDenied as exc:
            raise ApiError(str(exc), status=403, field="reveal") from None
    return json_response(_detail(request, application, revealed))


@api_endpoint("POST")
def application_actions(request: HttpRequest, id: int) -> HttpResponse:
    """Take one step of the procedure; the service decides whether it is legal now (409) and for
    this user (403). Read access is enough to get past the 404, so a supervisor learns 403."""
    application = get_application_for_user(request.user, id)
    data = parse_body(request)
    if is_record_change(data):
        # 更正登记信息 and 作废: dated today, with a reason, audited with the caller's address.
        change, kwargs = record_change_from(data)
        record_service = cast(Callable[..., Application], RECORD_CHANGE_SERVICES[change])
        try:
            record_service(
                actor=caller(request),
                application=application,
                today=timezone.localdate(),
                request=request,
                **kwargs,
            )
        except ServiceError as exc:
            raise _api_wording(exc) from exc
        return json_response(_detail(request, get_application_for_user(request.user, id)))
    action, on, kwargs = action_from(data)
    service = cast(Callable[..., Application], ACTION_SERVICES[action])
    service(
        actor=caller(request),
        application=application,
        on=on,
        today=timezone.localdate(),
        **kwargs,
    )
    return json_response(_detail(request, get_application_for_user(request.user, id)))


RECORD_CHANGE_SERVICES = {
    RecordChange.CORRECT: application_correct,
    RecordChange.VOID: application_void,
}


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


def _register(request: HttpRequest) -> HttpResponse:
    """Register; with an `Idempotency-Key`, a retry answers 201 with the application the first
    request created (as it is now) and `Idempotent-Replayed: true`."""
    body = parse_body(request)
    key = _idempotency_key(request)
    code, registration, confirmed = registration_from(body)
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise ApiError(f"机构代码不存在：{code[:40]}", field="org")
    today = timezone.localdate()
    replayed = False
    try:
        if key is None:
            application = application_register(
                actor=caller(request),
                organisation=organisation,
                data=registration,
                today=today,
                confirm_old_received_on=confirmed,
            )
        else:
            application, replayed = application_register_once(
                actor=caller(request),
                organisation=organisation,
                data=registration,
                key=key,
                digest=request_hash(body),
                today=today,
                confirm_old_received_on=confirmed,
            )
    except ServiceError as exc:
        raise _api_wording(exc) from exc
    application = get_application_for_user(request.user, application.pk)
    response = json_response(_detail(request, application), status=201)
    response["Location"] = reverse("api:application", args=[application.pk])
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


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


def _reveal_param(params: QueryDict) -> bool:
    unknown = sorted(set(params) - {"reveal"})
    if unknown:
        raise ApiError(f"未知的查询参数：{unknown[0]}（可用参数：reveal）", field=unknown[0])
    value = params.get("reveal", "0")
    if value not in {"0", "1"}:
        raise ApiError("reveal 应为 0 或 1", field="reveal")
    return value == "1"


def actions_for(application: Application, roles: frozenset[Role]) -> list[Action]:
    """The steps the caller may take now: the transition table's, less the extension when it
    has been used (条例第三十三条第二款 allows one; `application_extend` refuses a second)."""
    actions = allowed_actions(application.status_enum, roles)
    return [a for a in actions if not (a is Action.EXTEND and application.extended)]


# ---------------------------------------------------------------- the list


_CHOICE_PARAMS = {
    "status": tuple(s.value for s in Status),
    "outcome": tuple(o.key for o in outcomes()),
    "applicant_type": tuple(t.value for t in ApplicantType),
    "channel": tuple(c.value for c in Channel),
}


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


def _list(request: HttpRequest) -> HttpResponse:
    params = request.GET
    for name, value in params.items():
        if "\x00" in value:
            # PostgreSQL cannot compare text with NUL: refused here rather than as a 500.
            raise ApiError(f"查询参数 {name[:40]} 含有不允许的空字符", field=name[:100])
    unknown = sorted(set(params) - set(LIST_PARAMS))
    if unknown:
        allowed = "、".join(LIST_PARAMS)
        raise ApiError(f"未知的查询参数：{unknown[0]}（可用参数：{allowed}）", field=unknown[0])
    limit = _limit(params.get("limit"))
    rows = _filtered(request, params).order_by("-received_on", "-id")
    cursor = params.get("cursor")
    if cursor:
        received_on, pk = decode_cursor(cursor)
        # The redundant bound (received_on <= …) lets the database seek in the ledger index
        # (organisation, -received_on, -id) instead of walking it from the top.
        later = Q(received_on__lt=received_on) | Q(received_on=received_on, id__lt=pk)
        rows = rows.filter(Q(received_on__lte=received_on) & later)
    page = list(rows.prefetch_related("events")[: limit + 1])
    following = None
    if len(page) > limit:
        page = page[:limit]
        following = encode_cursor(page[-1])
    shared = _PerOrganisation(request, timezone.localdate())
    return json_response(
        {"results": [shared.row(a) for a in page], "next_cursor": following, "limit": limit}
    )


def _filtered(request: HttpRequest, params: QueryDict) -> QuerySet[Application]:
    rows = applications_for_user(request.user)
    for name, choices in _CHOICE_PARAMS.items():
        wanted = _choices(params, name, choices)
        if wanted:
            rows = rows.filter(**{f"{name}__in": wanted})
    for name, lookup in (("received_from", "gte"), ("received_to", "lte")):
        raw = params.get(name)
        if raw:
            rows = rows.filter(**{f"received_on__{lookup}": parse_date(raw, name)})
    code = params.get("org")
    if code:
        rows = rows.filter(organisation=_readable_organisation(request, code))
    keyword = params.get("q", "").strip()
    if keyword:
        if len(keyword) > MAX_QUERY:
            raise ApiError(f"关键词过长（最多{MAX_QUERY}个字符）", field="q")
        # As on the ledger screen: a tracking-number prefix, or words of the name or content.
        rows = rows.filter(
            Q(tracking_no__istartswith=keyword)
            | Q(applicant_name__icontains=keyword)
            | Q(content__icontains=keyword)
        )
    return rows


def _choices(params: QueryDict, name: str, choices: Sequence[str]) -> list[str]:
    """Values of a repeatable, comma-separable parameter (`status=registered,processing`)."""
    wanted = [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]
    for value in wanted:
        if value not in choices:
            raise ApiError(f"{name} 无效：{value}（可选：{'、'.join(choices)}）", field=name)
    return wanted


def _readable_organisation(request: HttpRequest, code: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise ApiError(f"机构代码不存在：{code}", field="org")
    if organisation.pk not in readable_organisation_ids(request.user):
        raise ApiError(f"您无权查看{organisation.name}的申请", status=403, field="org")
    return organisation


def _limit(raw: str | None) -> int:
    if not raw:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(f"limit 应为 1 到 {MAX_LIMIT} 之间的整数", field="limit")
    return limit


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
