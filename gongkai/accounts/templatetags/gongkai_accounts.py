"""Template helpers of the navigation: which links a user sees."""

from __future__ import annotations

from django import template

from gongkai.accounts.access import User
from gongkai.accounts.models import Membership
from gongkai.domain.lifecycle import Role

register = template.Library()

# The roles a user holds anywhere, kept on the request's user object: the navigation asks
# several questions of them, and every page pays one query, not one per link.
_ROLES_ATTRIBUTE = "_gongkai_nav_roles"


def _held_roles(user: User) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    roles = getattr(user, _ROLES_ATTRIBUTE, None)
    if roles is None:
        roles = frozenset(Membership.objects.filter(user=user).values_list("role", flat=True))
        setattr(user, _ROLES_ATTRIBUTE, roles)
    return roles


@register.filter
def manages_users(user: User) -> bool:
    """Whether `user` is the 管理员 of an organisation (the 本单位用户 link)."""
    return Role.ADMIN.value in _held_roles(user)


@register.filter
def supervises(user: User) -> bool:
    """Whether `user` holds 监督 on an organisation (the 监督保障 link)."""
    return Role.SUPERVISOR.value in _held_roles(user)


# The roles that act on applications (登记, 办理, 导入); 监督 only reads.
_ACTING = frozenset({Role.CLERK.value, Role.REVIEWER.value, Role.ADMIN.value})


@register.filter
def acts_on_cases(user: User) -> bool:
    """Whether `user` may register and import applications somewhere (登记申请, 导入台账)."""
    return bool(_ACTING & _held_roles(user))


@register.filter
def reads_cases(user: User) -> bool:
    """Whether `user` holds any role in an organisation (台账, 年度报告, 导出台账); the
    installation's administrators hold none and see only 系统管理 and 审计记录."""
    return bool(_held_roles(user))
