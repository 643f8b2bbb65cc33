"""Who supervises what: a 监督 membership on an organisation reaches it and everything below it
(gongkai.accounts.access). Supervision screens ask here; "missing" and "not yours" are one 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.access import User, readable_organisation_ids
from gongkai.accounts.models import Membership, Organisation
from gongkai.domain.lifecycle import Role


def supervised_roots(user: User) -> QuerySet[Organisation]:
    """The organisations `user` holds 监督 on (usually one government), by code."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    ids = Membership.objects.filter(user=user, role=Role.SUPERVISOR).values("organisation_id")
    return Organisation.objects.filter(id__in=ids).order_by("code")


def is_supervisor(user: User) -> bool:
    return supervised_roots(user).exists()


def get_supervised_organisation(user: User, code: str) -> Organisation:
    """An organisation within `user`'s supervised subtrees, or 404."""
    roots = supervised_roots(user)
    if not roots.exists():
        raise Http404("没有找到该机构")
    org = Organisation.objects.filter(code=code).first()
    if org is None or org.id not in readable_organisation_ids(user):
        raise Http404("没有找到该机构")
    if not _below_a_root(org, {root.id for root in roots}):
        raise Http404("没有找到该机构")
    return org


def _below_a_root(org: Organisation, roots: set[int]) -> bool:
    current: Organisation | None = org
    while current is not None:
        if current.id in roots:
            return True
        current = current.parent
    return False


def supervised_organisations(root: Organisation) -> list[Organisation]:
    """`root` and every organisation below it, government first, then by code."""
    children: dict[int | None, list[Organisation]] = {}
    for org in Organisation.objects.order_by("code"):
        children.setdefault(org.parent_id, []).append(org)
    found = [root]
    frontier = [root]
    while frontier:
        current = frontier.pop(0)
        for child in children.get(current.id, []):
            found.append(child)
            frontier.append(child)
    return found


def get_supervised_root(user: User, code: str) -> Organisation:
    """One of the organisations `user` holds 监督 on (the government whose side he sees), or 404."""
    root = supervised_roots(user).filter(code=code).first()
    if root is None:
        raise Http404("没有找到该机构")
    return root
