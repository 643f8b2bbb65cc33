"""Who may see and do what, per organisation. Every view and API call asks here.

A 监督 (supervisor) membership on an organisation gives read access to it and everything below
it; 经办人/审核人/管理员 act in their own organisation only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.models import Membership, Organisation
from gongkai.domain.lifecycle import Role

User = AuthUser | AnonymousUser


def roles_in(user: User, organisation: Organisation) -> frozenset[Role]:
    """The roles `user` holds directly in `organisation` (supervision is read-only, not a role
    that acts)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        Role(role)
        for role in Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def readable_organisation_ids(user: User) -> set[int]:
    """Organisations whose cases `user` may read: own memberships plus supervised subtrees."""
    if not user.is_authenticated:
        return set()
    memberships = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    ids = {org_id for org_id, _ in memberships}
    supervised = [org_id for org_id, role in memberships if role == Role.SUPERVISOR]
    if supervised:
        ids |= _descendants(frozenset(supervised))
    return ids


def writable_organisation_ids(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    acting = [Role.CLERK, Role.REVIEWER, Role.ADMIN, Role.LEADER]
    return set(
        Membership.objects.filter(user=user, role__in=acting).values_list(
            "organisation_id", flat=True
        )
    )


def _descendants(roots: frozenset[int]) -> set[int]:
    children = _child_map()
    found = set(roots)
    frontier = list(roots)
    while frontier:
        current = frontier.pop()
        for child in children.get(current, ()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _child_map() -> dict[int, list[int]]:
    mapping: dict[int, list[int]] = {}
    for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
        if parent_id is not None:
            mapping.setdefault(parent_id, []).append(org_id)
    return mapping


# ---------------------------------------------------------------- an organisation's 管理员


def admin_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations whose users `user` manages: those where he is 管理员."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.ADMIN
    ).order_by("code")


def get_admin_organisation(user: User, code: str) -> Organisation:
    """The organisation `code` for managing its users: 404 when `user` may not read it (as for
    a code that does not exist), 403 when he reads it without being its 管理员."""
    organisation = Organisation.objects.filter(
        code=code, id__in=readable_organisation_ids(user)
    ).first()
    if organisation is None:
        raise Http404("没有找到这个机构")
    if Role.ADMIN not in roles_in(user, organisation):
        raise PermissionDenied("您不是该机构的管理员")
    return organisation


def organisation_members(organisation: Organisation) -> QuerySet[AuthUser]:
    """Users holding a role in `organisation` itself (not those supervising it from above)."""
    return AuthUser.objects.filter(memberships__organisation=organisation).distinct()


def get_member(organisation: Organisation, pk: int) -> AuthUser:
    """A user with a role in `organisation`; anyone else is the same 404 as no user at all."""
    member = organisation_members(organisation).filter(pk=pk).first()
    if member is None:
        raise Http404("本单位没有这个用户")
    return member


__all__ = [
    "admin_organisations",
    "get_admin_organisation",
    "get_member",
    "organisation_members",
    "readable_organisation_ids",
    "roles_in",
    "writable_organisation_ids",
]
