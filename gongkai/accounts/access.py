"""Who may see and do what, per organisation. Every view and API call asks here.

A 监督 (supervisor) membership on an organisation gives read access to it and everything below
it; 经办人/审核人/管理员 act in their own organisation only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

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
    acting = [Role.CLERK, Role.REVIEWER, Role.ADMIN]
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


__all__ = [
    "readable_organisation_ids",
    "roles_in",
    "writable_organisation_ids",
]
