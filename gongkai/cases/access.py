"""Fetching applications for a user. "Missing" and "not yours" are the same 404."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.access import readable_organisation_ids, writable_organisation_ids
from gongkai.cases.models import Application


def applications_for_user(
    user: User | AnonymousUser, *, write: bool = False
) -> QuerySet[Application]:
    ids = writable_organisation_ids(user) if write else readable_organisation_ids(user)
    return applications_in(ids)


def applications_in(organisation_ids: set[int]) -> QuerySet[Application]:
    """The applications of these organisations (ids from `readable_organisation_ids`): for the
    lists that also need the ids, to walk their pages one organisation at a time."""
    return Application.objects.filter(organisation_id__in=organisation_ids).select_related(
        "organisation"
    )


def get_application_for_user(
    user: User | AnonymousUser, pk: int, *, write: bool = False
) -> Application:
    try:
        return applications_for_user(user, write=write).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到这件申请") from None
