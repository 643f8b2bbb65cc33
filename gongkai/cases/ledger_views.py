"""The 台账 exchange screens: export with the ledger screen's filters; import an office's .xlsx
in four steps — upload, column mapping, row-by-row report, result.

An uploaded file waits in the file storage (`imports/`, default_storage: the media folder or the
object store every app server shares, so that the next step may reach another server) under a
random name that only the uploader's session knows; it is deleted once imported, and any left
behind after a day is swept away.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.access import roles_in, writable_organisation_ids
from gongkai.accounts.models import Membership, Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.access import applications_for_user
from gongkai.cases.forms import LedgerFilterForm
from gongkai.cases.ledger import (
    CONCLUDING_ROLES,
    XLSX_TYPE,
    ImportResult,
    LedgerFileError,
    RowReport,
    Sheet,
    already_imported,
    export_ledger_counted,
    file_sha256,
    guess_mapping,
    import_rows,
    mapping_problems,
    previous_import,
    read_ledger,
    validate_rows,
)
from gongkai.cases.models import LedgerImport
from gongkai.cases.selectors import filter_applications
from gongkai.cases.services import ServiceError
from gongkai.domain.ledger import FIELDS, REQUIRED

SESSION_KEY = "ledger_imports"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_KEEP_SECONDS = 24 * 3600

# ---------------------------------------------------------------- export


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The ledger as .xlsx, with the same filters as the ledger screen, of what the user may read."""
    filters = LedgerFilterForm(request.GET or None).filters()
    filters.pop("sort", None)
    applications = filter_applications(applications_for_user(request.user), filters)
    today = timezone.localdate()
    code, name = _export_owner(request)
    title = f"依申请公开政府信息台账（{name}，{today}导出）"
    content, rows = export_ledger_counted(applications, title=title)
    filename = f"依申请公开台账-{code}-{today}.xlsx"
    # GB/T 22239-2019 8.1.4.3: an export of personal data is recorded with what it contained.
    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type="cases.ledger",
        object_repr=filename,
        organisation="" if code == "汇总" else code,
        detail={"file": filename, "filters": dict(request.GET.items()), "rows": rows,
                "masked": True},
    )  # fmt: skip
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    return response


def _export_owner(request: HttpRequest) -> tuple[str, str]:
    """The code and name of the user's organisation, or 汇总 when they belong to several."""
    memberships = Membership.objects.filter(user_id=request.user.pk or 0)
    organisations = Organisation.objects.filter(id__in=memberships.values("organisation_id"))
    only = list(organisations[:2])
    return (only[0].code, only[0].name) if len(only) == 1 else ("汇总", "汇总")


def _attachment(filename: str) -> str:
    """RFC 6266 with RFC 5987 `filename*` for the Chinese name and an ASCII fallback."""
    fallback = "ledger-" + filename.split("-", 1)[1].encode("ascii", "replace").decode()
    fallback = fallback.replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


# ---------------------------------------------------------------- import: upload


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="导入到", queryset=Organisation.objects.none(), empty_label=None
    )
    file = forms.FileField(label="台账文件（.xlsx）")
    again = forms.BooleanField(label="仍要再次导入", required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.content = b""
        self.sha256 = ""
        self.previous: LedgerImport | None = None  # the same file's earlier import

    def clean(self) -> dict[str, Any]:
        """A file already imported into the organisation (same SHA-256) asks for confirmation."""
        data = super().clean() or {}
        if self.content and data.get("organisation") is not None:
            self.sha256 = file_sha256(self.content)
            self.previous = previous_import(data["organisation"], self.sha256)
            if self.previous is not None and not data.get("again"):
                self.add_error("file", already_imported(self.previous))
        return data

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"文件过大，上限为{limit}MB")
        self.content = upload.read()
        try:
            read_ledger(self.content)  # refuse now what the next steps could not read
        except LedgerFileError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


def _acting_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    ids = writable_organisation_ids(request.user)
    if not ids:
        raise PermissionDenied("导入台账需要在本机关担任经办人、审核人或管理员")
    return Organisation.objects.filter(id__in=ids).order_by("code")


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    organisations = _acting_organisations(request)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and len(organisations) == 1:
        data.setdefault("organisation", str(organisations[0].pk))  # the only one it can be
    form = UploadForm(data, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        name = form.cleaned_data["file"].name
        token = _store(request, form.content, name, organisation, again=form.previous is not None)
        return redirect("ledger:import_review", token=token)
    context = {"form": form, "fixed": organisations.first() if len(organisations) == 1 else None}
    return render(request, "cases/ledger_import.html", context, status=400 if form.errors else 200)


IMPORTS = "imports"


def _import_name(token: str) -> str:
    return f"{IMPORTS}/{token}.xlsx"


def _store(
    request: HttpRequest, content: bytes, name: str, organisation: Organisation, *, again: bool
) -> str:
    """Keep the upload for the next steps; `again`: the user confirmed importing a file that was
    imported before."""
    _sweep()
    token = secrets.token_urlsafe(24)
    # The token is new: the storage keeps the name (its 0600 mode comes from the settings).
    default_storage.save(_import_name(token), ContentFile(content))
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {
        "name": Path(name).name[:200], "organisation": organisation.pk, "again": again,
    }  # fmt: skip
    request.session[SESSION_KEY] = uploads
    return token


def _sweep() -> None:
    """Remove uploads older than a day (abandoned at the mapping or report step)."""
    limit = timezone.now() - dt.timedelta(seconds=_KEEP_SECONDS)
    try:
        _, names = default_storage.listdir(IMPORTS)
    except FileNotFoundError:  # no upload yet
        return
    for name in names:
        stored = f"{IMPORTS}/{name}"
        try:
            if name.endswith(".xlsx") and default_storage.get_modified_time(stored) < limit:
                default_storage.delete(stored)
        except FileNotFoundError:  # swept by another server meanwhile
            continue


class _Upload:
    """An upload of this session: its file, name and target organisation (404 otherwise)."""

    def __init__(self, request: HttpRequest, token: str) -> None:
        meta = request.session.get(SESSION_KEY, {}).get(token) if _TOKEN.match(token) else None
        if meta is None:
            raise Http404("没有找到这次导入，可能已经完成或已过期，请重新上传")
        self.name_in_storage = _import_name(token)
        if not default_storage.exists(self.name_in_storage):
            raise Http404("上传的文件已过期，请重新上传")
        try:
            self.organisation = _acting_organisations(request).get(pk=meta["organisation"])
        except Organisation.DoesNotExist:
            raise Http404("没有找到这次导入") from None
        self.token, self.name = token, str(meta["name"])
        self.again = bool(meta.get("again"))

    def read(self, sheet: str | None) -> Sheet:
        return read_ledger(self.content(), sheet=sheet or None)

    def sha256(self) -> str:
        return file_sha256(self.content())

    def content(self) -> bytes:
        with default_storage.open(self.name_in_storage, "rb") as handle:
            return bytes(handle.read())


# ---------------------------------------------------------------- import: mapping and report


class MappingForm(forms.Form):
    """Which column holds each field; unbound, it shows the guessed mapping."""

    def __init__(self, data: Any, *, sheet: Sheet) -> None:
        super().__init__(data)
        columns = [("", "（不导入）")] + [
            (str(i), sheet.column_name(i)) for i in range(len(sheet.headers))
        ]
        self.guessed = guess_mapping(sheet.headers)
        for field in FIELDS:
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                choices=columns,
                required=False,
                initial=str(self.guessed.get(field.key, "")),
            )

    def mapping(self) -> dict[str, int]:
        if not self.is_bound:
            return dict(self.guessed)
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {f.key: int(data[f.key]) for f in FIELDS if data.get(f.key) not in (None, "")}


def _review_context(request: HttpRequest, upload: _Upload, source: Any) -> dict[str, Any]:
    """Read the sheet, map its columns (as submitted, else guessed) and check every row."""
    error = ""
    try:
        sheet = upload.read(source.get("sheet"))
    except LedgerFileError as exc:  # e.g. an empty sheet chosen: back to the default one
        sheet, error = upload.read(None), exc.message
    form = MappingForm(source if source.get("mapped") else None, sheet=sheet)
    mapping = form.mapping()
    reports = validate_rows(sheet, mapping, upload.organisation)
    valid = sum(1 for report in reports if report.ok)
    concluded = sum(1 for report in reports if report.row and report.row.concluded)
    can_conclude = bool(roles_in(request.user, upload.organisation) & CONCLUDING_ROLES)
    hidden = [("mapped", "1"), ("sheet", sheet.name), *((k, str(v)) for k, v in mapping.items())]
    return {
        "upload": upload,
        "sheet": sheet,
        "form": form,
        "hidden": hidden,
        "reports": reports,
        "error": error,
        "required": REQUIRED,
        "mapping_problems": mapping_problems(mapping),
        "valid": valid,
        "invalid": len(reports) - valid,
        "all_ok": valid == len(reports),
        "concluded": concluded,
        "needs_reviewer": bool(concluded) and not can_conclude,
    }


@login_required
@require_GET
def review(request: HttpRequest, token: str) -> HttpResponse:
    upload = _Upload(request, token)
    context = _review_context(request, upload, request.GET)
    return render(request, "cases/ledger_import_review.html", context)


@login_required
@require_POST
def run(request: HttpRequest, token: str) -> HttpResponse:
    upload = _Upload(request, token)
    context = _review_context(request, upload, request.POST)
    reports: list[RowReport] = context["reports"]
    try:
        # The audit entry commits with the import, or neither does.
        with transaction.atomic():
            result = import_rows(
                actor=request.user,  # type: ignore[arg-type]
                organisation=upload.organisation,
                rows=reports,
                only_valid=request.POST.get("mode") == "valid",
                source=upload.name,
                sha256=upload.sha256(),
                repeat=upload.again,
            )
            _audit_import(request, result)
    except ServiceError as exc:
        if exc.kind == "conflict":  # someone imported meanwhile: check the rows again
            context = _review_context(request, upload, request.POST)
        context["error"] = exc.message
        status = {"forbidden": 403, "conflict": 409}.get(exc.kind, 422)
        return render(request, "cases/ledger_import_review.html", context, status=status)
    _finish(request, upload, result.imported, result.skipped, result.concluded)
    return redirect("ledger:import_done", token=token)


def _audit_import(request: HttpRequest, result: ImportResult) -> None:
    record = result.record
    audit_record(
        AuditAction.IMPORT,
        request=request,
        obj=record,
        detail={
            "file": record.name, "sha256": record.sha256, "imported": record.rows,
            "skipped": record.skipped, "concluded": result.concluded,
            "repeated": record.repeated,
        },
    )  # fmt: skip


def _finish(
    request: HttpRequest, upload: _Upload, imported: Any, skipped: tuple[int, ...], concluded: int
) -> None:
    """Forget the file; keep the result for the result page."""
    default_storage.delete(upload.name_in_storage)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[upload.token] = {
        "name": upload.name, "organisation": upload.organisation.pk, "done": True,
        "imported": [(number, app.pk, app.tracking_no) for number, app in imported],
        "skipped": list(skipped), "concluded": concluded,
    }  # fmt: skip
    request.session[SESSION_KEY] = uploads


@login_required
@require_GET
def done(request: HttpRequest, token: str) -> HttpResponse:
    result = request.session.get(SESSION_KEY, {}).get(token) if _TOKEN.match(token) else None
    if result is None or not result.get("done"):
        raise Http404("没有找到这次导入的结果")
    imported = [(number, no, _detail_url(pk)) for number, pk, no in result["imported"]]
    context = {"result": result, "imported": imported}
    return render(request, "cases/ledger_import_result.html", context)


def _detail_url(pk: int) -> str:
    try:
        return reverse("cases:detail", args=[pk])
    except NoReverseMatch:  # the application page lives in the cases screens
        return ""
