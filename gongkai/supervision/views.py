"""The 监督保障 home: the supervising office's entry to each area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.supervision.access import supervised_roots


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roots = list(supervised_roots(request.user))
    if not roots:
        raise Http404("没有找到该页面")
    return render(request, "supervision/home.html", {"roots": roots, "current": "supervision"})
