"""Screens of the reporting calendar: the supervisor's rules and roll-up, an organisation's
periods with its 报送 step, and a submitted report's frozen table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.access import readable_organisation_ids, roles_in
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.domain.periods import Period, PeriodError, PeriodKind
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.supervision.access import get_supervised_root
from gongkai.supervision.calendar import (
    ACTING_ROLES,
    calendar_rollup,
    default_period,
    organisation_periods,
    period_report_submit,
    reporting_rule_save,
    rollup_periods,
)
from gongkai.supervision.models import PeriodReport, ReportingRule
from gongkai.supervision.stats import period_statistics


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label="报表类型", choices=ReportingRule.Kind.choices)
    due_day = forms.IntegerField(label="次月截止日", min_value=1, max_value=28)
    starts_on = forms.DateField(
        label="起始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    include_government = forms.BooleanField(label="本级政府也报送", required=False)
    active = forms.BooleanField(label="启用", required=False)


@login_required
@require_GET
def calendar(request: HttpRequest, code: str) -> HttpResponse:
    government = get_supervised_root(request.user, code)
    today = timezone.localdate()
    rules = {rule.kind: rule for rule in ReportingRule.objects.filter(government=government)}
    kind = request.GET.get("kind") or next(iter(sorted(rules)), ReportingRule.Kind.MONTH)
    if kind not in ReportingRule.Kind.values:
        raise Http404("没有这种报表")
    rule = rules.get(kind)
    try:
        period = (
            Period.parse(request.GET["period"])
            if request.GET.get("period")
            else default_period(rule, PeriodKind(kind), today)
        )
    except PeriodError as exc:
        messages.error(request, str(exc))
        period = default_period(rule, PeriodKind(kind), today)
    if period.kind.value != kind:
        period = default_period(rule, PeriodKind(kind), today)
    forms_by_kind = [
        (
            value,
            label,
            RuleForm(
                initial={
                    "kind": value,
                    "due_day": rules[value].due_day if value in rules else 10,
                    "starts_on": rules[value].starts_on if value in rules else today.replace(day=1),
                    "include_government": rules[value].include_government
                    if value in rules
                    else False,
                    "active": rules[value].active if value in rules else True,
                },
                auto_id=f"id_{value}_%s",
            ),
            rules.get(value),
        )
        for value, label in ReportingRule.Kind.choices
    ]
    context = {
        "government": government,
        "rule": rule,
        "kind": kind,
        "kinds": ReportingRule.Kind.choices,
        "period": period,
        "periods": rollup_periods(rule, today) if rule else [],
        "rollup": calendar_rollup(government, kind, period, today),
        "rule_forms": forms_by_kind,
        "current": "supervision",
    }
    return render(request, "supervision/calendar_government.html", context)


@login_required
@require_POST
def rule_save(request: HttpRequest, code: str) -> HttpResponse:
    government = get_supervised_root(request.user, code)
    form = RuleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
        return redirect("supervision:calendar", code)
    data = form.cleaned_data
    try:
        reporting_rule_save(
            by=acting_user(request),
            government=government,
            kind=data["kind"],
            due_day=data["due_day"],
            starts_on=data["starts_on"],
            include_government=data["include_government"],
            active=data["active"],
        )
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, "报送规则已保存")
    return redirect(f"{_url('supervision:calendar', code)}?kind={data['kind']}")


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _readable_organisation(request: HttpRequest, code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None or org.id not in readable_organisation_ids(request.user):
        raise Http404("没有找到该机构")
    return org


@login_required
@require_GET
def organisation(request: HttpRequest, code: str) -> HttpResponse:
    org = _readable_organisation(request, code)
    today = timezone.localdate()
    context = {
        "organisation": org,
        "rows": organisation_periods(org, today),
        "can_submit": bool(roles_in(request.user, org) & ACTING_ROLES),
        "today": today,
    }
    return render(request, "supervision/calendar_organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, code: str, period: str) -> HttpResponse:
    org = _readable_organisation(request, code)
    if not roles_in(request.user, org) & ACTING_ROLES:
        raise Http404("没有找到该页面")
    try:
        chosen = Period.parse(period)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    if request.method == "POST":
        try:
            report = period_report_submit(by=acting_user(request), organisation=org, period=chosen)
        except ServiceError as exc:
            show_refusal(request, exc)
            return redirect("supervision:calendar_org", org.code)
        messages.success(request, f"{chosen.label}定期报表已报送")
        return redirect("supervision:calendar_report", report.pk)
    existing = PeriodReport.objects.filter(organisation=org, period=chosen.code).first()
    if existing is not None:
        return redirect("supervision:calendar_report", existing.pk)
    today = timezone.localdate()
    if chosen.code not in {row.period.code for row in organisation_periods(org, today)}:
        # Say now what the submission would refuse, before showing figures to confirm.
        if chosen.end >= today:
            messages.error(request, f"{chosen.label}尚未结束，期满后方可报送")
        else:
            messages.error(request, f"本机构无需报送{chosen.label}的报表（上级未要求）")
        return redirect("supervision:calendar_org", org.code)
    data = period_statistics(organisation=org, period=chosen).to_json()
    context = {
        "organisation": org,
        "period": chosen,
        "rows": _t3_rows(data),
        "columns": layout(FormatVersion.V2021).t3_columns,
    }
    return render(request, "supervision/calendar_submit.html", context)


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(PeriodReport.objects.select_related("organisation"), pk=pk)
    if found.organisation_id not in readable_organisation_ids(request.user):
        raise Http404("没有找到该报表")
    context = {
        "report": found,
        "organisation": found.organisation,
        "period": Period.parse(found.period),
        "rows": _t3_rows(found.data),
        "columns": layout(FormatVersion.V2021).t3_columns,
    }
    return render(request, "supervision/calendar_report.html", context)


def _t3_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Table 三's rows with their official labels: 本期 and 本年累计 side by side."""
    this = data.get("this_period", {}).get("t3", {})
    ytd = data.get("year_to_date", {}).get("t3", {})
    return [
        {
            "key": row.key,
            "label": row.label,
            "group": row.group or "",
            "this": this.get(row.key, []),
            "ytd": ytd.get(row.key, []),
        }
        for row in layout(FormatVersion.V2021).t3_rows
    ]
