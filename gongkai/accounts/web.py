"""What every screen that changes something needs from the signed-in user, in one place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gongkai.accounts.errors import ServiceError


def acting_user(request: HttpRequest) -> User:
    """The signed-in user who takes a step (the views that change things require a login)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def show_refusal(request: HttpRequest, exc: ServiceError) -> None:
    """A refusal for lack of a role is a 403 page; any other is shown on the next page."""
    if exc.kind == "forbidden":
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)
