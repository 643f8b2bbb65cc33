"""依申请公开 on the 专栏: the online application (条例第二十七条、第二十九条), its receipt with the
申请编号 and 查询码, and the status lookup (with the applicant's online 补正).

Anti-abuse without a third-party captcha: CSRF on every form, a honeypot field, and per-address
rate limits (django-ratelimit, settings GONGKAI_APPLY_RATE and GONGKAI_TRACK_FAIL_RATE*). A failed
lookup answers the same whether the number is unknown or the code wrong.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.services import client_ip
from gongkai.cases.idempotency import submit_online_once
from gongkai.cases.models import Application
from gongkai.cases.online import (
    Submitted,
    application_for_code,
    normalize_tracking_no,
)
from gongkai.cases.services import application_submit_correction_online, application_submit_online
from gongkai.pdf import PdfError, html_to_pdf
from gongkai.portal.apply_forms import OnlineApplicationForm, OnlineCorrectionForm, TrackForm
from gongkai.portal.track import public_status
from gongkai.portal.views import public_organisation

TRACKED = "portal_tracked"  # the session's looked-up application (its pk), for files and 补正
FAILED_LOOKUP = "申请编号或查询码不正确，请核对后重试"
LIMITED = "操作过于频繁，请稍后再试"


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/limited.html", {"message": LIMITED}, status=429)


def _ip_limited(request: HttpRequest, group: str, rate: str, increment: bool) -> bool:
    """Per client address, the audit log's reading of it (behind a proxy, the address the proxy
    appended to X-Forwarded-For, not REMOTE_ADDR)."""
    address = client_ip(request) or "unknown"
    return _limited(request, group, lambda _g, _r: address, rate, increment)


def _number_limited(request: HttpRequest, number: str, increment: bool) -> bool:
    key = normalize_tracking_no(number)
    rate = settings.GONGKAI_TRACK_FAIL_RATE_PER_NUMBER
    return _limited(request, "portal-track-number", lambda _g, _r: key, rate, increment)


def _limited(request: HttpRequest, group: str, key: Any, rate: str, increment: bool) -> bool:
    """Count one more (`increment`), or only look whether the limit is used up: failed lookups
    are counted after they fail, and a lookup is refused once they reached the limit."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
    if usage is None:
        return False
    return bool(usage["should_limit"]) if increment else usage["count"] >= usage["limit"]


# ---------------------------------------------------------------- the application


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    if request.method != "POST":
        form = OnlineApplicationForm()
        return render(request, "portal/apply.html", {"organisation": organisation, "form": form})
    if _ip_limited(request, "portal-apply", settings.GONGKAI_APPLY_RATE, increment=True):
        return rate_limited(request)
    form = OnlineApplicationForm(request.POST, request.FILES)
    if form.is_valid() and form.is_robot:
        # Answer as if refused for a generic reason: nothing stored, nothing to learn from.
        form.add_error(None, "提交未成功，请稍后重试")
    elif form.is_valid():
        try:
            submitted = _submit(form, organisation)
        except ServiceError as exc:
            form.add_error(_form_field(form, exc.field), exc.message)
        else:
            request.session[TRACKED] = submitted.application.pk
            context = {"application": submitted.application, "code": submitted.code}
            return render(request, "portal/receipt.html", context)
    return render(
        request, "portal/apply.html", {"organisation": organisation, "form": form}, status=400
    )


def _submit(form: OnlineApplicationForm, organisation: Organisation) -> Submitted:
    """Once per submission key when the form has one (every form this site serves does);
    a replay answers with the first receipt (decision MS-5)."""
    data, files = form.registration(timezone.localdate()), form.uploads()
    key = form.cleaned_data.get("submission_key")
    if not key:
        return application_submit_online(organisation=organisation, data=data, files=files)
    submitted, _replayed = submit_online_once(
        organisation=organisation, data=data, files=files, key=key
    )
    return submitted


# The service's field names on this form (an unnamed refusal goes to the top of the form).
SERVICE_FIELDS = {
    "applicant.type": "applicant_type",
    "applicant.name": "name",
    "applicant.id_type": "id_type",
    "applicant.id_number": "id_number",
    "applicant.phone": "phone",
    "content": "content",
    "form": "form",
    "delivery": "delivery",
    "file": "attachments",
}


def _form_field(form: OnlineApplicationForm, field: str | None) -> str | None:
    return SERVICE_FIELDS.get(field or "")


@never_cache
@require_POST
def receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The printable receipt, re-rendered from the number and code the receipt page posts back
    (the code is never stored in clear, so it cannot be read again from the server)."""
    number, code = request.POST.get("tracking_no", "")[:60], request.POST.get("code", "")[:60]
    if _lookups_exhausted(request, number):
        return rate_limited(request)
    application = _checked_lookup(request, number, code)
    if application is None:
        raise Http404(FAILED_LOOKUP)
    page = render_to_string(
        "portal/receipt_print.html",
        {"application": application, "code": request.POST.get("code", "").strip().upper()},
    )
    try:
        pdf = html_to_pdf(page)
    except PdfError as exc:
        return render(request, "portal/limited.html", {"message": str(exc)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.tracking_no}.pdf"'
    return response


# ---------------------------------------------------------------- the status lookup


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form}, status=400)
    number, code = form.cleaned_data["tracking_no"], form.cleaned_data["code"]
    if _lookups_exhausted(request, number):
        return rate_limited(request)
    application = _checked_lookup(request, number, code)
    if application is None:
        form.add_error(None, FAILED_LOOKUP)
        return render(request, "portal/track.html", {"form": form}, status=400)
    request.session.cycle_key()  # a new session id for the applicant's view of the case
    request.session[TRACKED] = application.pk
    return redirect("portal:track_status")


def _lookups_exhausted(request: HttpRequest, number: str) -> bool:
    """Too many failed lookups from this address or for this number (the status page and the
    receipt PDF share the counters: either would otherwise let codes be tried without limit)."""
    rate = settings.GONGKAI_TRACK_FAIL_RATE
    return _ip_limited(request, "portal-track", rate, False) or _number_limited(
        request, number, False
    )


def _checked_lookup(request: HttpRequest, number: str, code: str) -> Application | None:
    application = application_for_code(number, code)
    if application is None:
        _ip_limited(request, "portal-track", settings.GONGKAI_TRACK_FAIL_RATE, True)
        _number_limited(request, number, True)
    return application


def _tracked(request: HttpRequest) -> Application | None:
    pk = request.session.get(TRACKED)
    if pk is None:
        return None
    return Application.objects.select_related("organisation").filter(pk=pk).first()


@never_cache
@require_GET
def track_status(request: HttpRequest) -> HttpResponse:
    application = _tracked(request)
    if application is None:
        return redirect("portal:track")
    context = {"status": public_status(application), "correction_form": OnlineCorrectionForm()}
    return render(request, "portal/track_status.html", context)


@never_cache
@require_POST
def track_correction(request: HttpRequest) -> HttpResponse:
    application = _tracked(request)
    if application is None:
        return redirect("portal:track")
    form = OnlineCorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_submit_correction_online(
                application=application, text=form.cleaned_data["text"], files=form.uploads()
            )
        except ServiceError as exc:
            form.add_error("attachments" if exc.field == "file" else "text", exc.message)
        else:
            return redirect("portal:track_status")
    context = {"status": public_status(application), "correction_form": form}
    return render(request, "portal/track_status.html", context, status=400)


@never_cache
@require_GET
def track_file(request: HttpRequest, attachment_pk: int) -> FileResponse:
    application = _tracked(request)
    if application is None:
        raise Http404("没有找到这个文件")
    status = public_status(application)
    attachment = next((a for a in status.files if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404("没有找到这个文件")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
