"""Template helpers of the navigation: which administration links a user sees."""

from __future__ import annotations

from django import template

from gongkai.accounts.access import User, admin_organisations

register = template.Library()


@register.filter
def manages_users(user: User) -> bool:
    """Whether `user` is the 管理员 of an organisation (the 本单位用户 link)."""
    return admin_organisations(user).exists()
