"""API tokens: creating, listing, revoking, and authenticating a request that carries one.

Only the SHA-256 of a token is stored (`ApiToken.digest`); the raw value is shown once, by
`gongkai manage create_api_token`. Requests send it as `Authorization: Bearer <token>`. A token
lives at most GONGKAI_API_TOKEN_MAX_DAYS, can be revoked, and dies when its user's password
changes (GB/T 22239-2019 8.1.4.1: 身份鉴别信息定期更换 must reach the API too).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from ninja.security import HttpBearer

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import ApiToken
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record

# `last_used_at` is a hint for administrators, not an audit log: one write a minute per token
# keeps a busy importer from turning every read into a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


def password_fingerprint(user: User) -> str:
    """Changes whenever the user's password hash changes (and with the SECRET_KEY)."""
    return salted_hmac("gongkai.api_token", user.password, algorithm="sha256").hexdigest()


def token_state(token: ApiToken, *, now: dt.datetime | None = None) -> str:
    """有效 / 已过期 / 已吊销 / 已失效 (password changed) / 用户已停用."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "已吊销"
    if token.expires_at is not None and token.expires_at <= now:
        return "已过期"
    if not token.user.is_active:
        return "用户已停用"
    if token.password_fingerprint != password_fingerprint(token.user):
        return "已失效（用户已修改密码）"
    return "有效"


def api_token_create(
    *, user: User, name: str = "", days: int | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` (at most the configured maximum); returns the row and
    the raw value, which is not stored."""
    limit = settings.GONGKAI_API_TOKEN_MAX_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ServiceError(f"令牌有效期应为 1 至 {limit} 天", field="expires")
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            digest=ApiToken.digest_of(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + dt.timedelta(days=days),
            password_fingerprint=password_fingerprint(user),
        )
        audit_record(
            AuditAction.TOKEN_CREATE,
            user=actor,
            obj=token,
            detail={"owner": user.get_username(), "days": days, "name": token.name},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: User | None = None, reason: str = "") -> bool:
    """Revoke `token`; False when it already was."""
    with transaction.atomic():
        if token.revoked_at is not None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            AuditAction.TOKEN_REVOKE,
            user=actor,
            obj=token,
            detail={"owner": token.user.get_username(), "reason": reason},
        )
    return True


def api_token_user(
    raw: str, *, now: dt.datetime | None = None, request: HttpRequest | None = None
) -> tuple[User | None, str]:
    """The user a raw token authenticates, or None and the reason in Chinese."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None, "API 令牌无效或已停用"
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None:
        return None, "API 令牌无效或已停用"
    now = now or timezone.now()
    state = token_state(token, now=now)
    if state != "有效":
        _record_rejection(token, state, now, request)
        if state == "用户已停用":
            return None, "API 令牌无效或已停用"
        return None, f"API 令牌{state}，请重新申请令牌"
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, ""


def _record_rejection(
    token: ApiToken, state: str, now: dt.datetime, request: HttpRequest | None
) -> None:
    """One entry a minute per token at most: a client retrying in a loop must not flood the log."""
    from gongkai.audit.models import AuditEntry

    recent = AuditEntry.objects.filter(
        action=AuditAction.TOKEN_REJECTED,
        object_type=ApiToken._meta.label,
        object_id=str(token.pk),
        at__gte=now - TOUCH_INTERVAL,
    ).exists()
    if not recent:
        audit_record(
            AuditAction.TOKEN_REJECTED,
            request=request,
            user=token.user,
            obj=token,
            success=False,
            detail={"state": state},
        )


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None when there is no such header."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


class TokenRefused(Exception):
    """A request without a usable token: the API answers 401 with this reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiTokenAuth(HttpBearer):
    """Bearer-token authentication of the JSON API (django-ninja), with the reason of a refusal.

    A session cookie is never consulted, so the API needs no CSRF token: every request that gets
    through was authenticated by its `Authorization` header, which a browser never adds on its own.
    """

    openapi_description = "gongkai manage create_api_token 生成的令牌"

    def __call__(self, request: HttpRequest) -> User:
        raw = bearer_token(request)
        if raw is None:
            raise TokenRefused("缺少 API 令牌：请在请求头中提供 Authorization: Bearer <令牌>")
        user, reason = api_token_user(raw, request=request)
        if user is None:
            raise TokenRefused(reason)
        request.user = user
        return user

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user, _ = api_token_user(token, request=request)
        return user
