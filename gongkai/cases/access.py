"""Fetching applications for a user. "Missing" and "not yours" are the same 404."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.access import readable_organisation_ids, writable_organisation_ids
from gongkai.cases.models import Application, LedgerJob


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


def get_ledger_job_for_user(user: User | AnonymousUser, pk: int) -> LedgerJob:
    """A ledger job of `user`'s own, while `user` still reads every organisation it touches: a
    job page or a download after a membership ended is the same 404 as a job that is not theirs."""
    job = LedgerJob.objects.filter(pk=pk, user_id=user.pk or 0).select_related("organisation")
    found = job.first()
    if found is None or not set(found.organisations) <= readable_organisation_ids(user):
        raise Http404("没有找到这个任务")
    return found
