"""Recording an audit entry: the one write path of the audit log.

Call `audit_record` from the service or view that did the thing, after it succeeded (or with
`success=False` for a refused attempt). Inside a transaction the entry commits or rolls back with
the change it describes, so the log never claims a change that did not happen.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry

REPR_LENGTH = 200


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from.

    Behind a reverse proxy (`GONGKAI_BEHIND_PROXY`), REMOTE_ADDR is the proxy's; the client is the
    last address of X-Forwarded-For, the one the proxy itself appended (the earlier ones are
    whatever the client claimed and cannot be trusted).
    """
    if request is None:
        return None
    if getattr(settings, "GONGKAI_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return _valid_ip(last)
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_record(
    action: AuditAction,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    organisation: str = "",
    detail: dict[str, Any] | None = None,
    success: bool = True,
    username: str = "",
) -> AuditEntry:
    """Append one entry. `user` defaults to the request's user; `obj` fills the object fields
    (its model label, primary key, text and, when it has one, its organisation's code)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
        organisation = organisation or _organisation_code(obj)
    return AuditEntry.objects.create(
        action=action,
        user_id=user.pk if user is not None else None,
        username=user.get_username() if user is not None else username[:150],
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=object_repr[:REPR_LENGTH],
        organisation=organisation,
        ip=client_ip(request),
        success=success,
        detail=detail or {},
    )


def _organisation_code(obj: models.Model) -> str:
    code = getattr(obj, "code", None) if obj._meta.model_name == "organisation" else None
    if code:
        return str(code)
    organisation = getattr(obj, "organisation", None)
    return str(getattr(organisation, "code", "") or "")
