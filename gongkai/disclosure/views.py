"""Generating a letter from a case page: POST, stored on the case, returned as a download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.access import get_application_for_user
from gongkai.cases.services import ServiceError
from gongkai.disclosure.kinds import LETTER_KINDS
from gongkai.disclosure.services import letter_generate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_OF_ERROR = {"invalid": 422, "conflict": 409, "forbidden": 403}


class AuthenticatedHttpRequest(HttpRequest):
    """A request past `login_required` (the django-stubs idiom for typing `request.user`)."""

    user: User


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
