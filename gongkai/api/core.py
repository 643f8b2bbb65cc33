"""The JSON API, assembled: one django-ninja instance with the routers of the apps below
(applications from gongkai.cases, the annual report from gongkai.reports), bearer-token
authentication, the JSON body parser, and every refusal answered as
`{"error": "中文说明", "field": name or null}` with the status the contract promises
(docs/api.md): 400 malformed body, 401 token, 403 role, 404 not found or not yours, 405 method,
409 not in this state, 413 body too large, 422 invalid member.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError, ValidationErrorContext
from ninja.renderers import JSONRenderer

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.tokens import ApiTokenAuth, TokenRefused
from gongkai.api.errors import Problem, locate, refusal
from gongkai.api.parser import JsonBody
from gongkai.cases import api as cases_api
from gongkai.cases.api_types import ApiError
from gongkai.reports import api as reports_api

HTTP_STATUS_OF_KIND = {"invalid": 422, "conflict": 409, "forbidden": 403}

DESCRIPTION = (
    "政府信息公开工作平台的 JSON 接口：登记申请、查询台账和详情、办理各步骤，"
    "查询年度报告及其已发布的文件。"
    "认证方式：请求头 Authorization: Bearer <令牌>，令牌由管理员用 "
    "`gongkai manage create_api_token 用户名` 生成。错误响应均为 "
    '{"error": "中文说明", "field": "字段名或 null"}。日期均为 YYYY-MM-DD。'
)


class ChineseJson(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class GongkaiApi(NinjaAPI):
    def get_content_type(self) -> str:
        return "application/json"

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """Keep what pydantic saw (ninja drops it) and where it is in our schemas."""
        problems: list[Problem] = []
        for context in error_contexts:
            model = context.model
            source = str(model.__ninja_param_source__)
            for error in context.pydantic_validation_error.errors(include_url=False):
                path, parent, discriminator = locate(model, tuple(error["loc"]))
                problems.append(
                    Problem(
                        source=source,
                        path=path,
                        kind=error["type"],
                        message=error["msg"],
                        value=error.get("input"),
                        context=dict(error.get("ctx") or {}),
                        parent=parent,
                        discriminator=discriminator,
                    )
                )
        return ValidationError(problems)  # type: ignore[arg-type]


def error_response(
    request: HttpRequest, message: str, status: int, field: str | None = None
) -> HttpResponse:
    return api.create_response(request, {"error": message, "field": field}, status=status)


api = GongkaiApi(
    title="gongkai 依申请公开办理 API",
    version="2.0.0",
    description=DESCRIPTION,
    openapi_url=None,
    docs_url=None,
    urls_namespace="api",
    auth=ApiTokenAuth(),
    renderer=ChineseJson(),
    parser=JsonBody(),
)
api.add_router("/", cases_api.router)
api.add_router("/", reports_api.router)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    found = refusal(exc.errors)  # type: ignore[arg-type]
    return error_response(request, found.message, found.status, found.field)


@api.exception_handler(ApiError)
def _refused(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.message, exc.status, exc.field)


@api.exception_handler(ServiceError)
def _service_refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return error_response(request, exc.message, HTTP_STATUS_OF_KIND.get(exc.kind, 422), exc.field)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, "没有找到这件申请", 404)


@api.exception_handler(TokenRefused)
def _unauthorized(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = error_response(request, exc.message, 401)
    response["WWW-Authenticate"] = 'Bearer realm="gongkai"'
    return response


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(request, f"请求体过大（上限{limit}字节）", 413)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja wraps what the body parser raises in "Cannot parse request body": answer ours.
    cause = exc.__cause__
    if isinstance(cause, ApiError):
        return error_response(request, cause.message, cause.status, cause.field)
    if isinstance(cause, RequestDataTooBig):
        return _too_large(request, cause)
    return error_response(request, "请求体不是有效的 JSON", exc.status_code)


def json_methods(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method a route does not serve with a bare 405: ours is a JSON error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = sorted(method.strip() for method in response["Allow"].split(","))
            response = error_response(request, f"不支持的请求方法：{request.method}", 405)
            response["Allow"] = ", ".join(allowed)
        return response

    return wrapper


def url_patterns() -> list[URLPattern]:
    """The operations' routes (not ninja's root page, which would list nothing useful)."""
    patterns = [p for p in api.urls[0] if isinstance(p, URLPattern) and p.name != "api-root"]
    for pattern in patterns:
        pattern.callback = json_methods(pattern.callback)
    return patterns


# What each status means in this API (docs/api.md), for the document's responses: ninja writes
# the HTTP reason phrase ("Not Found"), a client wants to know when it happens.
STATUS_MEANINGS = {
    200: "成功",
    201: "已创建",
    400: "请求体不是 JSON 对象（编码、语法、嵌套过深、数字过大或含无效字符），或请求头格式无效",
    401: "未提供令牌，或令牌无效、已过期、已吊销（error 说明原因）",
    403: "调用者的角色不能执行该操作，或无权查看指定的机构",
    404: "没有找到，或不属于调用者可查看的机构",
    405: "不支持的请求方法（响应头 Allow 列出支持的方法）",
    409: "当前状态下不能执行该操作",
    413: "请求体过大",
    422: "字段缺失、类型错误或内容无效；field 指出字段",
}
_BODY_ERRORS = (400, 413)


@cache
def _document() -> dict[str, Any]:
    document = dict(api.get_openapi_schema(path_prefix="/api/"))
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in document["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            if method == "post":
                for status in _BODY_ERRORS:
                    responses.setdefault(status, error)
            for status, response in responses.items():
                generic = HTTPStatus(int(status)).phrase
                if response.get("description", generic) == generic:
                    response["description"] = STATUS_MEANINGS[int(status)]
    return document


def openapi_document() -> dict[str, Any]:
    """The generated OpenAPI 3.1 document with the two pages about it (a fresh copy)."""
    import copy

    document = copy.deepcopy(_document())
    document["paths"].update(copy.deepcopy(PAGES))
    return document


PAGES: dict[str, Any] = {
    "/api/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "OpenAPI 文档",
            "description": "本文档（OpenAPI 3.1，JSON），由接口的类型定义生成。无需令牌。",
            "responses": {
                "200": {
                    "description": "OpenAPI 文档",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        },
    },
    "/api/docs": {
        "get": {
            "operationId": "docs",
            "summary": "API 说明页",
            "description": "本文档的网页版，不引用外部资源。无需令牌。",
            "responses": {
                "200": {
                    "description": "HTML 页面",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                }
            },
        },
    },
}
