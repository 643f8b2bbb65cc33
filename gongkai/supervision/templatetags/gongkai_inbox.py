"""The unread reminders next to the user's name in the top bar (one COUNT query per page)."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.supervision.models import Notification

register = template.Library()


@register.simple_tag
def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
