"""Portal pages are cached per organisation and cleared when the office publishes (issue 11).

Each organisation has a version token in the cache; a page's key carries it, so clearing is one
write: a new token, and every page of the organisation (and of its government, whose pages list
its reports) is rebuilt on its next request. The cache is Django's (settings.CACHES), one for
every worker and every app server so that all see the same token: the database table with
PostgreSQL, Redis or memcached when set, the file cache of the one server on SQLite (MS-2).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from gongkai.accounts.models import Organisation

# Pages change on publication (cleared then) and with the records (statistics, 发布日期 reached
# by a catalogue item): ten minutes bounds how late the latter shows.
PAGE_SECONDS = 600
LARGE_TEXT_COOKIE = "portal_text"


def _slug(code: str) -> str:
    """A code as a cache key part: the URL's code may hold anything until the view refuses it."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:16]


def _token_key(code: str) -> str:
    return f"portal:token:{_slug(code)}"


def organisation_token(code: str) -> str:
    token = cache.get(_token_key(code))
    if token is None:
        token = secrets.token_hex(8)
        cache.set(_token_key(code), token, None)
    return str(token)


def portal_cache_clear(organisation: Organisation) -> None:
    """Forget every cached page of `organisation` and of the governments above it."""
    current: Organisation | None = organisation
    while current is not None:
        cache.set(_token_key(current.code), secrets.token_hex(8), None)
        current = current.parent


def large_text(request: HttpRequest) -> bool:
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "large"


def _page_key(request: HttpRequest, code: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8")).hexdigest()[:32]
    size = "L" if large_text(request) else "N"
    return f"portal:page:{_slug(code)}:{organisation_token(code)}:{size}:{path}"


View = Callable[..., HttpResponse]


def cached_page(view: View) -> View:
    """Serve a portal page of `code` from the cache; only whole 200 pages are kept."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _page_key(request, str(kwargs.get("code", "")))
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        return response

    return wrapper
