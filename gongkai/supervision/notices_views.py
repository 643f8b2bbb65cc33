"""督办 pages: the supervisor's overview of due-soon and overdue applications, the 督办通知 he
sends and their answers, the stalling patterns; the organisation's notices and answer form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.cases.calendar import calendar_for
from gongkai.cases.forms import DateInput
from gongkai.cases.models import Application
from gongkai.cases.selectors.common import DUE_SOON_WORKDAYS
from gongkai.supervision.access import get_supervised_root, supervised_organisations
from gongkai.supervision.dudan import CalendarPool, dudan_overview, stalling_findings_of
from gongkai.supervision.models import SupervisionNotice
from gongkai.supervision.notices import notice_answer, notice_send, notices_of, notices_sent
from gongkai.supervision.roles import acts_in, is_within, supervises

MAX_DAYS = 20
REPLY_WORKDAYS = 3  # default reply period of a 督办通知, in working days


def _organisation_in(root: Organisation, code: str | None) -> Organisation | None:
    """The organisation `code` at or below `root`; None without a code, 404 for a foreign one."""
    if not code:
        return None
    org = Organisation.objects.filter(code=code).first()
    if org is None or not is_within(org, root):
        raise Http404("没有找到该机构")
    return org


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", DUE_SOON_WORKDAYS))
    except ValueError:
        return DUE_SOON_WORKDAYS
    return min(max(days, 0), MAX_DAYS)


@login_required
@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    today = timezone.localdate()
    selected = _organisation_in(root, request.GET.get("org"))
    data = dudan_overview(
        user=request.user, root=root, today=today, days=_days(request), organisation=selected
    )
    context = {
        "root": root,
        "overview": data,
        "selected": selected,
        "today": today,
        "current": "supervision",
    }
    return render(request, "supervision/notices_overview.html", context)


class SendForm(forms.Form):
    subject = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="督办事项", widget=forms.Textarea(attrs={"rows": 6}))
    reply_by = forms.DateField(label="回复期限", widget=DateInput())


@login_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    organisation = _organisation_in(root, source.get("org"))
    if organisation is None:
        messages.error(request, "请先选择被督办的机构")
        return redirect("supervision:dudan", root.code)
    data = dudan_overview(
        user=request.user, root=root, today=today, days=_days(request), organisation=organisation
    )
    chosen = {int(v) for v in source.getlist("app") if v.isdigit()}
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            fields = ("id", "tracking_no", "organisation_id")
            apps = list(Application.objects.filter(pk__in=chosen).only(*fields))
            try:
                notice = notice_send(
                    by=acting_user(request),
                    government=root,
                    organisation=organisation,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    reply_by=form.cleaned_data["reply_by"],
                    applications=apps,
                    today=today,
                    request=request,
                )
            except ServiceError as exc:
                show_refusal(request, exc)
            else:
                messages.success(request, f"已向{organisation.name}发出督办通知")
                return redirect("supervision:dudan_notice", notice.pk)
    else:
        rows = [r for r in data.rows if not chosen or r.application_id in chosen]
        numbers = "、".join(r.tracking_no for r in rows)
        form = SendForm(
            initial={
                "subject": "关于加快办理政府信息公开申请的督办通知",
                "body": (
                    f"{organisation.name}：\n经查，你单位以下政府信息公开申请已逾期或即将到期"
                    f"（{numbers or '见附列申请'}）。请按照《政府信息公开条例》第三十三条规定的期限"
                    "抓紧办理，并于回复期限前将办理情况回复。"
                ),
                "reply_by": default_reply_by(organisation, today),
            }
        )
        if not chosen:
            chosen = {r.application_id for r in data.rows}
    context = {
        "root": root,
        "organisation": organisation,
        "rows": data.rows,
        "chosen": chosen,
        "form": form,
        "current": "supervision",
    }
    return render(request, "supervision/notices_send.html", context)


@login_required
@require_GET
def sent(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    today = timezone.localdate()
    notices = list(notices_sent(root)[:500])
    rows = [(n, n.state(today)) for n in notices]
    context = {"root": root, "rows": rows, "current": "supervision"}
    return render(request, "supervision/notices_sent.html", context)


@login_required
@require_GET
def stalling(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2008 <= year <= today.year:  # 条例 in force from 2008
        raise Http404("没有该年度")
    organisations = supervised_organisations(root)
    selected = _organisation_in(root, request.GET.get("org"))
    if selected is not None:
        organisations = [selected]
    pool = CalendarPool(organisations)
    found = stalling_findings_of(
        organisations, year, calendars={org.pk: pool.of(org.pk) for org in organisations}
    )
    groups = [(org, found[org.pk]) for org in organisations if org.pk in found]
    context = {
        "root": root,
        "year": year,
        "years": list(range(today.year, today.year - 4, -1)),
        "groups": groups,
        "selected": selected,
        "current": "supervision",
    }
    return render(request, "supervision/notices_stalling.html", context)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 5}))


def _visible_notice(request: HttpRequest, pk: int) -> tuple[SupervisionNotice, bool, bool]:
    """The notice, whether the viewer is its sender's side, whether he may answer; or 404."""
    notice = (
        SupervisionNotice.objects.select_related("government", "organisation").filter(pk=pk).first()
    )
    if notice is None:
        raise Http404("没有找到该督办通知")
    supervisor = supervises(request.user, notice.government)
    member = acts_in(request.user, notice.organisation)
    if not (supervisor or member):
        raise Http404("没有找到该督办通知")
    return notice, supervisor, member


@login_required
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found, supervisor, member = _visible_notice(request, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice_answer(
                by=acting_user(request),
                notice=found,
                answer=form.cleaned_data["answer"],
                request=request,
            )
        except ServiceError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, "已回复督办通知")
            return redirect("supervision:dudan_notice", found.pk)
    today = timezone.localdate()
    context = {
        "notice": found,
        "state": found.state(today),
        "applications": found.applications.only("id", "tracking_no").order_by("tracking_no"),
        "supervisor": supervisor,
        "can_answer": member and found.answered_at is None,
        "form": form,
        "current": "supervision" if supervisor else "",
    }
    return render(request, "supervision/notices_notice.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    notices = list(notices_of(acting_user(request))[:500])
    context = {"rows": [(n, n.state(today)) for n in notices]}
    return render(request, "supervision/notices_mine.html", context)


def default_reply_by(organisation: Organisation, today: dt.date) -> dt.date:
    return calendar_for(organisation).add_workdays(today, REPLY_WORKDAYS)
