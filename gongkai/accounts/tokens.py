"""API tokens: creating one, and authenticating a request that carries one.

Only the SHA-256 of a token is stored (`ApiToken.digest`); the raw value is shown once, by
`gongkai manage create_api_token`. Requests send it as `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from gongkai.accounts.models import ApiToken

# `last_used_at` is a hint for administrators, not an audit log: one write a minute per token
# keeps a busy importer from turning every read into a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200

View = Callable[..., HttpResponse]


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the raw value, which is not stored."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), digest=ApiToken.digest_of(raw), prefix=raw[:8]
    )
    return token, raw


def api_token_user(raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user a raw token belongs to, or None; records when the token was used."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None when there is no such header."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def api_token_required(view: View) -> View:
    """Authenticate by bearer token only; anything else gets 401 with a JSON error.

    The view is CSRF-exempt because every request that reaches it was authenticated by its
    `Authorization` header, which a browser never adds on its own; a session cookie is never
    consulted, so requests without a token are refused before any work and have nothing for
    CSRF to protect.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = bearer_token(request)
        if raw is None:
            return _unauthorized("缺少 API 令牌：请在请求头中提供 Authorization: Bearer <令牌>")
        user = api_token_user(raw)
        if user is None:
            return _unauthorized("API 令牌无效或已停用")
        request.user = user
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _unauthorized(message: str) -> JsonResponse:
    response = JsonResponse(
        {"error": message, "field": None}, status=401, json_dumps_params={"ensure_ascii": False}
    )
    response["WWW-Authenticate"] = 'Bearer realm="gongkai"'
    return response
