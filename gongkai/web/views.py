"""The 工作台: the lists of applications to act on, and the annual reports not yet published."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.cases.selectors import dashboard_lists
from gongkai.portal.selectors import guide_alerts
from gongkai.reports.selectors import unpublished_reports
from gongkai.supervision.calendar import due_period_reports
from gongkai.supervision.notices import open_notices_of
from gongkai.supervision.rectification import open_tasks_of


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "lists": dashboard_lists(request.user, today),
        "reports_due": unpublished_reports(request.user, today),
        "report_year": today.year - 1,
        "guide_alerts": guide_alerts(request.user),
        # 督办通知 stand here until answered; 整改 tasks until answered (issue 12 §3, §5).
        "open_notices": open_notices_of(request.user),
        "open_tasks": open_tasks_of(request.user),
        "today": today,
        "period_reports": due_period_reports(request.user, today),
    }
    return render(request, "web/dashboard.html", context)
