"""Every response of the JSON API in the test suite, checked against the generated OpenAPI
document: its status must be documented for its operation and, when it is JSON, its body must
match the documented schema (jsonschema, draft 2020-12, as OpenAPI 3.1 uses).

tests/conftest.py wraps django.test.Client.request with `checked`, so this holds for every test
that calls the API, wherever it lives.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.urls import Resolver404, resolve
from jsonschema import Draft202012Validator, FormatChecker

PAGES = {"/api/openapi.json", "/api/docs"}


@cache
def document() -> dict[str, Any]:
    from gongkai.api.core import openapi_document

    # As clients get it: JSON, so status codes are strings.
    loaded: dict[str, Any] = json.loads(json.dumps(openapi_document(), ensure_ascii=False))
    return loaded


def route_of(path: str) -> str | None:
    """The OpenAPI path template of a request path under /api/, or None if no route serves it."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace != "api":
        return None
    return "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route.removeprefix("api/"))


def schema_errors(value: Any, schema: dict[str, Any]) -> list[str]:
    """What is wrong with `value` under `schema`, a schema of the document (refs resolved)."""
    rooted = {**schema, "components": document()["components"]}
    validator = Draft202012Validator(rooted, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}" for e in
            validator.iter_errors(value)]  # fmt: skip


def response_problems(method: str, path: str, response: Any) -> list[str]:
    template = route_of(path)
    if template is None or template in PAGES:
        return []
    operations = document()["paths"].get(template)
    if operations is None:
        return [f"{template}: not in the OpenAPI document"]
    if method.lower() not in operations:
        # A method the route does not serve: 405 with the API's error body.
        if response.status_code != 405:
            return [f"{method} {template}: undocumented method answered {response.status_code}"]
        return _body_problems(response, {"$ref": "#/components/schemas/Error"}, method, template)
    documented = operations[method.lower()]["responses"]
    status = str(response.status_code)
    if status not in documented:
        return [f"{method} {template}: status {status} is not documented"]
    content = documented[status].get("content", {})
    media = response.get("Content-Type", "").split(";")[0]
    if media != "application/json":
        return [] if not content or media in content or any(
            m.split(";")[0] == media for m in content) else [
            f"{method} {template} {status}: {media} is not documented"]  # fmt: skip
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return [f"{method} {template} {status}: JSON body is not documented"]
    return _body_problems(response, schema, method, template)


def _body_problems(response: Any, schema: dict[str, Any], method: str, template: str) -> list[str]:
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    if response.streaming:
        # Put the bytes back for the test that asked for them.
        response.streaming_content = [body]
    errors = schema_errors(json.loads(body), schema)
    return [f"{method} {template} {response.status_code}: {e}" for e in errors]


class OpenApiMismatch(AssertionError):
    pass


def checked(request_method: Any) -> Any:
    """Wrap django.test.Client.request: after each call, check the response."""

    def request(self: Any, **environ: Any) -> Any:
        response = request_method(self, **environ)
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/"):
            problems = response_problems(environ.get("REQUEST_METHOD", "GET"), path, response)
            if problems:
                raise OpenApiMismatch("\n".join(problems))
        return response

    return request
