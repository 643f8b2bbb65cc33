"""The audit log screen: read-only, for the audit administrator (审计管理员) only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.audit.actions import AuditAction
from gongkai.audit.selectors import AuditFilter, audit_entries

PAGE_SIZE = 50


@require_GET
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_auditentry"):
        raise PermissionDenied("只有审计管理员可以查看审计记录")
    f, errors = _filter_from(request)
    entries = audit_entries(f)
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(id__lt=int(before))
    page = list(entries[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/log.html",
        {
            "entries": page,
            "filter": f,
            "errors": errors,
            "actions": AuditAction.choices,
            "next_before": page[-1].pk if more and page else None,
            "query": query.urlencode(),
        },
    )


def _filter_from(request: HttpRequest) -> tuple[AuditFilter, list[str]]:
    errors: list[str] = []

    def day(name: str, label: str) -> dt.date | None:
        value = request.GET.get(name, "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            errors.append(f"{label}“{value}”不是有效日期，应为 YYYY-MM-DD")
            return None

    action = request.GET.get("action", "").strip()
    if action and action not in AuditAction.values:
        errors.append(f"没有“{action}”这种事件")
        action = ""
    return (
        AuditFilter(
            since=day("since", "起始日期"),
            until=day("until", "截止日期"),
            username=request.GET.get("user", "").strip(),
            action=action,
            organisation=request.GET.get("org", "").strip(),
            obj=request.GET.get("object", "").strip(),
        ),
        errors,
    )
