"""Screens of the registers behind 表二 and 一、总体情况: an overview per organisation and year, a
list per register with its add/edit forms, and the enforcement figures with their .xlsx import.

Anyone who may read an organisation (its members, a 监督 above it) sees its registers; only its
经办人/审核人/管理员 see forms, and any other POST is 403. An organisation or record the user may not
read is the same 404 as one that does not exist. Every change goes through
`gongkai.reports.register_services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.models import Organisation
from gongkai.accounts.web import acting_user
from gongkai.cases.forms import add_service_error
from gongkai.cases.services import ServiceError
from gongkai.reports import access
from gongkai.reports.build import T2_DOCUMENT_COLUMNS, t2_documents
from gongkai.reports.catalogue import shown_validity
from gongkai.reports.catalogue_rules import publication_lags
from gongkai.reports.models import Appeal, EnforcementFigures, NormativeDocument, ProactiveItem
from gongkai.reports.register_figures import (
    FIRST_FIGURES_YEAR,
    XLSX_TYPE,
    FiguresImportError,
    enforcement_figures_import_xlsx,
    enforcement_figures_save,
    figures_template_xlsx,
)
from gongkai.reports.register_forms import (
    AppealForm,
    FiguresForm,
    FiguresUploadForm,
    NormativeDocumentForm,
    ProactiveItemForm,
    RecordForm,
)
from gongkai.reports.register_import import (
    normative_documents_import_xlsx,
    proactive_items_import_xlsx,
    register_template_xlsx,
)
from gongkai.reports.register_services import (
    appeal_delete,
    appeal_save,
    normative_document_delete,
    normative_document_save,
    proactive_item_delete,
    proactive_item_save,
    proactive_item_withdraw,
)

PAGE_SIZE = 100


@dataclass(frozen=True)
class Register:
    slug: str
    label: str
    hint: str


@dataclass(frozen=True)
class Editable:
    """How the entries of one register are edited: the form, the services and the keyword under
    which the services take the existing entry."""

    model: type[Model]
    form: type[RecordForm]
    save: Callable[..., Model]
    delete: Callable[..., None] | None
    record_arg: str
    date_field: str  # the date that places an entry in a year
    noun: str


REGISTERS: dict[str, Register] = {
    r.slug: r
    for r in (
        Register("proactive", "主动公开信息", "一、总体情况：主动公开信息和政策解读的条数"),
        Register(
            "documents", "规章和规范性文件", "表二 第二十条第（一）项：本年制发、本年废止、现行有效"
        ),
        Register(
            "figures",
            "执法和收费数据",
            "表二 第二十条第（五）（六）（八）项：处理决定数量和收费金额",
        ),
        Register("appeals", "行政复议和行政诉讼", "表四：因政府信息公开工作被申请复议、提起诉讼"),
    )
}
EDITABLE: dict[str, Editable] = {
    "proactive": Editable(
        ProactiveItem, ProactiveItemForm, proactive_item_save, proactive_item_delete,
        "item", "published_on", "主动公开信息",
    ),
    "documents": Editable(
        NormativeDocument, NormativeDocumentForm, normative_document_save,
        normative_document_delete, "document", "issued_on", "文件",
    ),
    "appeals": Editable(
        Appeal, AppealForm, appeal_save, appeal_delete, "appeal", "filed_on",
        "行政复议或行政诉讼案件",
    ),
}  # fmt: skip


def _years(today: dt.date) -> list[int]:
    return list(range(today.year, FIRST_FIGURES_YEAR - 1, -1))


def _year(params: Mapping[str, str], today: dt.date, default: int) -> int:
    """The year asked for, or `default` for anything that is not a year the registers hold."""
    try:
        year = int(params.get("year") or default)
    except ValueError:
        return default
    return year if FIRST_FIGURES_YEAR <= year <= today.year else default


def _register(slug: str) -> Register:
    if slug not in REGISTERS:
        raise Http404("没有这个登记簿")
    return REGISTERS[slug]


# ---------------------------------------------------------------- access


def _writable(
    user: User | AnonymousUser, code: str, slug: str
) -> tuple[Organisation, Register, Editable]:
    """The organisation and register to change: 404 unless readable, 403 unless writable."""
    organisation = access.get_organisation_for_user(user, code)
    register = _register(slug)
    if slug not in EDITABLE:
        raise Http404("这个登记簿没有逐条编辑")
    if not access.can_edit(user, organisation):
        raise PermissionDenied("您只能查看该机构的登记簿，不能修改")
    return organisation, register, EDITABLE[slug]


def _record(organisation: Organisation, editable: Editable, pk: int) -> Model:
    record = editable.model._default_manager.filter(organisation=organisation, pk=pk).first()
    if record is None:
        raise Http404("没有找到这条记录")
    return record


# ---------------------------------------------------------------- overview


@login_required
@require_GET
def registers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request.GET, today, today.year)
    organisations = list(access.readable_organisations(request.user))
    context = {
        "rows": _overview_rows(organisations, year),
        "registers": REGISTERS.values(),
        "year": year,
        "years": _years(today),
    }
    return render(request, "reports/registers/index.html", context)


def _overview_rows(organisations: list[Organisation], year: int) -> list[dict[str, Any]]:
    """Each organisation's counts for `year`, in one query per register whatever their number."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = [organisation.pk for organisation in organisations]
    items = _by_organisation(
        ProactiveItem.objects.filter(organisation__in=ids, published_on__range=(start, end)),
        total=Count("id"),
        interpretations=Count("id", filter=Q(is_interpretation=True)),
    )
    documents = _by_organisation(
        NormativeDocument.objects.filter(organisation__in=ids),
        issued=Count("id", filter=Q(issued_on__range=(start, end))),
        abolished=Count("id", filter=Q(abolished_on__range=(start, end))),
        in_force=Count("id", filter=_in_force(end)),
    )
    figures = set(
        EnforcementFigures.objects.filter(organisation__in=ids, year=year).values_list(
            "organisation_id", flat=True
        )
    )
    appeals = _by_organisation(
        _appeals_of_year(Appeal.objects.filter(organisation__in=ids), year),
        filed=Count("id", filter=Q(filed_on__gte=start)),
        pending=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
    )
    return [
        {
            "organisation": organisation,
            "items": items.get(organisation.pk, {}),
            "documents": documents.get(organisation.pk, {}),
            "figures": organisation.pk in figures,
            "appeals": appeals.get(organisation.pk, {}),
        }
        for organisation in organisations
    ]


def _by_organisation(queryset: QuerySet[Any], **counts: Count) -> dict[int, dict[str, int]]:
    rows = queryset.order_by().values("organisation_id").annotate(**counts)
    return {row.pop("organisation_id"): row for row in rows}


def _in_force(end: dt.date) -> Q:
    """In force on `end`: issued by then and not abolished by then (as `t2_documents`)."""
    return Q(issued_on__lte=end) & (Q(abolished_on__isnull=True) | Q(abolished_on__gt=end))


def _appeals_of_year(queryset: QuerySet[Appeal], year: int) -> QuerySet[Appeal]:
    """Cases table 四 of `year` counts (R-1): filed by 31 December, not decided before 1 January."""
    return queryset.filter(filed_on__lte=dt.date(year, 12, 31)).exclude(
        decided_on__lt=dt.date(year, 1, 1)
    )


# ---------------------------------------------------------------- lists


@login_required
@require_GET
def register_list(request: HttpRequest, code: str, register: str) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    spec = _register(register)
    today = timezone.localdate()
    default = today.year - 1 if spec.slug == "figures" else today.year
    year = _year(request.GET, today, default)
    switch = request.GET.get("org")
    if switch and switch != code:  # the organisation selector
        other = access.get_organisation_for_user(request.user, switch)
        return redirect(_list_url(other, spec.slug, year))
    if spec.slug == "figures":
        return _figures_page(request, organisation, year)
    lists = {"proactive": _proactive_list, "documents": _document_list, "appeals": _appeal_list}
    context = _page_context(request, organisation, spec, year)
    context.update(lists[spec.slug](request, organisation, year))
    return render(request, f"reports/registers/{spec.slug}_list.html", context)


def _list_url(organisation: Organisation, slug: str, year: int) -> str:
    return reverse("reports:register_list", args=[organisation.code, slug]) + f"?year={year}"


def _page_context(
    request: HttpRequest, organisation: Organisation, spec: Register, year: int
) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "organisation": organisation,
        "organisations": access.readable_organisations(request.user),
        "register": spec,
        "registers": REGISTERS.values(),
        "year": year,
        "years": _years(today),
        "can_edit": access.can_edit(request.user, organisation),
    }


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _proactive_list(request: HttpRequest, organisation: Organisation, year: int) -> dict[str, Any]:
    items = ProactiveItem.objects.filter(organisation=organisation, published_on__year=year)
    summary = items.aggregate(
        total=Count("id"),
        interpretations=Count("id", filter=Q(is_interpretation=True)),
        **{
            form.value: Count("id", filter=Q(is_interpretation=True, interpretation_form=form))
            for form in ProactiveItem.Form
        },
    )
    forms = [(form.label, summary[form.value]) for form in ProactiveItem.Form]
    page = _page(request, items.order_by("-published_on", "-id"))
    # 条例第二十六条: 20 working days from 成文日期 to 发布日期, on the organisation's calendar.
    rows = publication_lags(organisation, page)
    late = sum(1 for _, lag in rows if lag is not None and lag.exceeded)
    return {"page": page, "rows": rows, "late": late, "summary": summary, "forms": forms}


def _document_list(request: HttpRequest, organisation: Organisation, year: int) -> dict[str, Any]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    documents = NormativeDocument.objects.filter(organisation=organisation).filter(
        Q(issued_on__range=(start, end)) | Q(abolished_on__range=(start, end)) | _in_force(end)
    )
    page = _page(request, documents.order_by("kind", "-issued_on", "-id"))
    rows = [
        (document, _document_tags(document, start, end), shown_validity(document, end))
        for document in page
    ]
    # The figures of 表二, counted by the report's own function so the two cannot differ.
    summary = [
        (
            kind.label,
            [t2_documents(organisation, year, kind, c).count() for c in T2_DOCUMENT_COLUMNS],
        )
        for kind in NormativeDocument.Kind
    ]
    return {"page": page, "rows": rows, "summary": summary}


def _document_tags(document: NormativeDocument, start: dt.date, end: dt.date) -> list[str]:
    tags = []
    if start <= document.issued_on <= end:
        tags.append("本年制发")
    if document.abolished_on and start <= document.abolished_on <= end:
        tags.append("本年废止")
    elif document.abolished_on is None or document.abolished_on > end:
        tags.append("现行有效")
    return tags


def _appeal_list(request: HttpRequest, organisation: Organisation, year: int) -> dict[str, Any]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    appeals = _appeals_of_year(Appeal.objects.filter(organisation=organisation), year)
    counts = (
        appeals.order_by()
        .values("kind")
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
        )
    )
    by_kind = {row["kind"]: row for row in counts}
    summary = [
        (kind.label, by_kind.get(kind.value, {"total": 0, "pending": 0})) for kind in Appeal.Kind
    ]
    ordered = appeals.select_related("application").order_by("-filed_on", "-id")
    return {"page": _page(request, ordered), "summary": summary, "start": start, "end": end}


# ---------------------------------------------------------------- add, edit, delete


@login_required
@require_http_methods(["GET", "POST"])
def register_add(request: HttpRequest, code: str, register: str) -> HttpResponse:
    organisation, spec, editable = _writable(request.user, code, register)
    return _record_form(request, organisation, spec, editable, None)


@login_required
@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, code: str, register: str, pk: int) -> HttpResponse:
    organisation, spec, editable = _writable(request.user, code, register)
    record = _record(organisation, editable, pk)
    return _record_form(request, organisation, spec, editable, record)


def _record_form(
    request: HttpRequest,
    organisation: Organisation,
    spec: Register,
    editable: Editable,
    record: Model | None,
) -> HttpResponse:
    today = timezone.localdate()
    initial = editable.form.initial_of(record) if record else {editable.date_field: today}
    form = editable.form(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = editable.save(
                actor=acting_user(request),
                organisation=organisation,
                data=form.to_data(),
                today=today,
                request=request,
                **{editable.record_arg: record},
            )
        except ServiceError as exc:
            access.raise_if_forbidden(exc)
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存：{saved}")
            # A correction goes back to the year being looked at (an old document abolished
            # this year); a new entry to its own year, which may not be the one looked at.
            own = getattr(saved, editable.date_field).year
            year = _year(request.GET, today, own) if record else own
            return redirect(_list_url(organisation, spec.slug, year))
    context = {
        "organisation": organisation,
        "register": spec,
        "editable": editable,
        "record": record,
        "form": form,
        "back": _list_url(organisation, spec.slug, _year(request.GET, today, today.year)),
    }
    return render(
        request, "reports/registers/record_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def register_delete(request: HttpRequest, code: str, register: str, pk: int) -> HttpResponse:
    organisation, spec, editable = _writable(request.user, code, register)
    if editable.delete is None:
        raise Http404("这个登记簿的记录不能删除")
    record = _record(organisation, editable, pk)
    year = getattr(record, editable.date_field).year
    try:
        editable.delete(
            actor=acting_user(request),
            organisation=organisation,
            request=request,
            **{editable.record_arg: record},
        )
    except ServiceError as exc:
        access.raise_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除：{record}")
    return redirect(_list_url(organisation, spec.slug, year))


# ---------------------------------------------------------------- enforcement figures


def _figures_page(
    request: HttpRequest,
    organisation: Organisation,
    year: int,
    *,
    form: FiguresForm | None = None,
    upload: FiguresUploadForm | None = None,
    problems: tuple[str, ...] = (),
    status: int = 200,
) -> HttpResponse:
    spec = REGISTERS["figures"]
    rows = list(EnforcementFigures.objects.filter(organisation=organisation).order_by("-year"))
    current = next((row for row in rows if row.year == year), None)
    context = _page_context(request, organisation, spec, year)
    context.update(
        {
            "rows": rows,
            "current": current,
            "form": form or FiguresForm(initial=FiguresForm.initial_of(current, year)),
            "upload": upload or FiguresUploadForm(),
            "problems": problems,
        }
    )
    return render(request, "reports/registers/figures_list.html", context, status=status)


@login_required
@require_POST
def figures_save(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _figures_writable(request.user, code)
    today = timezone.localdate()
    form = FiguresForm(request.POST)
    year = _year(request.POST, today, today.year - 1)
    if form.is_valid():
        try:
            enforcement_figures_save(
                actor=acting_user(request),
                organisation=organisation,
                data=form.to_data(),
                today=today,
                request=request,
            )
        except ServiceError as exc:
            access.raise_if_forbidden(exc)
            add_service_error(form, exc, {"year": NON_FIELD_ERRORS})  # the year is hidden
        else:
            messages.success(request, f"已保存{form.cleaned_data['year']}年度执法和收费数据")
            return redirect(_list_url(organisation, "figures", form.cleaned_data["year"]))
    return _figures_page(request, organisation, year, form=form, status=400)


@login_required
@require_POST
def figures_import(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _figures_writable(request.user, code)
    today = timezone.localdate()
    upload = FiguresUploadForm(request.POST, request.FILES)
    year = _year(request.GET, today, today.year - 1)
    problems: tuple[str, ...] = ()
    if upload.is_valid():
        try:
            result = enforcement_figures_import_xlsx(
                actor=acting_user(request),
                organisation=organisation,
                content=upload.cleaned_data["file"].read(),
                today=today,
                request=request,
            )
        except FiguresImportError as exc:
            upload.add_error("file", exc.message)
            problems = exc.problems
        except ServiceError as exc:
            access.raise_if_forbidden(exc)
            add_service_error(upload, exc)
        else:
            messages.success(request, _imported(result.created, result.updated))
            years = result.created + result.updated
            return redirect(_list_url(organisation, "figures", max(years)))
    return _figures_page(request, organisation, year, upload=upload, problems=problems, status=400)


def _imported(created: tuple[int, ...], updated: tuple[int, ...]) -> str:
    parts = []
    if created:
        parts.append(f"新增{'、'.join(map(str, created))}年度")
    if updated:
        parts.append(f"更新{'、'.join(map(str, updated))}年度")
    return f"已导入执法和收费数据：{'，'.join(parts)}"


def _figures_writable(user: User | AnonymousUser, code: str) -> Organisation:
    organisation = access.get_organisation_for_user(user, code)
    if not access.can_edit(user, organisation):
        raise PermissionDenied("您只能查看该机构的登记簿，不能修改")
    return organisation


@login_required
@require_GET
def figures_template(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    today = timezone.localdate()
    content = figures_template_xlsx(organisation, [today.year - 1])
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"{organisation.name}执法和收费数据导入模板.xlsx"
    fallback = quote(f"figures-{organisation.code}.xlsx", safe="")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


# ---------------------------------------------------------------- catalogue: import, withdrawal

_ROW_IMPORTS = {
    "proactive": proactive_items_import_xlsx,
    "documents": normative_documents_import_xlsx,
}


def _rows_register(register: str) -> None:
    if register not in _ROW_IMPORTS:
        raise Http404("这个登记簿没有逐行导入")


@login_required
@require_POST
def catalogue_import(request: HttpRequest, code: str, register: str) -> HttpResponse:
    """All rows or none (the service); a refused file comes back with its problems by row."""
    _rows_register(register)
    organisation, spec, _ = _writable(request.user, code, register)
    today = timezone.localdate()
    upload = FiguresUploadForm(request.POST, request.FILES)
    problems: tuple[str, ...] = ()
    if upload.is_valid():
        try:
            result = _ROW_IMPORTS[register](
                actor=acting_user(request),
                organisation=organisation,
                content=upload.cleaned_data["file"].read(),
                today=today,
                request=request,
            )
        except FiguresImportError as exc:
            problems = exc.problems
            upload.add_error("file", exc.message)
        except ServiceError as exc:
            access.raise_if_forbidden(exc)
            add_service_error(upload, exc)
        else:
            messages.success(request, f"已导入{spec.label}{result.created}条")
            return redirect(_list_url(organisation, spec.slug, today.year))
    context = _page_context(request, organisation, spec, today.year)
    context.update({"upload": upload, "problems": problems})
    return render(request, "reports/registers/import_result.html", context, status=400)


@login_required
@require_GET
def catalogue_template(request: HttpRequest, code: str, register: str) -> HttpResponse:
    _rows_register(register)
    organisation = access.get_organisation_for_user(request.user, code)
    spec = _register(register)
    response = HttpResponse(register_template_xlsx(organisation, register), content_type=XLSX_TYPE)
    name = f"{organisation.name}{spec.label}导入模板.xlsx"
    fallback = quote(f"{register}-{organisation.code}.xlsx", safe="")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response


@login_required
@require_POST
def proactive_withdraw(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Take an item off the 专栏 with the reason (the register keeps it and the record)."""
    organisation, spec, editable = _writable(request.user, code, "proactive")
    item = _record(organisation, editable, pk)
    assert isinstance(item, ProactiveItem)
    try:
        proactive_item_withdraw(
            actor=acting_user(request),
            organisation=organisation,
            item=item,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ServiceError as exc:
        access.raise_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤回：{item}")
    return redirect(_list_url(organisation, spec.slug, item.published_on.year))
