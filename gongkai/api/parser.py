"""The API's JSON body parser: every malformed body is a JSON error, never a server error.

django-ninja hands every request body to `JsonBody.parse_body`; what it refuses here (400, 413)
reaches the client through the API's error handler (gongkai.api.core) as {"error", "field"}.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja.parser import Parser

from gongkai.cases.api_types import ApiError


class JsonBody(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return parse_body(request)


# Request bodies are objects with at most one nested object (the applicant, a correction's
# changes): deeper nesting is refused before anything reads it.
MAX_DEPTH = 4
# The API's numbers are amounts in yuan and years: more digits than this are no number it takes.
MAX_DIGITS = 20


def parse_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object of the request body; 400 (413 when too large) when it is not one.

    Every malformed body gets a JSON error, never a server error: bodies over Django's upload
    limit, not UTF-8 (RFC 8259 §8.1), not JSON (NaN and Infinity included), nested deeper than
    MAX_DEPTH (however deep: the parser's recursion is caught), numbers of more than MAX_DIGITS
    digits, and strings with lone surrogates, which no database can store."""
    try:
        raw = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise ApiError(f"请求体过大（上限{limit}字节）", status=413) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError("请求体不是有效的 JSON（应为 UTF-8 编码）", status=400) from None
    try:
        data = json.loads(
            text, parse_constant=_not_json, parse_int=_bounded_int, parse_float=_finite_float
        )
    except json.JSONDecodeError as exc:
        where = f"第{exc.lineno}行第{exc.colno}列" if text.strip() else "请求体为空"
        hint = _content_type_hint(request)
        raise ApiError(f"请求体不是有效的 JSON（{where}）{hint}", status=400) from None
    except RecursionError:
        raise ApiError(f"请求体嵌套过深（最多{MAX_DEPTH}层）", status=400) from None
    if not isinstance(data, dict):
        raise ApiError("请求体应为 JSON 对象", status=400)
    _check_structure(data)
    return data


def _not_json(name: str) -> Any:
    raise ApiError(f"请求体不是有效的 JSON（{name} 不是 JSON 数值）", status=400)


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ApiError(f"请求体中的数字过大（最多{MAX_DIGITS}位）", status=400)
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ApiError(f"请求体中的数字超出范围：{text[:40]}", status=400)
    return value


def _content_type_hint(request: HttpRequest) -> str:
    received = request.content_type or ""
    if received in ("application/json", ""):
        return ""
    return f"；请以 Content-Type: application/json 发送 JSON（收到的是 {received[:60]}）"


def _check_structure(data: dict[str, Any]) -> None:
    """Depth and strings, walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            raise ApiError(f"请求体嵌套过深（最多{MAX_DEPTH}层）", status=400)
        if isinstance(value, dict):
            for key, member in value.items():
                _check_text(key)
                stack.append((member, depth + 1))
        elif isinstance(value, list):
            stack.extend((member, depth + 1) for member in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # "\ud800" alone: valid JSON escape, but no character; neither database can store it.
        raise ApiError("请求体含有无效的 Unicode 字符（单独的代理项）", status=400) from None
