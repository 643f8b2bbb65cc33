"""The 专栏's pages: the government's index and one organisation's home (sub-columns of
国办公开办函〔2019〕61号: 指南, 制度, 法定主动公开内容, 年报, plus 依申请公开). Anonymous, read-only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Organisation
from gongkai.portal.cache import cached_page


def public_organisation(code: str) -> Organisation:
    """The organisation of a 专栏 URL; an unknown code is a 404 (never a hint of what exists)."""
    if "\x00" in code or len(code) > 20:
        raise Http404("没有这个机构的政府信息公开专栏")
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise Http404("没有这个机构的政府信息公开专栏")
    return organisation


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every organisation with a 专栏, the governments first with their departments below."""
    organisations = list(Organisation.objects.order_by("code"))
    governments = [o for o in organisations if o.parent_id is None]
    return render(
        request,
        "portal/index.html",
        {"governments": governments, "organisations": organisations},
    )


@require_GET
@cached_page
def home(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    return render(request, "portal/home.html", {"organisation": organisation})
