"""Template helpers of the scorecard pages."""

from __future__ import annotations

from django import template

from gongkai.supervision.scorecard import OrganisationScore

register = template.Library()


@register.filter
def points_of(row: OrganisationScore, key: str) -> int:
    """What indicator `key` takes from the organisation's score."""
    return row.points_of(key)
