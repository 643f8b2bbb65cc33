"""考核 pages for a government's supervisors: the organisations side by side, one organisation's
deductions with their evidence (each with 发起整改), the history over years with a chart, the
.xlsx, and the settings (points, own indicators, deductions recorded by hand)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.domain.scorecard import Deduction
from gongkai.reports.rollup_views import attachment
from gongkai.supervision.access import get_supervised_root, supervised_organisations
from gongkai.supervision.models import ManualDeduction
from gongkai.supervision.scorecard import Scorecard, indicator_set, scorecard
from gongkai.supervision.scorecard_chart import history_chart
from gongkai.supervision.scorecard_export import XLSX, scorecard_xlsx
from gongkai.supervision.scorecard_services import (
    custom_indicator_add,
    indicator_override_save,
    manual_deduction_record,
    manual_deduction_remove,
)

HISTORY_YEARS = 5
FIRST_YEAR = 2020


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404("没有这个考核年度")
    return year


def _card(request: HttpRequest, code: str, year: int) -> Scorecard:
    root = get_supervised_root(request.user, code)
    return scorecard(government=root, year=_year(year), today=timezone.localdate())


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, max(FIRST_YEAR, this - HISTORY_YEARS) - 1, -1))


@login_required
@require_GET
def index(request: HttpRequest, code: str) -> HttpResponse:
    """The latest complete year (the 考核 of last year is what a supervisor runs in spring)."""
    get_supervised_root(request.user, code)
    return redirect("supervision:scorecard", code=code, year=timezone.localdate().year - 1)


@login_required
@require_GET
def page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    card = _card(request, code, year)
    context = {
        "card": card,
        "government": card.government,
        "year": year,
        "years": _years(),
        "indicators": card.indicators.enabled,
        "rows": sorted(card.rows, key=lambda r: (r.rank, r.organisation.code)),
        "current": "supervision",
    }
    return render(request, "supervision/scorecard.html", context)


def rectification_link(card: Scorecard, organisation: Organisation, d: Deduction) -> str:
    """The 整改 form prefilled from a deduction (supervision:rectification_new, GET)."""
    source = reverse(
        "supervision:scorecard_org", args=[card.government.code, card.year, organisation.code]
    )
    evidence = "；".join(e.label for e in d.evidence[:5])
    more = f"等{len(d.evidence)}项" if len(d.evidence) > 5 else ""
    query = {
        "source_kind": "scorecard",
        "source_ref": f"deduction:{d.indicator.key}:{organisation.code}:{card.year}",
        "source_url": f"{source}#{d.indicator.key}",
        "organisation": organisation.code,
        "title": f"{card.year}年度考核：{d.indicator.label}（扣{d.points}分）",
        "detail": f"{d.indicator.label}，扣{d.points}分。证据：{evidence}{more}。请逐项整改并反馈整改情况。",
    }
    base = reverse("supervision:rectification_new", args=[card.government.code])
    return f"{base}?{urlencode(query)}"


@login_required
@require_GET
def organisation_page(request: HttpRequest, code: str, year: int, org: str) -> HttpResponse:
    card = _card(request, code, year)
    row = card.row(org)
    if row is None:
        raise Http404("没有找到该机构")
    deductions = [(d, rectification_link(card, row.organisation, d)) for d in row.score.deductions]
    context = {
        "card": card,
        "row": row,
        "year": year,
        "deductions": deductions,
        "manual": ManualDeduction.objects.filter(
            government=card.government, organisation=row.organisation, year=year
        ).order_by("recorded_at"),
        "current": "supervision",
    }
    return render(request, "supervision/scorecard_org.html", context)


@login_required
@require_GET
def download(request: HttpRequest, code: str, year: int) -> HttpResponse:
    card = _card(request, code, year)
    content = scorecard_xlsx(card, request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type=XLSX)
    name = f"{card.government.name}{year}年度考核.xlsx"
    response["Content-Disposition"] = attachment(name, f"{card.government.code}-{year}-score.xlsx")
    return response


@login_required
@require_GET
def history(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    today = timezone.localdate()
    years = sorted(_years())
    cards = [scorecard(government=root, year=y, today=today) for y in years]
    organisations = supervised_organisations(root)
    table = [
        (org, [card.row(org.code).value for card in cards])  # type: ignore[union-attr]
        for org in organisations
    ]
    context = {
        "government": root,
        "years": years,
        "table": table,
        "chart": history_chart(years, table, f"{root.name}所属机构历年考核得分"),
        "current": "supervision",
    }
    return render(request, "supervision/scorecard_history.html", context)


# ---------------------------------------------------------------- settings


class OverrideForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    points = forms.IntegerField(label="每项扣分", min_value=0, max_value=100)
    cap = forms.IntegerField(label="最多扣分", min_value=0, max_value=100)
    enabled = forms.BooleanField(label="适用", required=False)


class CustomForm(forms.Form):
    key = forms.CharField(label="指标代码（英文）", max_length=40)
    label = forms.CharField(label="指标名称", max_length=100)
    points = forms.IntegerField(label="每项扣分", min_value=0, max_value=100)
    cap = forms.IntegerField(label="最多扣分（0为不限）", min_value=0, max_value=100, initial=0)
    source = forms.CharField(label="依据", max_length=300)


class ManualForm(forms.Form):
    organisation = forms.ChoiceField(label="被考核机构")
    year = forms.IntegerField(label="考核年度", min_value=FIRST_YEAR, max_value=2100)
    key = forms.ChoiceField(label="指标")
    note = forms.CharField(label="扣分事实", widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.CharField(label="证据链接（可选）", max_length=500, required=False)

    def __init__(self, *args: Any, root: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (o.code, o.name) for o in supervised_organisations(root)
        ]
        self.fields["key"].choices = [  # type: ignore[attr-defined]
            (i.key, i.label) for i in indicator_set(root).enabled
        ]
        self.fields["year"].initial = timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    custom_form = CustomForm(request.POST if request.POST.get("form") == "custom" else None)
    manual_form = ManualForm(
        request.POST if request.POST.get("form") == "manual" else None, root=root
    )
    if request.method == "POST":
        done = _settings_post(request, root, custom_form, manual_form)
        if done:
            return redirect("supervision:scorecard_settings", code=code)
    indicators = indicator_set(root)
    context = {
        "government": root,
        "indicators": indicators.indicators,
        "base": indicators.base,
        "custom_form": custom_form,
        "manual_form": manual_form,
        "manual": ManualDeduction.objects.filter(government=root)
        .select_related("organisation")
        .order_by("-year", "-recorded_at")[:50],
        "current": "supervision",
    }
    return render(request, "supervision/scorecard_settings.html", context)


def _settings_post(
    request: HttpRequest, root: Organisation, custom_form: CustomForm, manual_form: ManualForm
) -> bool:
    which = request.POST.get("form")
    user = acting_user(request)
    try:
        if which == "override":
            form = OverrideForm(request.POST)
            if not form.is_valid():
                messages.error(request, "扣分和上限须为0至100的整数")
                return False
            data = form.cleaned_data
            indicator_override_save(
                by=user, government=root, key=data["key"], points=data["points"],
                cap=data["cap"], enabled=data["enabled"],
            )  # fmt: skip
            messages.success(request, "已保存考核指标的调整")
            return True
        if which == "custom" and custom_form.is_valid():
            custom_indicator_add(by=user, government=root, **custom_form.cleaned_data)
            messages.success(request, "已新增考核指标")
            return True
        if which == "manual" and manual_form.is_valid():
            data = manual_form.cleaned_data
            organisation = Organisation.objects.get(code=data.pop("organisation"))
            manual_deduction_record(by=user, government=root, organisation=organisation, **data)
            messages.success(request, "已记录扣分")
            return True
    except ServiceError as exc:
        show_refusal(request, exc)
    return False


@login_required
@require_POST
def manual_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    row = get_object_or_404(ManualDeduction, pk=pk, government=root)
    try:
        manual_deduction_remove(by=acting_user(request), deduction=row)
        messages.success(request, "已删除该项人工扣分")
    except ServiceError as exc:
        show_refusal(request, exc)
    return redirect("supervision:scorecard_settings", code=code)
