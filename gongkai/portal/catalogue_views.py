"""法定主动公开内容 / 公开目录 of an organisation's 专栏 (条例第十二条, 第二十条; 国办公开办函〔2019〕61号:
search, viewing and download): the catalogue with its search and columns by 主题, an item's page
by its 索引号, its attachment, and the 规章和规范性文件 with their 有效性. Anonymous, read-only:
everything comes from the reports app's selectors (gongkai.reports.catalogue)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Organisation
from gongkai.domain import catalogue as tables
from gongkai.portal.cache import cached_page
from gongkai.portal.views import public_organisation
from gongkai.reports import catalogue
from gongkai.reports.catalogue_rules import ATTACHMENT_TYPES
from gongkai.reports.models import ProactiveItem

EMPTY = (
    "本栏目暂无信息"  # a column with no content says so (国办公开办函〔2019〕61号: no blank column)
)


def _query(params: Mapping[str, str]) -> catalogue.CatalogueQuery:
    """The search of the form; a value outside the tables is ignored, never an error page."""
    year_text = params.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    topic = params.get("topic", "")
    genre = params.get("genre", "")
    validity = params.get("validity", "")
    return catalogue.CatalogueQuery(
        text=params.get("q", "")[: catalogue.MAX_QUERY],
        topic=topic if topic in tables.topics().codes else "",
        genre=genre if genre in tables.genres().codes else "",
        validity=validity if validity in tables.validity_table().codes else "",
        year=year,
    )


@require_GET
@cached_page
def catalogue_index(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    today = timezone.localdate()
    query = _query(request.GET)
    page = catalogue.search(organisation, query, today=today, cursor=request.GET.get("after", ""))
    rows = [(item, catalogue.shown_validity(item, today)) for item in page.items]
    params = {k: v for k, v in request.GET.items() if k != "after" and v}
    next_url = f"?{urlencode({**params, 'after': page.next_cursor})}" if page.next_cursor else ""
    context = {
        "organisation": organisation,
        "query": query,
        "rows": rows,
        "next_url": next_url,
        "columns": catalogue.topic_columns(organisation, today),
        "topics": tables.topics().items,
        "genres": tables.genres().items,
        "validities": tables.validity_table().items,
        "years": range(today.year, today.year - 10, -1),
        "topic_label": tables.topics().label(query.topic),
        "empty": EMPTY,
        "first_page": not request.GET.get("after"),
        "first_url": urlencode(params),
    }
    return render(request, "portal/catalogue.html", context)


def _item(code: str, index_no: str) -> tuple[Organisation, ProactiveItem]:
    organisation = public_organisation(code)
    if len(index_no) > 40:
        raise Http404("没有这条信息")
    item = catalogue.public_item(organisation, index_no, timezone.localdate())
    if item is None:  # not yet published, withdrawn or unknown: the same answer
        raise Http404("没有这条信息")
    return organisation, item


@require_GET
@cached_page
def catalogue_item(request: HttpRequest, code: str, index_no: str) -> HttpResponse:
    organisation, item = _item(code, index_no)
    today = timezone.localdate()
    policy = item.interprets
    if (
        policy is not None
        and catalogue.public_item(item.organisation, policy.index_no, today) is None
    ):
        policy = None  # the explained document is not (or no longer) public
    context = {
        "organisation": organisation,
        "item": item,
        "validity": catalogue.shown_validity(item, today),
        "topic": tables.topics().label(item.topic),
        "genre": tables.genres().label(item.genre),
        "policy": policy,
        "interpretations": catalogue.public_interpretations(item, today),
    }
    return render(request, "portal/catalogue_item.html", context)


@require_GET
def catalogue_attachment(request: HttpRequest, code: str, index_no: str) -> FileResponse:
    _, item = _item(code, index_no)
    if not item.attachment:
        raise Http404("这条信息没有附件")
    suffix = "." + (item.attachment.name or "").rsplit(".", 1)[-1].lower()
    response = FileResponse(item.attachment.open("rb"), content_type=ATTACHMENT_TYPES[suffix])
    name = item.attachment_name or f"{item.index_no}{suffix}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{item.index_no}{suffix}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


@require_GET
@cached_page
def catalogue_documents(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    today = timezone.localdate()
    documents = catalogue.public_documents(organisation, today)
    rows = [(document, catalogue.shown_validity(document, today)) for document in documents]
    return render(
        request,
        "portal/catalogue_documents.html",
        {"organisation": organisation, "rows": rows, "empty": EMPTY},
    )
