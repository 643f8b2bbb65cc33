"""Security events of the login: a lockout is audited; a login notes when the password is due."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.middleware import LAST_SEEN, remember_password_due
from gongkai.accounts.models import PasswordState
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    name = (username or "")[:150]
    known = get_user_model().objects.filter(username=name).first() if name else None
    audit_record(
        AuditAction.LOCKOUT,
        request=request,
        user=known,
        username=name,
        success=False,
        object_repr=name,
        detail={"ip": ip_address},
    )


@receiver(user_logged_in, dispatch_uid="password_due_at_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())  # a login is activity
        remember_password_due(request, user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="password_state_of_new_user")
def _user_created(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """A new account's password is dated from its creation (create_user does not call the
    validators' password_changed hook); loading a backup (raw) keeps the saved states."""
    if created and not raw:
        PasswordState.objects.get_or_create(user=instance, defaults={"changed_at": timezone.now()})
