"""依申请公开 statistics of one organisation, from its records: aggregates only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.portal.cache import cached_page
from gongkai.portal.statistics import organisation_statistics
from gongkai.portal.views import public_organisation


@require_GET
@cached_page
def statistics(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    today = timezone.localdate()
    context = {
        "organisation": organisation,
        "years": organisation_statistics(organisation, today),
        "today": today,
    }
    return render(request, "portal/statistics.html", context)
