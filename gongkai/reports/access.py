"""Who may see, write and publish an organisation's annual report. "Missing" and "not yours" are
the same 404, as for applications."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.access import readable_organisation_ids, roles_in
from gongkai.accounts.models import Organisation
from gongkai.cases.services import ServiceError
from gongkai.reports.services import EDITORS, PUBLISHERS


def readable_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=readable_organisation_ids(user)).order_by("code")


def get_organisation_for_user(user: User | AnonymousUser, code: str) -> Organisation:
    organisation = readable_organisations(user).filter(code=code).first()
    if organisation is None:
        raise Http404("没有找到这个机构")
    return organisation


def can_edit(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return bool(roles_in(user, organisation) & EDITORS)


def can_publish(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return bool(roles_in(user, organisation) & PUBLISHERS)


def raise_if_forbidden(exc: ServiceError) -> None:
    """A service's refusal for lack of a role is a 403 page; any other is shown to the user."""
    if exc.kind == "forbidden":
        raise PermissionDenied(exc.message) from exc
