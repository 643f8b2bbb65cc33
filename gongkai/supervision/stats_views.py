"""The statistics page (定期统计) of an organisation, and its roll-up for a supervisor.

Who sees what: an organisation's own users (经办人、审核人、管理员) see its statistics; a supervisor
sees those of every organisation below the government he supervises, and their roll-up. Anyone
else gets the one 404 of "missing or not yours"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.accounts.access import readable_organisation_ids
from gongkai.accounts.models import Organisation
from gongkai.domain.periods import Period, PeriodError, PeriodKind
from gongkai.domain.report.build import T4_COLUMNS, T4_GROUPS, RecordError
from gongkai.supervision.access import get_supervised_organisation, supervised_organisations
from gongkai.supervision.stats import (
    APPEAL_COLUMN_LABELS,
    APPEAL_LABELS,
    PeriodStatistics,
    monthly_trend,
    period_statistics,
    rollup_statistics,
    t3_row_labels,
)
from gongkai.supervision.stats_chart import bars_chart, line_chart
from gongkai.supervision.stats_export import CONTENT_TYPES, export, figure_rows, filename, summary


def _organisation(request: HttpRequest, code: str, rollup: bool) -> Organisation:
    if rollup:
        return get_supervised_organisation(request.user, code)
    org = Organisation.objects.filter(code=code).first()
    if org is None or org.id not in readable_organisation_ids(request.user):
        raise Http404("没有找到该机构")
    return org


def _period(request: HttpRequest) -> Period:
    code = request.GET.get("period", "").strip()
    if not code:
        # The month being reported: the last complete one (the monthly table is due in the
        # next month, 六安: by the 10th).
        return Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    try:
        return Period.parse(code)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc


def _statistics(organisation: Organisation, period: Period, rollup: bool) -> PeriodStatistics:
    try:
        if rollup:
            return rollup_statistics(government=organisation, period=period)
        return period_statistics(organisation=organisation, period=period)
    except RecordError as exc:
        raise Http404(f"记录 {exc.record_id} 无法统计：{exc}") from exc


def _choices(today_year: int, selected: Period) -> list[tuple[str, list[Period]]]:
    """The periods of the picker: this year's and last year's months, quarters and years."""
    years = sorted({today_year, today_year - 1, selected.year}, reverse=True)
    groups = []
    for year in years:
        groups.append(
            (
                f"{year}年",
                [
                    *(Period.month(year, m) for m in range(1, 13)),
                    *(Period.quarter(year, q) for q in range(1, 5)),
                    Period.whole_year(year),
                ],
            )
        )
    return groups


@login_required
@require_GET
def page(request: HttpRequest, code: str) -> HttpResponse:
    rollup = request.GET.get("rollup") == "1"
    organisation = _organisation(request, code, rollup)
    period = _period(request)
    stats = _statistics(organisation, period, rollup)
    members = supervised_organisations(organisation) if rollup else [organisation]
    months = monthly_trend(members, period.year, period.end.month)
    rows = [(label, stats.this_period.t3[key], stats.year_to_date.t3[key][6])
            for key, label in t3_row_labels()]  # fmt: skip
    figures = [
        (section, label, now, ytd)
        for (section, label, now), (_, _, ytd) in zip(
            figure_rows(stats.this_period), figure_rows(stats.year_to_date), strict=True
        )
        if section != "复议诉讼"
    ]
    appeals = [
        (APPEAL_LABELS[g], stats.this_period.appeals_filed[g], stats.this_period.t4[g],
         stats.year_to_date.appeals_filed[g], stats.year_to_date.t4[g])
        for g in T4_GROUPS
    ]  # fmt: skip
    supervising = True
    try:
        get_supervised_organisation(request.user, code)
    except Http404:
        supervising = False
    context = {
        "current": "supervision" if supervising else "",
        "organisation": organisation,
        "stats": stats,
        "period": period,
        "rollup": rollup,
        "can_rollup": supervising
        and not rollup
        and len(supervised_organisations(organisation)) > 1,
        "choices": _choices(timezone.localdate().year, period),
        "summary": summary(stats),
        "t3_rows": rows,
        "figures": figures,
        "appeals": appeals,
        "appeal_columns": [APPEAL_COLUMN_LABELS[c] for c in T4_COLUMNS],
        "months": months,
        "chart_flow": bars_chart(months, f"{period.year}年各月新收和办结申请", "chart-flow"),
        "chart_open": line_chart(months, f"{period.year}年各月末在办申请", "chart-open"),
        "formats": ["xlsx", "docx", "json"],
    }
    return render(request, "supervision/stats_page.html", context)


@login_required
@require_GET
def download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("不支持的格式")
    rollup = request.GET.get("rollup") == "1"
    organisation = _organisation(request, code, rollup)
    stats = _statistics(organisation, _period(request), rollup)
    response = HttpResponse(export(stats, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(stats, fmt)}"'
    return response
