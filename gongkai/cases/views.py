"""The web screens of the case workbench: 台账, 登记申请 and the application page (the 工作台,
which also lists the reports due, is composed above the apps in `gongkai.web`).

Views parse the input, call one service or one access-plus-read (`gongkai.cases.selectors`), and
render. A refused step (`ServiceError`) is shown as a message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.access import roles_in
from gongkai.accounts.models import Organisation
from gongkai.accounts.web import acting_user
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases import personal, selectors
from gongkai.cases.access import get_application_for_user
from gongkai.cases.forms import (
    SORTS,
    LedgerFilterForm,
    RegistrationForm,
    UploadForm,
    VoidForm,
    action_form,
    add_service_error,
)
from gongkai.cases.selectors.history import EarlierRequest, repeat_candidates
from gongkai.cases.services import (
    ACTION_SERVICES,
    ServiceError,
    application_correct,
    application_register,
    application_void,
    attachment_add,
)
from gongkai.domain.deadline_model import Channel
from gongkai.domain.lifecycle import Action


@login_required
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    form = LedgerFilterForm(request.GET or None)
    filters = form.filters()
    sort = filters.pop("sort", "-received_on")
    page = selectors.ledger_page(
        request.user,
        filters,
        sort=sort,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        today=timezone.localdate(),
    )
    context = {"form": form, "page": page, "sorts": SORTS, "filtered": bool(filters)}
    return render(request, "cases/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    organisations = selectors.registration_organisations(request.user)
    first_two = list(organisations[:2])
    if not first_two:
        raise PermissionDenied("您没有登记申请的权限")
    today = timezone.localdate()
    form = RegistrationForm(request.POST or None, organisations=organisations, today=today)
    repeats: list[EarlierRequest] = []
    if request.method == "POST" and form.is_valid():
        repeats = _unconfirmed_repeats(form)
    if request.method == "POST" and form.is_valid() and not repeats:
        try:
            application = application_register(
                actor=acting_user(request),
                organisation=form.cleaned_data["organisation"],
                data=form.registration(),
                confirm_old_received_on=form.cleaned_data["confirm_received_on"],
            )
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"已登记，申请编号 {application.tracking_no}")
            return redirect("cases:detail", pk=application.pk)
    context = _register_context(form, first_two)
    context["repeats"] = repeats
    return render(request, "cases/application_register.html", context)


def _unconfirmed_repeats(form: RegistrationForm) -> list[EarlierRequest]:
    """The same applicant's similar requests, until the clerk has looked at them and confirmed
    (a repeat may be entered anyway: the office decides, 条例第三十六条第（六）项)."""
    if form.cleaned_data["confirm_repeat"]:
        return []
    data = form.registration()
    return repeat_candidates(
        form.cleaned_data["organisation"],
        data.applicant.id_number,
        data.content,
        data.received_on,
    )


def _register_context(form: RegistrationForm, organisations: list[Organisation]) -> dict[str, Any]:
    rules = {channel.value: channel.receipt_rule for channel in Channel}
    selected = form["channel"].value() or Channel.IN_PERSON.value
    return {
        "form": form,
        "fixed_organisation": organisations[0] if len(organisations) == 1 else None,
        "receipt_rules": rules,
        "receipt_rule": rules.get(selected, ""),
        "rule_list": [(channel.label, channel.receipt_rule) for channel in Channel],
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.application_page(request.user, pk, today=timezone.localdate())
    return render(request, "cases/application_detail.html", {"page": page})


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The application page once more, with one full value (证件号码 or 联系电话) in it. A POST,
    so that no link, prefetch or history entry reveals it, and each view is one audit entry."""
    field = request.POST.get("field", "")
    if field not in personal.REVEALABLE:
        raise Http404("没有这个字段")
    application = get_application_for_user(request.user, pk)
    revealed = personal.reveal(request, application, [field], via="web")
    page = selectors.application_page(
        request.user, pk, today=timezone.localdate(), revealed=revealed
    )
    return render(request, "cases/application_detail.html", {"page": page})


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = get_application_for_user(request.user, pk, write=True)
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404("没有这个办理步骤") from None
    today = timezone.localdate()
    form = action_form(chosen, today=today, data=request.POST)
    if not form.is_valid():
        return _detail_with(request, pk, bound=(chosen, form))
    try:
        service = cast(Callable[..., object], ACTION_SERVICES[chosen])
        service(actor=acting_user(request), application=application, **form.service_kwargs())
    except ServiceError as exc:
        messages.error(request, f"未能{chosen.label}：{exc.message}")
    else:
        messages.success(request, f"已办理“{chosen.label}”")
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            attachment_add(
                actor=acting_user(request),
                application=application,
                name=file.name,
                content=file.read(),
                kind=form.cleaned_data["kind"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
    if form.errors:
        return _detail_with(request, pk, upload_form=form)
    messages.success(request, f"已上传“{form.cleaned_data['file'].name}”")
    return redirect(reverse("cases:detail", args=[pk]) + "#attachments")


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """更正登记信息, with a reason (the services decide who may correct what)."""
    application = get_application_for_user(request.user, pk, write=True)
    actor = acting_user(request)
    roles = roles_in(actor, application.organisation)
    form = selectors.correction_form(application, roles, request.POST)
    if form.is_valid():
        try:
            application_correct(
                actor=actor,
                application=application,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                confirm_old_received_on=form.cleaned_data["confirm_received_on"],
                request=request,
            )
        except ServiceError as exc:
            _raise_if_forbidden(exc)
            form.add_service_error(exc)
        else:
            messages.success(request, "已更正登记信息，原值和更正理由已记入办理记录")
            return redirect(reverse("cases:detail", args=[pk]) + "#timeline")
    return _detail_with(request, pk, correct_form=form)


@login_required
@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    """作废, with a reason and a confirmation."""
    application = get_application_for_user(request.user, pk, write=True)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            application_void(
                actor=acting_user(request),
                application=application,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ServiceError as exc:
            _raise_if_forbidden(exc)
            add_service_error(form, exc)
        else:
            messages.success(request, "已作废：本申请不再计入报表和期限")
            return redirect("cases:detail", pk=pk)
    return _detail_with(request, pk, void_form=form)


def _raise_if_forbidden(exc: ServiceError) -> None:
    """The forms are shown only to those allowed: a refusal for the role is a crafted request."""
    if exc.kind == "forbidden":
        raise PermissionDenied(exc.message) from exc


def _detail_with(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """The application page again, with the submitted form and its errors."""
    page = selectors.application_page(request.user, pk, today=timezone.localdate(), **bound)
    return render(request, "cases/application_detail.html", {"page": page}, status=400)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = selectors.attachment_for_user(request.user, pk, attachment_pk)
    content = attachment.file.open("rb")  # a missing file fails here, before the audit entry
    application = attachment.application
    audit_record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=attachment,
        organisation=application.organisation.code,
        detail={"application": application.tracking_no, "kind": attachment.kind},
    )
    return FileResponse(
        content,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
