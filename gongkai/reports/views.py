"""Screens of the annual report: list, report with drill-down, narrative, checks and publishing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {})


@login_required
@require_GET
def report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return render(request, "reports/report.html", {})
