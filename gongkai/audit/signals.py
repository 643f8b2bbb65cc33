"""Logins, logouts and failed logins, from Django's auth signals (every login path raises them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(AuditAction.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(AuditAction.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in `credentials`; only the name tried is kept.
    name = str(credentials.get("username") or "")[:150]
    known = get_user_model().objects.filter(username=name).first() if name else None
    audit_record(
        AuditAction.LOGIN_FAILED,
        request=request,
        user=known,
        username=name,
        success=False,
        object_type="auth.User" if known else "",
        object_id=known.pk if known else "",
        object_repr=name,
    )
