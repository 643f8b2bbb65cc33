"""Template helpers of the navigation: which administration links a user sees."""

from __future__ import annotations

from django import template

from gongkai.accounts.access import User, admin_organisations
from gongkai.accounts.models import Membership
from gongkai.domain.lifecycle import Role

register = template.Library()


@register.filter
def manages_users(user: User) -> bool:
    """Whether `user` is the 管理员 of an organisation (the 本单位用户 link)."""
    return admin_organisations(user).exists()


@register.filter
def supervises(user: User) -> bool:
    """Whether `user` holds 监督 on an organisation (the 监督保障 link)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role=Role.SUPERVISOR).exists()
