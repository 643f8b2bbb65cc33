"""Who may act in 督办 and 整改: a supervisor of a government over an organisation below it, and
an organisation's acting users (经办人 / 审核人 / 管理员). Shared by the notices and the
rectification services."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.accounts.access import User, roles_in
from gongkai.accounts.models import Membership, Organisation
from gongkai.domain.lifecycle import Role

ACTING_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.ADMIN})


def supervises(user: User, government: Organisation) -> bool:
    """`user` holds 监督 on `government` itself."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation=government, role=Role.SUPERVISOR
    ).exists()


def is_within(organisation: Organisation, government: Organisation) -> bool:
    """`organisation` is `government` or below it."""
    current: Organisation | None = organisation
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        if current.pk == government.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def acts_in(user: User, organisation: Organisation) -> bool:
    """`user` is a 经办人, 审核人 or 管理员 of `organisation` itself."""
    return bool(roles_in(user, organisation) & ACTING_ROLES)


def acting_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations where `user` acts (the 工作台's blocks, the 本单位 lists)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    ids = Membership.objects.filter(user=user, role__in=list(ACTING_ROLES)).values(
        "organisation_id"
    )
    return Organisation.objects.filter(id__in=ids).order_by("code")
