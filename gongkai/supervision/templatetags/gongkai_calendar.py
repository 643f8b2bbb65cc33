"""The reporting calendar's card on the 监督保障 home: each rule's latest due period, counted."""

from __future__ import annotations

from django import template
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.supervision.calendar import Summary, calendar_summaries

register = template.Library()


@register.simple_tag
def calendar_summary(root: Organisation) -> list[Summary]:
    return calendar_summaries(root, timezone.localdate())
