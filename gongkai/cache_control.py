"""`Cache-Control: no-store` on every response the application itself makes.

Pages, JSON, exports and downloads carry applicants' names, ID numbers, phones and the
office's records; no browser cache, shared proxy or "back" button should keep a copy after the
user has left (GB/T 22239-2019 8.1.4.10 剩余信息保护, 8.1.4.11 个人信息保护; 个人信息保护法第五十一条).
Telling personal pages from others one by one would miss some, so the rule is simply everything
but the static files, which WhiteNoise answers before this middleware runs (they hold nothing
personal and keep their long cache lifetimes). The login page is included: it carries a CSRF
token.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # Replace, not add to, what a view set: "no-store" beside "max-age=…" only confuses.
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"  # HTTP/1.0 caches (RFC 9111 §5.4)
        return response
