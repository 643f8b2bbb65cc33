"""Generating a letter from a case page: POST, stored on the case, returned as a download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.access import get_application_for_user
from gongkai.cases.services import ServiceError
from gongkai.disclosure.approval import approval_sheet_docx, approval_sheet_pdf, has_sign_off
from gongkai.disclosure.kinds import LETTER_KINDS
from gongkai.disclosure.services import letter_generate
from gongkai.pdf import PdfError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_OF_ERROR = {"invalid": 422, "conflict": 409, "forbidden": 403}


class AuthenticatedHttpRequest(HttpRequest):
    """A request past `login_required` (the django-stubs idiom for typing `request.user`)."""

    user: User


@login_required
@require_GET
def approval_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """呈批单 of a case whose reply was proposed: .docx, or PDF with ?format=pdf."""
    application = get_application_for_user(request.user, pk)
    if not has_sign_off(application):
        raise Http404("这件申请还没有拟定答复，没有呈批单")
    fmt = request.GET.get("format", "docx")
    if fmt == "pdf":
        try:
            content, mime = approval_sheet_pdf(application), "application/pdf"
        except PdfError as exc:
            return HttpResponse(exc.args[0], status=503, content_type="text/plain; charset=utf-8")
    else:
        fmt, content, mime = "docx", approval_sheet_docx(application), DOCX
    audit_record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=application,
        organisation=application.organisation.code,
        detail={"approval_sheet": fmt, "application": application.tracking_no},
    )
    response = HttpResponse(content, content_type=mime)
    name = f"呈批单（{application.tracking_no}）.{fmt}"
    response["Content-Disposition"] = (
        f'attachment; filename="approval-{application.pk}.{fmt}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


@login_required
@require_POST
def generate(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in LETTER_KINDS:
        raise Http404("没有这种告知书")
    application = get_application_for_user(request.user, pk, write=True)
    try:
        attachment = letter_generate(actor=request.user, application=application, kind=kind)
    except ServiceError as exc:
        return HttpResponse(
            exc.message, status=STATUS_OF_ERROR.get(exc.kind, 422),
            content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    with attachment.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=DOCX)
    # The letter is stored on the case and handed over in one step: recorded as a download.
    audit_record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=attachment,
        organisation=application.organisation.code,
        detail={"letter": kind, "application": application.tracking_no, "generated": True},
    )
    fallback = f"letter-{kind}-{application.pk}.docx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(attachment.name, safe='')}"
    )
    return response
